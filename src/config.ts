// Environment → validated settings. Every problem is reported at once, by name;
// secret values never appear in messages or logs.
// Over 300 lines on purpose: the one schema of every setting, in the order of docs/configuration.md's table;
// split, a setting's validation would sit apart from its neighbours that refine it.
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';
import { isCidrSyntax, kibanaUrlProblem, oktaOrgUrlProblem } from './config/values.js';
export { oktaOrgUrlProblem };

/** Names of settings whose values must never be printed. */
export const SECRET_SETTINGS = [
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  'OKTA_API_TOKEN',
  'ELASTICSEARCH_API_KEY',
  'ELASTICSEARCH_PASSWORD',
  'PAGERDUTY_ROUTING_KEY',
  'CYREN_CLIENT_SECRET',
] as const;

/** SLACK_ALERT_POSTERS's value that opens the alert channels to anyone's posts. */
export const ANYONE = '*';

const csv = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0));

const positiveInt = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n <= 0) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a positive integer' });
        return z.NEVER;
      }
      return n;
    });

/** A TCP port as plain decimal digits: Number() would also take "0x50", "1e3" or " 80". */
function portNumber(v: string, ctx: z.RefinementCtx): number {
  const n = /^\d{1,5}$/.test(v) ? Number(v) : Number.NaN;
  if (!(n >= 1 && n <= 65535)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a decimal port number from 1 to 65535' });
    return z.NEVER;
  }
  return n;
}

/** A share from 0 to 1 (0.8, not 80%). */
const share = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = /^\s*(0|1|0?\.\d+|1\.0*)\s*$/.test(v) ? Number(v) : Number.NaN;
      if (!(n >= 0 && n <= 1)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a share from 0 to 1 (e.g. 0.8)' });
        return z.NEVER;
      }
      return n;
    });

/** A duration ("15m", "900s", "1h", or plain seconds) in milliseconds. */
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;
const duration = (fallback: string) =>
  z.string().regex(/^\d{1,7}[smh]?$/, 'must be a duration such as 15m, 900s or 1h').refine((v) => !/^0+[smh]?$/.test(v), 'must be longer than 0').default(fallback)
    .transform((v) => Number(v.replace(/[smh]$/, '')) * UNIT_MS[(/[smh]$/.exec(v)?.[0] ?? 's') as keyof typeof UNIT_MS]);

const port = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => (v === undefined ? fallback : portNumber(v, ctx)));

const optionalPort = z
  .string()
  .optional()
  .transform((v, ctx) => (v === undefined ? undefined : portNumber(v, ctx)));

/**
 * Any Slack id (user, bot, app, channel, user group): the one shape every id we read from Slack or Redis is held
 * to before it goes into a mention or a lookup. The kinds below narrow it for settings.
 */
export const SLACK_ID = /^[A-Z0-9]{2,32}$/;
export const isSlackId = (id: unknown): id is string => typeof id === 'string' && SLACK_ID.test(id);

/** Slack ids by kind: a channel name ("#soc-alerts") or a user group handle in their place would match nothing, silently. */
const SLACK_ID_KINDS = {
  channel: { pattern: /^[CG][A-Z0-9]{2,31}$/, what: 'a Slack channel id (C… or G…)' },
  usergroup: { pattern: /^S[A-Z0-9]{2,31}$/, what: 'a Slack user group id (S…)' },
  user: { pattern: /^[UW][A-Z0-9]{2,31}$/, what: 'a Slack user id (U… or W…)' },
} as const;

