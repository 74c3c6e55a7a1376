// Parse once (issue 17, item 3): the record keeps the typed alert beside the body; readers take it, checked with
// zod, and the body is parsed again only when the stored alert is older than the parser (or fails the check).
import { afterAll, describe, expect, it } from 'vitest';
import { parseAlertStrict, readStoredAlert } from '../../src/flows/recognise.js';
import { PARSER_VERSION, storeAlert } from '../../src/alerts/stored.js';
import { alertKey } from '../../src/queue/state.js';
import { runBodyOf } from '../../src/queue/queue.js';
import { testRedis } from '../support/redis.js';

const redis = testRedis('stored-alert');
afterAll(() => redis.cleanup());

const BODIES = {
  aws: { id: 'st-aws', type: 'aws.instance_credential_exfiltration', time: '2026-11-05T12:00:00Z', title: 'from the body', access_key_id: 'ASIASTOREDALERT0001', instance_id: 'i-0a1b2c3d4e5f60718', region: 'us-east-1', instance_public_ips: ['3.80.1.10'] },
  okta: { id: 'st-okta', type: 'okta.superhuman', time: '2026-11-05T12:00:00+01:00', user_id: '00ustored1', ip: '185.220.101.4', previous_ip: '198.51.100.7' },
  email: { id: 'st-email', type: 'email.malicious', time: '2026-11-05T12:00:00Z', recipients: ['bob@example.com'], sender: 'it@evil.example', subject: 'x', urls: ['https://evil.example/x'], hashes: ['0'.repeat(64)] },
};

describe('the stored alert', () => {
  it('reads back, typed, as the parser made it, for every alert type', () => {
    for (const body of Object.values(BODIES)) {
      const raw = JSON.stringify(body);
      const parsed = parseAlertStrict(raw);
      const back = readStoredAlert({ raw, ...storeAlert(parsed) });
      expect(back.time).toBeInstanceOf(Date);
      expect({ ...back, raw: undefined }).toEqual({ ...parsed, raw: undefined });
    }
  });

  it('is what readers get: a body that says otherwise is not parsed again', async () => {
    const raw = JSON.stringify(BODIES.aws);
    const stored = storeAlert({ ...parseAlertStrict(raw), title: 'from the stored alert' });
    await redis.state.claim(alertKey('st-aws'), { alertId: 'st-aws', raw, stored, channel: 'C1', threadTs: '1.1', origin: 'integration' });
    expect((await redis.state.get(alertKey('st-aws')))!.alert!.title).toBe('from the stored alert');
  });

  it('is read from the body again when it is older than the parser, or fails the check', async () => {
    const raw = JSON.stringify(BODIES.aws);
    const typed = storeAlert({ ...parseAlertStrict(raw), title: 'stale' });
    const older = { alert: typed.alert, parser: PARSER_VERSION - 1 };
    await redis.state.claim(alertKey('st-old'), { alertId: 'st-old', raw, stored: older, channel: 'C1', threadTs: '1.1', origin: 'integration' });
    expect((await redis.state.get(alertKey('st-old')))!.alert!.title).toBe('from the body');
    // Tampered in Redis: a field no alert has, a time that is not one.
    for (const [id, bad] of [
      ['st-extra', { ...JSON.parse(typed.alert), isAdmin: true }],
      ['st-time', { ...JSON.parse(typed.alert), time: 'yesterday' }],
      ['st-type', { ...JSON.parse(typed.alert), type: 'something.else' }],
    ] as const) {
      await redis.state.claim(alertKey(id), { alertId: id, raw, stored: { alert: JSON.stringify(bad), parser: PARSER_VERSION }, channel: 'C1', threadTs: '1.1', origin: 'integration' });
      expect((await redis.state.get(alertKey(id)))!.alert!.title).toBe('from the body');
    }
  });

  it('a record without one (written before) is parsed from its body; a body that no longer parses says why', async () => {
    await redis.state.claim(alertKey('st-legacy'), { alertId: 'st-legacy', raw: JSON.stringify(BODIES.email), channel: 'C1', threadTs: '1.1', origin: 'integration' });
    expect((await redis.state.get(alertKey('st-legacy')))!.alert).toMatchObject({ type: 'email.malicious', sender: 'it@evil.example' });
    await redis.state.claim(alertKey('st-broken'), { alertId: 'st-broken', raw: JSON.stringify({ ...BODIES.aws, access_key_id: undefined }), channel: 'C1', threadTs: '1.1', origin: 'integration' });
    const broken = (await redis.state.get(alertKey('st-broken')))!;
    expect(broken.alert).toBeUndefined();
    expect(broken.unreadable).toMatch(/access_key_id/);
  });
});

describe('a job’s carried body, as it comes back from Redis', () => {
  it('is checked: a well-formed one is taken, an older job has none, anything else is refused', () => {
    const body = { raw: JSON.stringify(BODIES.okta), ...storeAlert(parseAlertStrict(JSON.stringify(BODIES.okta))), channel: 'C1', threadTs: '1.1' };
    expect(runBodyOf({ body })).toEqual(body);
    expect(runBodyOf({})).toBeUndefined();
    expect(runBodyOf({ body: { ...body, channel: 42 } as never })).toBeUndefined();
    expect(runBodyOf({ body: { ...body, isAdmin: true } as never })).toBeUndefined();
  });
});
