// `triage config check`: the effective configuration (secrets redacted), what is missing for each process,
// misspelt settings, and what each component will do, in plain words. Reads the environment only: no service
// is contacted, so it works before any of them is up.
import { existsSync } from 'node:fs';
import { awsRangesFile, ConfigError, loadConfig, SECRET_SETTINGS, SETTING_NAMES, type Config, type ConfigNeed } from '../config.js';
import { describeMisspelling, misspeltSettings } from '../ops/config-typos.js';
import { describeAlertPosters } from '../queue/origin.js';
import { defaultRuleRoutes, ruleRouteProblems } from '../flows/rule-routes.js';

export interface ConfigReport {
  text: string;
  /** True when the Slack app and the worker would both start with this configuration. */
  ok: boolean;
}

const SECRETS: ReadonlySet<string> = new Set(SECRET_SETTINGS);

/** A URL's user and password (redis://:pw@host, https://user:pw@es) are secrets too. */
export function withoutUrlCredentials(value: string): string {
  return value.replace(/(\w+:\/\/)[^/@\s]*@/g, '$1[redacted]@');
}

function printable(value: string): string {
  const flat = withoutUrlCredentials(value).replace(/[\u0000-\u001f\u007f]/g, ' ');
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

/** A setting as the processes will see it: the effective value (defaults marked), a secret only as set or not. */
function shown(name: string, raw: string | undefined, cfg: Config | undefined): string {
  const set = raw !== undefined && raw !== '';
  if (SECRETS.has(name)) return set ? '(set, redacted)' : '(not set)';
  const effective = cfg?.[name as keyof Config];
  if (cfg === undefined || effective === undefined) return set ? printable(raw) : '(not set)';
  const text = Array.isArray(effective) ? effective.join(',') : String(effective);
  if (!set) return text === '' ? '(not set)' : `${printable(text)} (default)`;
  return printable(text);
}

function problemsFor(env: Record<string, string | undefined>, needs: ConfigNeed[]): string[] {
  try {
    // Which flows take Elastic Security alerts is the plug-ins' to say: checked as the processes check it at start.
    return ruleRouteProblems(loadConfig(env, needs).DETECTION_RULE_FLOWS);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export interface SummaryOptions {
  /** Whether a file exists (the AWS ranges). */
  exists?: (path: string) => boolean;
  /** Whether pictures can be drawn here (resvg's binary loads); unknown when not given. */
  pictures?: boolean;
}

/** What each component will do with this configuration, one line each. */
export function componentSummary(cfg: Config, opts: SummaryOptions = {}): string[] {
  const rangesExist = opts.exists ?? existsSync;
  const pictures = opts.pictures === undefined ? 'on (posted in the thread after the verdict)' : opts.pictures ? 'on (posted in the thread after the verdict)' : 'off (the picture renderer cannot load on this platform; verdicts are unaffected)';
  const lines: string[] = [];
  const slack = cfg.SLACK_MODE === 'http' ? `HTTP mode: Slack sends events to :${cfg.PORT}/slack/events` : `Socket Mode (no public URL); health on :${cfg.PORT}`;
  lines.push(`Slack app: ${slack}`);
  lines.push(cfg.SLACK_ALERT_CHANNELS.length ? `  alerts read in ${plural(cfg.SLACK_ALERT_CHANNELS.length, 'channel')}: ${cfg.SLACK_ALERT_CHANNELS.join(', ')}` : '  alerts read in no channel: only /triage <id> starts an investigation');
  lines.push(`  ${describeAlertPosters(cfg.SLACK_ALERT_POSTERS)}`);
  const responders = [cfg.SLACK_RESPONDER_USERGROUP ? `members of ${cfg.SLACK_RESPONDER_USERGROUP}` : '', cfg.SLACK_RESPONDER_USERS.length ? plural(cfg.SLACK_RESPONDER_USERS.length, 'listed user') : ''].filter(Boolean);
  lines.push(responders.length ? `  ${responders.join(' and ')} may run /triage, escalate, dismiss and re-run` : '  nobody may run /triage, escalate, dismiss or re-run (no SLACK_RESPONDER_USERGROUP or SLACK_RESPONDER_USERS)');
  const escalation = [cfg.SLACK_ESCALATION_CHANNEL ? `posted to ${cfg.SLACK_ESCALATION_CHANNEL}` : 'not posted to a channel', cfg.SLACK_ONCALL_USERGROUP ? `mentioning ${cfg.SLACK_ONCALL_USERGROUP}` : 'mentioning nobody'];
  lines.push(`  escalations: ${escalation.join(', ')}; PagerDuty: ${cfg.PAGERDUTY_ROUTING_KEY ? 'on' : 'off'}`);
  lines.push(`  evidence links: ${cfg.KIBANA_URL ? `each decision step that rests on a search links to it in Kibana Discover at ${cfg.KIBANA_URL}` : 'off (KIBANA_URL not set)'}`);
  lines.push(`Worker: ${plural(cfg.WORKER_CONCURRENCY, 'investigation')} at a time per process; health ${cfg.WORKER_PORT ? `on :${cfg.WORKER_PORT}` : 'not served (WORKER_PORT not set)'}; pictures: ${pictures}`);
  lines.push(`Queue: Redis ${withoutUrlCredentials(cfg.REDIS_URL)}${cfg.REDIS_CLUSTER ? ' (Cluster)' : ''}, key prefix ${cfg.QUEUE_PREFIX}`);
  const auth = cfg.ELASTICSEARCH_API_KEY ? 'API key' : cfg.ELASTICSEARCH_USERNAME ? `user ${cfg.ELASTICSEARCH_USERNAME}` : 'no credentials';
  lines.push(`Evidence: Elasticsearch ${withoutUrlCredentials(cfg.ELASTICSEARCH_URL)} (${auth})`);
  lines.push(`Okta API: ${cfg.OKTA_ORG_URL && cfg.OKTA_API_TOKEN ? `on (${cfg.OKTA_ORG_URL}); the System Log is read from Okta` : `off; the System Log is read from ${cfg.INDEX_OKTA}`}`);
  const ranges = awsRangesFile(cfg, rangesExist);
  lines.push(`AWS ranges: ${ranges}${rangesExist(ranges) ? '' : ' — missing: AWS alerts cannot be classified until `triage update-ip-ranges` writes it'}`);
  lines.push(`Company IPs (Okta flows): ${plural(cfg.COMPANY_IP_CIDRS.length, 'CIDR')}, plus devices' own addresses in ${cfg.AGENT_IP_FIELDS.join(', ')}`);
  lines.push(`Trusted egress (AWS flow): ${cfg.TRUSTED_EGRESS_CIDRS.length ? cfg.TRUSTED_EGRESS_CIDRS.join(', ') : 'none'}`);
  lines.push(`E-mail flow: a domain reached by fewer than ${cfg.RARE_DOMAIN_USER_THRESHOLD} users before the e-mail is rare`);
  const routes = cfg.DETECTION_RULE_FLOWS.length ? cfg.DETECTION_RULE_FLOWS : defaultRuleRoutes();
  lines.push(`Elastic Security alerts investigated by rule id: ${routes.map((r) => r.replace(/:([^:]*)$/, ' → $1')).join(', ') || 'none'}${cfg.DETECTION_RULE_FLOWS.length ? '' : ' (default)'}`);
  return lines;
}

export function configReport(env: Record<string, string | undefined>, opts: SummaryOptions = {}): ConfigReport {
  const base = problemsFor(env, []);
  // The other settings' effective values still show when some are invalid: those are left out to read the rest.
  const invalid = new Set(base.map((p) => p.slice(0, p.indexOf(':'))));
  const readable = Object.fromEntries(Object.entries(env).filter(([name]) => !invalid.has(name)));
  const effective = problemsFor(readable, []).length === 0 ? loadConfig(readable) : undefined;
  const out: string[] = ['Settings (environment and .env; secrets redacted):'];
  const width = Math.max(...SETTING_NAMES.map((n) => n.length));
  for (const name of SETTING_NAMES) {
    const value = shown(name, env[name], invalid.has(name) ? undefined : effective);
    out.push(`  ${name.padEnd(width)}  ${value}${invalid.has(name) ? ' (invalid)' : ''}`);
  }
  const cfg = base.length === 0 ? effective : undefined;

  const onlyFor = (need: ConfigNeed) => problemsFor(env, [need]).filter((p) => !base.includes(p));
  const app = onlyFor('slack');
  const worker = onlyFor('worker');
  const typos = misspeltSettings(env);
  out.push('', 'Problems:');
  if (base.length + app.length + worker.length + typos.length === 0) out.push('  none');
  for (const p of base) out.push(`  every process: ${p}`);
  for (const p of app) out.push(`  Slack app (npm start): ${p}`);
  for (const p of worker) out.push(`  worker (npm run worker): ${p}`);
  for (const t of typos) out.push(`  ${describeMisspelling(t)}`);

  out.push('', 'What each component will do:');
  if (!cfg) out.push('  (fix the problems above first: nothing starts with them)');
  else for (const line of componentSummary(cfg, opts)) out.push(`  ${line}`);
  return { text: `${out.join('\n')}\n`, ok: base.length + app.length + worker.length === 0 };
}
