import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, environmentWithDotenv, loadConfig } from '../../src/config.js';

function problems(env: Record<string, string>, needs: Parameters<typeof loadConfig>[1] = []): string[] {
  try {
    loadConfig(env, needs);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('configuration', () => {
  it('has sane defaults', () => {
    const cfg = loadConfig({});
    expect(cfg.ELASTICSEARCH_URL).toBe('http://127.0.0.1:9200');
    expect(cfg.INDEX_CLOUDTRAIL).toBe('logs-aws.cloudtrail-*');
    // Elastic's GuardDuty integration stores findings there: /triage <finding id> looks them up.
    expect(cfg.INDEX_ALERTS).toBe('.alerts-security.alerts-*,logs-aws.guardduty-*,triage-alerts');
    expect(cfg.RARE_DOMAIN_USER_THRESHOLD).toBe(5);
    expect(cfg.SLACK_MODE).toBe('socket');
    expect(cfg.TRUSTED_EGRESS_CIDRS).toEqual([]);
  });

  it('parses lists and numbers', () => {
    const cfg = loadConfig({ TRUSTED_EGRESS_CIDRS: '198.51.100.0/24, 2001:db8::/32', RARE_DOMAIN_USER_THRESHOLD: '12', SLACK_ALERT_CHANNELS: 'C01,G02' });
    expect(cfg.TRUSTED_EGRESS_CIDRS).toEqual(['198.51.100.0/24', '2001:db8::/32']);
    expect(cfg.RARE_DOMAIN_USER_THRESHOLD).toBe(12);
    expect(cfg.SLACK_ALERT_CHANNELS).toEqual(['C01', 'G02']);
  });

  it('v3: AGENT_IP_FIELDS names where agents record a device’s own address, never an address it talked to', () => {
    expect(loadConfig({}).AGENT_IP_FIELDS).toEqual(['host.ip', 'source.nat.ip', 'client.nat.ip']);
    expect(loadConfig({ AGENT_IP_FIELDS: 'host.ip, observer.ip' }).AGENT_IP_FIELDS).toEqual(['host.ip', 'observer.ip']);
    expect(problems({ AGENT_IP_FIELDS: 'host.ip,related.ip,destination.ip,has space' })).toEqual([
      'AGENT_IP_FIELDS: related.ip holds addresses a device talked to, not the device\'s own: never a company IP',
    ]);
  });

  it('reads TRACK_RECORD_MIN_AGREEMENT as a share from 0 to 1 (default 0.8)', () => {
    expect(loadConfig({}).TRACK_RECORD_MIN_AGREEMENT).toBe(0.8);
    expect(loadConfig({ TRACK_RECORD_MIN_AGREEMENT: '0.65' }).TRACK_RECORD_MIN_AGREEMENT).toBe(0.65);
    expect(loadConfig({ TRACK_RECORD_MIN_AGREEMENT: '1' }).TRACK_RECORD_MIN_AGREEMENT).toBe(1);
    for (const bad of ['80', '80%', '1.5', '-0.1', 'high', '0x1']) expect(problems({ TRACK_RECORD_MIN_AGREEMENT: bad }), bad).toEqual(['TRACK_RECORD_MIN_AGREEMENT: must be a share from 0 to 1 (e.g. 0.8)']);
  });

  it('names every missing or invalid setting in one message', () => {
    const found = problems({ ELASTICSEARCH_URL: 'not a url', RARE_DOMAIN_USER_THRESHOLD: '-3', COMPANY_IP_CIDRS: '10.0.0.0/33', SLACK_MODE: 'http' }, ['slack']);
    expect(found.map((p) => p.split(':')[0])).toEqual(
      expect.arrayContaining(['ELASTICSEARCH_URL', 'RARE_DOMAIN_USER_THRESHOLD', 'COMPANY_IP_CIDRS', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_ALERT_CHANNELS']),
    );
    expect(found.length).toBe(6);
  });

  it('names the secret each Slack mode needs under that mode’s name, and none for an invalid mode', () => {
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_ALERT_CHANNELS: 'C0A' }, ['slack'])).toEqual([
      'SLACK_APP_TOKEN: missing (required in Socket Mode, the default; SLACK_MODE=http needs SLACK_SIGNING_SECRET instead)',
    ]);
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_ALERT_CHANNELS: 'C0A', SLACK_MODE: 'http' }, ['slack'])).toEqual(['SLACK_SIGNING_SECRET: missing (required in HTTP mode, SLACK_MODE=http)']);
    // "HTTP" is no mode: it is named, and no requirement is reported under a mode it is not.
    const invalid = problems({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_ALERT_CHANNELS: 'C0A', SLACK_MODE: 'HTTP' }, ['slack']);
    expect(invalid).toHaveLength(1);
    expect(invalid[0]).toMatch(/^SLACK_MODE: /);
  });

  it('never prints secret values', () => {
    const secret = 'xoxb-super-secret-token-value';
    const env = { SLACK_BOT_TOKEN: secret, OKTA_ORG_URL: 'https://example.okta.com', ELASTICSEARCH_URL: secret };
    let message = '';
    try {
      loadConfig(env, ['slack']);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('OKTA_API_TOKEN: missing');
    expect(message).not.toContain(secret);
  });

  it('reads .env under the real environment, which wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, '.env'), 'RARE_DOMAIN_USER_THRESHOLD=9\nINDEX_PROXY=proxy-*\n');
    const env = environmentWithDotenv({ INDEX_PROXY: 'real-*' }, join(dir, '.env'));
    const cfg = loadConfig(env);
    expect(cfg.RARE_DOMAIN_USER_THRESHOLD).toBe(9);
    expect(cfg.INDEX_PROXY).toBe('real-*');
  });
});