const slackIdList = (kind: keyof typeof SLACK_ID_KINDS) =>
  csv.superRefine((list, ctx) => {
    const { pattern, what } = SLACK_ID_KINDS[kind];
    for (const id of list) if (!pattern.test(id)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${id.slice(0, 40)}" is not ${what}` });
  });

const slackId = (kind: keyof typeof SLACK_ID_KINDS) =>
  z.string().refine((id) => SLACK_ID_KINDS[kind].pattern.test(id), (id) => ({ message: `"${id.slice(0, 40)}" is not ${SLACK_ID_KINDS[kind].what}` }));

const httpUrl = z
  .string()
  .url('must be a URL')
  .refine((u) => /^https?:\/\//i.test(u), 'must start with http:// or https://');

const cidrList = csv.superRefine((list, ctx) => {
  for (const item of list) {
    if (!isCidrSyntax(item)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${item}" is not a CIDR (e.g. 203.0.113.0/24)` });
  }
});


/**
 * "rule-id:flow": a UUID or a custom rule's own id, and a flow's name. Which flows take Elastic Security alerts is
 * known to the flows' plug-ins: the name is checked against them at start (src/flows/rule-routes.ts).
 */
const RULE_FLOW = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}:[a-z0-9_]{1,64}$/;

/** Fields that hold an address a device talked to, or any address of an event: never a company IP (flows.md O1). */
const NOT_A_DEVICE_ADDRESS = /^(related\.ip|destination\..*|server\..*)$/;
const FIELD_NAME = /^[A-Za-z0-9_@][A-Za-z0-9_.@-]{0,254}$/;

const agentIpFields = csv
  .superRefine((list, ctx) => {
    for (const field of list) {
      if (!FIELD_NAME.test(field)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${field.slice(0, 60)}" is not a field name` });
      else if (NOT_A_DEVICE_ADDRESS.test(field)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${field} holds addresses a device talked to, not the device's own: never a company IP` });
    }
  })
  .transform((list) => (list.length ? list : ['host.ip', 'source.nat.ip', 'client.nat.ip']));

const schema = z.object({
  ELASTICSEARCH_URL: httpUrl.default('http://127.0.0.1:9200'),
  ELASTICSEARCH_API_KEY: z.string().optional(),
  ELASTICSEARCH_USERNAME: z.string().optional(),
  ELASTICSEARCH_PASSWORD: z.string().optional(),
  INDEX_CLOUDTRAIL: z.string().default('logs-aws.cloudtrail-*'),
  INDEX_OKTA: z.string().default('logs-okta.system-*'),
  INDEX_PROXY: z.string().default('logs-zscaler_zia.web-*'),
  INDEX_EDR_PROCESS: z.string().default('logs-endpoint.events.process-*'),
  INDEX_EDR_FILE: z.string().default('logs-endpoint.events.file-*'),
  INDEX_EDR_NETWORK: z.string().default('logs-endpoint.events.network-*'),
  /** Proofpoint TAP clicks, permitted and blocked (optional evidence of the e-mail flow, flows.md M2 v3). */
  INDEX_PROOFPOINT: z.string().default('logs-proofpoint_tap.clicks_permitted-*,logs-proofpoint_tap.clicks_blocked-*'),
  INDEX_AGENT_SIGHTINGS: z.string().default('logs-endpoint.*-*,logs-zscaler_zia.*-*,logs-jamf_pro.*-*'),
  /** Where company agents record a device's own address (flows.md O1, v3). */
  AGENT_IP_FIELDS: agentIpFields,
  /**
   * Elastic Security alerts routed to a flow by detection rule id: "rule-id:flow,…"; setting it replaces the flows'
   * own default rule ids (empty: those defaults).
   */
  DETECTION_RULE_FLOWS: csv.superRefine((list, ctx) => {
    for (const item of list) if (!RULE_FLOW.test(item)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${item.slice(0, 80)}" is not rule-id:flow` });
  }),
  INDEX_ALERTS: z.string().default('.alerts-security.alerts-*,logs-aws.guardduty-*,triage-alerts'),
  INDEX_VERDICTS: z.string().default('triage-verdicts'),
  INDEX_DISPOSITIONS: z.string().default('triage-dispositions'),
  KIBANA_URL: z.string().superRefine((u, ctx) => void (kibanaUrlProblem(u) && ctx.addIssue({ code: z.ZodIssueCode.custom, message: kibanaUrlProblem(u)! }))).optional(),
  DATA_NAMESPACE: z.string().regex(/^[a-z0-9_]+$/, 'lower-case letters, digits and _ only').default('default'),
  AWS_IP_RANGES_FILE: z.string().optional(),
  AWS_IP_RANGES_URL: httpUrl.default('https://ip-ranges.amazonaws.com/ip-ranges.json'),
  TRUSTED_EGRESS_CIDRS: cidrList,
  COMPANY_IP_CIDRS: cidrList,
  RARE_DOMAIN_USER_THRESHOLD: positiveInt(5),
  /** MFA push fatigue (flows.md §4): rejections in the 10 minutes before an approval that make it a fatigue approval. */
  MFA_FATIGUE_MIN_REJECTIONS: positiveInt(3),
  /** A flow whose verdicts responders agreed with less often than this (agreed ÷ (agreed + overruled)) is flagged. */
  TRACK_RECORD_MIN_AGREEMENT: share(0.8),
  OKTA_ORG_URL: z.string().superRefine((u, ctx) => void (oktaOrgUrlProblem(u) && ctx.addIssue({ code: z.ZodIssueCode.custom, message: oktaOrgUrlProblem(u)! }))).optional(),
  OKTA_API_TOKEN: z.string().optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').default('redis://127.0.0.1:6379'),
  REDIS_CLUSTER: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  QUEUE_PREFIX: z
    .string()
    .regex(/\{[^{}]+\}/, 'must contain a {hash tag}, so every key of the queue lives on one Redis Cluster slot')
    .default('{triage}'),
  WORKER_CONCURRENCY: positiveInt(4),
  // How long a worker's hold on a job lasts without renewal, and how often orphaned jobs are looked for: a worker
  // that dies mid-job has its job taken over within about their sum.
  WORKER_LOCK_DURATION_MS: positiveInt(60_000),
  WORKER_STALLED_INTERVAL_MS: positiveInt(30_000),
  /** The worker's /healthz and /readyz on OPS_HOST; unset, none (several workers may share a host). */
  WORKER_PORT: optionalPort,
  /** Pictures are drawn in renderer processes of the worker's own (src/pictures/pool.ts): how many, how many may wait, how long one may take, when a renderer is replaced. */
  PICTURE_RENDERERS: positiveInt(1),
  PICTURE_QUEUE_SIZE: positiveInt(10),
  PICTURE_TIMEOUT_MS: positiveInt(20_000),
  PICTURE_RENDERER_MEMORY_MB: positiveInt(256),
  /** The ops endpoints (/healthz, /readyz, /metrics) listen apart from Slack's port, on this address (SECURITY.md). */
  OPS_HOST: z.string().regex(/^[A-Za-z0-9.:-]{1,253}$/, 'an IP address or host name').default('127.0.0.1'),
  OPS_PORT: port(9090),
  METRICS_TRACK_RECORD: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  READYZ_CACHE_MS: positiveInt(5000),
  HTTP_REQUEST_TIMEOUT_MS: positiveInt(10_000),
  HTTP_HEADERS_TIMEOUT_MS: positiveInt(5000),
  HTTP_MAX_CONNECTIONS: positiveInt(256),
  /** How long a stopping process waits for its work in hand before it exits anyway. */
  SHUTDOWN_TIMEOUT_MS: positiveInt(25_000),
  CATCHUP_INTERVAL_SECONDS: positiveInt(300),
  CATCHUP_LOOKBACK_HOURS: positiveInt(24),
  CATCHUP_MAX_MESSAGES: positiveInt(500),
  CATCHUP_PAGE_SIZE: positiveInt(200).refine((n) => n <= 999, 'must be at most 999 (Slack’s largest page)'),
  /** Catch-up (src/app/catch-up/) and the intake buffer held while Redis is away: docs/configuration.md. */
  INTAKE_BUFFER_SIZE: positiveInt(1000),
  SLACK_MODE: z.enum(['socket', 'http']).default('socket'),
  SLACK_BOT_TOKEN: z.string().optional(),
  SLACK_APP_TOKEN: z.string().optional(),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_API_URL: httpUrl.optional(),
  SLACK_ALERT_CHANNELS: slackIdList('channel'),
  /** Who may post alerts: unset, integrations only (bots and apps); `*`, anyone; else the listed ids (describeAlertPosters). */
  SLACK_ALERT_POSTERS: csv.superRefine((list, ctx) => {
    if (list.includes(ANYONE) && list.length > 1) ctx.addIssue({ code: z.ZodIssueCode.custom, message: '"*" (anyone) stands alone; list ids without it' });
    for (const id of list) if (id !== ANYONE && !/^[UWBA][A-Z0-9]{2,31}$/.test(id)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${id.slice(0, 40)}" is not a Slack user (U…/W…), bot (B…) or app (A…) id, nor "*"` });
  }),
  SLACK_ESCALATION_CHANNEL: slackId('channel').optional(),
  SLACK_ONCALL_USERGROUP: slackId('usergroup').optional(),
  SLACK_RESPONDER_USERGROUP: slackId('usergroup').optional(),
  SLACK_RESPONDER_USERS: slackIdList('user'),
  PAGERDUTY_ROUTING_KEY: z.string().optional(),
  PAGERDUTY_API_URL: httpUrl.default('https://events.pagerduty.com'),
  /** Containment (issue 20): off, dry-run (shown and audited, never called) or live; docs/operations.md has the rest. */
  CONTAINMENT_MODE: z.enum(['off', 'dry-run', 'live']).default('off'),
  CONTAINMENT_APPROVAL_TTL: duration('15m'),
  CONTAINMENT_APPROVER_USERGROUP: slackId('usergroup').optional(),
  /** One person may request and approve their own request: only when set to true. */
  CONTAINMENT_SINGLE_APPROVER: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  CONTAINMENT_AWS_REGION: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as us-east-1').default('us-east-1'),
  CONTAINMENT_IAM_ENDPOINT: httpUrl.optional(),
  CYREN_API_URL: httpUrl.optional(),
  CYREN_CLIENT_ID: z.string().optional(),
  CYREN_CLIENT_SECRET: z.string().optional(),
  PORT: port(3000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

/** Every setting's name (docs/configuration.md's table lists each). */
export const SETTING_NAMES = Object.keys(schema.shape);

type RawSettings = z.infer<typeof schema>;
export type Config = RawSettings;

/** What the caller is about to run; each adds settings that become required. */
export type ConfigNeed = 'slack' | 'worker';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads `.env` (if present) under the real environment, which always wins. */
export function environmentWithDotenv(env: NodeJS.ProcessEnv = process.env, dotenvPath = '.env'): Record<string, string | undefined> {
  const fromFile = existsSync(dotenvPath) ? parseDotenv(readFileSync(dotenvPath)) : {};
  return { ...fromFile, ...env };
}

export function loadConfig(env: Record<string, string | undefined>, needs: ConfigNeed[] = []): Config {
  rememberSecrets(env);
  // Empty strings count as unset, as they do in most .env files.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  const problems: string[] = [];
  if (!parsed.success) {
    const named = new Set<string>();
    for (const issue of parsed.error.issues) {
      const name = issue.path.join('.');
      if (named.has(name)) continue; // one line per setting is enough to fix it
      named.add(name);
      problems.push(`${name}: ${issue.message}`);
    }
  }
  const cfg = parsed.success ? parsed.data : undefined;
  if (needs.includes('slack')) {
    if (!cleaned['SLACK_BOT_TOKEN']) problems.push('SLACK_BOT_TOKEN: missing (the Slack app posts with it)');
    // Only a valid mode says which other secret is needed (an invalid one is named above): "HTTP" is not "http",
    // and must not be reported as Socket Mode's requirement under HTTP's name.
    const mode = cleaned['SLACK_MODE'] ?? 'socket';
    if (mode === 'http' && !cleaned['SLACK_SIGNING_SECRET']) problems.push('SLACK_SIGNING_SECRET: missing (required in HTTP mode, SLACK_MODE=http)');
    if (mode === 'socket' && !cleaned['SLACK_APP_TOKEN']) problems.push('SLACK_APP_TOKEN: missing (required in Socket Mode, the default; SLACK_MODE=http needs SLACK_SIGNING_SECRET instead)');
    if (!cleaned['SLACK_ALERT_CHANNELS']) problems.push('SLACK_ALERT_CHANNELS: missing (the channels whose messages are alerts)');
  }
  if (needs.includes('worker') && !needs.includes('slack') && !cleaned['SLACK_BOT_TOKEN']) problems.push('SLACK_BOT_TOKEN: missing (workers post the verdicts)');
  if (cleaned['OKTA_ORG_URL'] && !cleaned['OKTA_API_TOKEN']) problems.push('OKTA_API_TOKEN: missing (required when OKTA_ORG_URL is set)');
  if (cleaned['CYREN_API_URL'] && !(cleaned['CYREN_CLIENT_ID'] && cleaned['CYREN_CLIENT_SECRET'])) problems.push('CYREN_CLIENT_ID, CYREN_CLIENT_SECRET: missing (required when CYREN_API_URL is set)');
  if (problems.length > 0 || !cfg) throw new ConfigError(problems.map((p) => redactSecrets(p, env)));
  return cfg;
}

/**
 * Where AWS's ranges are read from: AWS_IP_RANGES_FILE when set; otherwise the file
 * `triage update-ip-ranges` writes. (The tests' snapshot under test/fixtures/ is never a production default:
 * a bot must not classify addresses with ranges nobody refreshes.)
 */
export const AWS_RANGES_CANDIDATES = ['.cache/aws-ip-ranges.json'];

export function awsRangesFile(cfg: Pick<Config, 'AWS_IP_RANGES_FILE'>, exists: (p: string) => boolean = existsSync): string {
  return cfg.AWS_IP_RANGES_FILE ?? AWS_RANGES_CANDIDATES.find(exists) ?? AWS_RANGES_CANDIDATES[0]!;
}

/**
 * Secret values of every configuration this process loaded: a secret read from `.env` is in no
 * process.env, yet must be redacted from logs all the same.
 */
const loadedSecrets = new Set<string>();

function secretValues(env: Record<string, string | undefined>): string[] {
  return SECRET_SETTINGS.map((name) => env[name]).filter((v): v is string => typeof v === 'string' && v.length >= 4);
}

function rememberSecrets(env: Record<string, string | undefined>): void {
  for (const value of secretValues(env)) loadedSecrets.add(value);
}

/** Replaces any secret value (from `env` or any loaded configuration) that might have slipped into a text. */
export function redactSecrets(text: string, env: Record<string, string | undefined> = process.env): string {
  // Longest first: a secret that contains another is replaced whole.
  const values = [...new Set([...secretValues(env), ...loadedSecrets])].sort((a, b) => b.length - a.length);
  let out = text;
  for (const value of values) out = out.split(value).join('[redacted]');
  return out;
}
