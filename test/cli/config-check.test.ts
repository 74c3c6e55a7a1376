import { describe, expect, it } from 'vitest';
import { configReport, withoutUrlCredentials } from '../../src/cli/config-check.js';
import { runCli } from '../support/cli.js';

const PRODUCTION = {
  SLACK_BOT_TOKEN: 'xoxb-very-secret-bot-token',
  SLACK_APP_TOKEN: 'xapp-very-secret-app-token',
  SLACK_ALERT_CHANNELS: 'C0ALERTS',
  SLACK_ALERT_POSTERS: 'B0SIEM',
  SLACK_RESPONDER_USERGROUP: 'S0SOC',
  OKTA_ORG_URL: 'https://example.okta.com',
  OKTA_API_TOKEN: 'okta-very-secret-token',
  REDIS_URL: 'redis://:redis-password@10.0.0.5:6379',
  ELASTICSEARCH_URL: 'https://elastic:es-password@es.internal:9200',
  AWS_IP_RANGES_FILE: 'ranges.json',
};
const exists = (path: string) => path === 'ranges.json';

describe('triage config check', () => {
  it('prints the effective settings with every secret and URL password redacted', () => {
    const { text, ok } = configReport(PRODUCTION, { exists, pictures: true });
    expect(ok).toBe(true);
    for (const secret of ['xoxb-very', 'xapp-very', 'okta-very', 'redis-password', 'es-password']) expect(text).not.toContain(secret);
    expect(text).toMatch(/SLACK_BOT_TOKEN +\(set, redacted\)/);
    expect(text).toMatch(/REDIS_URL +redis:\/\/\[redacted\]@10\.0\.0\.5:6379/);
    expect(text).toMatch(/WORKER_CONCURRENCY +4 \(default\)/);
    expect(text).toMatch(/PAGERDUTY_ROUTING_KEY +\(not set\)/);
    expect(text).toContain('Problems:\n  none');
  });

  it('says what each component will do, in plain words', () => {
    const { text } = configReport(PRODUCTION, { exists, pictures: true });
    expect(text).toContain('only these ids may post alerts: B0SIEM');
    expect(text).toContain('members of S0SOC may run /triage, escalate, dismiss and re-run');
    expect(text).toContain('Okta API: on (https://example.okta.com)');
    expect(text).toContain('PagerDuty: off');
    expect(text).toContain('pictures: on');
    const open = configReport({ ...PRODUCTION, SLACK_ALERT_POSTERS: '', OKTA_ORG_URL: '', OKTA_API_TOKEN: '' }, { exists: () => false, pictures: false }).text;
    expect(open).toContain('only integrations (bots and apps) may post alerts; people use /triage');
    expect(configReport({ ...PRODUCTION, SLACK_ALERT_POSTERS: '*' }, { exists, pictures: true }).text).toContain('anyone in the alert channels may post alerts');
    expect(open).toContain('Okta API: off');
    expect(open).toContain('pictures: off');
    expect(open).toContain('AWS ranges: ranges.json — missing');
  });

  it('lists what is missing per process, and misspellings with the name meant', () => {
    const { text, ok } = configReport({ SLACK_ALERT_POSTER: 'B0SIEM', SLACK_MODE: 'http' }, { exists });
    expect(ok).toBe(false);
    expect(text).toContain('Slack app (npm start): SLACK_SIGNING_SECRET: missing (required in HTTP mode, SLACK_MODE=http)');
    expect(text).toContain('worker (npm run worker): SLACK_BOT_TOKEN: missing');
    expect(text).toContain('SLACK_ALERT_POSTER is not a setting (ignored): did you mean SLACK_ALERT_POSTERS?');
    expect(text).not.toContain('SLACK_APP_TOKEN: missing');
  });

  it('shows the other settings when one is invalid, and marks it', () => {
    const { text, ok } = configReport({ SLACK_MODE: 'HTTP', PORT: '0x50' }, { exists });
    expect(ok).toBe(false);
    expect(text).toMatch(/SLACK_MODE +HTTP \(invalid\)/);
    expect(text).toMatch(/PORT +0x50 \(invalid\)/);
    expect(text).toMatch(/INDEX_OKTA +logs-okta\.system-\* \(default\)/);
    // An invalid mode names no mode's requirement under the wrong name.
    expect(text).not.toMatch(/SLACK_APP_TOKEN: missing \(required in HTTP/);
    expect(text).toContain('fix the problems above first');
  });

  it('never prints a control character from a value', () => {
    const { text } = configReport({ INDEX_PROXY: 'a\u001b[31mb\nc' }, { exists });
    expect(text).toMatch(/INDEX_PROXY +a \[31mb c/);
  });

  it('strips credentials from any URL', () => {
    expect(withoutUrlCredentials('redis://u:p@h:1,redis://:q@h2:2')).toBe('redis://[redacted]@h:1,redis://[redacted]@h2:2');
    expect(withoutUrlCredentials('http://127.0.0.1:9200')).toBe('http://127.0.0.1:9200');
  });

  // Each spawns the real command (a few seconds each on a busy machine).
  const CLI = { timeout: 90_000 };

  it('runs from the command line: exit 0 when both processes would start', CLI, async () => {
    const good = await runCli(['config', 'check'], { ...PRODUCTION, AWS_IP_RANGES_FILE: 'samples/aws-ip-ranges.sample.json' });
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('What each component will do:');
    expect(good.stdout).not.toContain('very-secret');
  });

  it('runs from the command line: exit 3 when something is missing, naming the typo', CLI, async () => {
    const bad = await runCli(['config', 'check'], { SLACK_ALERT_POSTER: 'B0SIEM' });
    expect(bad.code).toBe(3);
    expect(bad.stdout).toContain('did you mean SLACK_ALERT_POSTERS?');
  });

  it('other commands warn of a typo on standard error before they run', CLI, async () => {
    const other = await runCli(['investigate', '-'], { SLACK_ALERT_POSTER: 'B0SIEM' }, 'not json');
    expect(other.stderr).toContain('triage: warning: SLACK_ALERT_POSTER is not a setting (ignored): did you mean SLACK_ALERT_POSTERS?');
    expect(other.code).toBe(2);
  });
});