describe('AWS ranges file', async () => {
  const { awsRangesFile } = await import('../../src/config.js');
  it('uses AWS_IP_RANGES_FILE when set, else the first candidate that exists', () => {
    expect(awsRangesFile({ AWS_IP_RANGES_FILE: '/data/r.json' }, () => false)).toBe('/data/r.json');
    expect(awsRangesFile({ AWS_IP_RANGES_FILE: undefined }, (p) => p === '.cache/aws-ip-ranges.json')).toBe('.cache/aws-ip-ranges.json');
    expect(awsRangesFile({ AWS_IP_RANGES_FILE: undefined }, () => false)).toBe('.cache/aws-ip-ranges.json');
  });
});

describe('queue settings', () => {
  it('requires a hash tag in the queue prefix and reads REDIS_CLUSTER', () => {
    expect(problems({ QUEUE_PREFIX: 'triage' })[0]).toMatch(/^QUEUE_PREFIX: must contain a \{hash tag\}/);
    expect(loadConfig({ REDIS_CLUSTER: 'true' }).REDIS_CLUSTER).toBe(true);
    expect(loadConfig({}).REDIS_CLUSTER).toBe(false);
  });
});

describe('PORT', () => {
  it('takes a decimal port number 1–65535', () => {
    expect(loadConfig({}).PORT).toBe(3000);
    expect(loadConfig({ PORT: '8080' }).PORT).toBe(8080);
    expect(loadConfig({ PORT: '1' }).PORT).toBe(1);
    expect(loadConfig({ PORT: '65535' }).PORT).toBe(65535);
  });

  it.each(['99999', '65536', '0x50', '0', '80a', '-1', '8.0', '1e3', ' 80'])('refuses %j in the one configuration message, by name', (port) => {
    const found = problems({ PORT: port, RARE_DOMAIN_USER_THRESHOLD: '-3' });
    expect(found).toContain('PORT: must be a decimal port number from 1 to 65535');
    expect(found).toHaveLength(2);
  });
});

describe('secrets read from .env', () => {
  it('are redacted from logs like those of the real environment', async () => {
    const { redactSecrets } = await import('../../src/config.js');
    const { createLogger } = await import('../../src/ops/log.js');
    const secret = 'xoxb-only-in-dotenv-4f1c2a';
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, '.env'), `SLACK_BOT_TOKEN=${secret}\nOKTA_API_TOKEN=okta-dotenv-secret-99\n`);
    expect(process.env['SLACK_BOT_TOKEN']).toBeUndefined();
    loadConfig(environmentWithDotenv({}, join(dir, '.env')));
    expect(redactSecrets(`calling Slack with ${secret} and okta-dotenv-secret-99`)).toBe('calling Slack with [redacted] and [redacted]');

    const written: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      createLogger('info', 'test')('warn', `request failed: Authorization: Bearer ${secret}`);
    } finally {
      process.stderr.write = write;
    }
    expect(written.join('')).toContain('Bearer [redacted]');
    expect(written.join('')).not.toContain(secret);
  });
});
