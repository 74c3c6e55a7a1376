// Hostile key paths: no alert or document may reach Object.prototype or read an inherited property.
import { afterEach, describe, expect, it } from 'vitest';
import { parseAlertText, recogniseAlert } from '../../src/flows/recognise.js';
import { expandDots, MAX_EXPANDED_KEYS } from '../../src/alerts/json.js';
import { getPath } from '../../src/alerts/fields.js';
import { values } from '../../src/evidence/documents.js';
import { oktaEventFromApi } from '../../src/evidence/okta-api/api-events.js';
import { routeDocument } from '../../src/evidence/elastic/ingest.js';
import { AlertParseError } from '../../src/alerts/types.js';

const PROBES = ['mode', 'x', 'y', 'decision', 'polluted'] as const;

/** Every probe is absent from a fresh object, so nothing reached Object.prototype. */
function expectCleanPrototype(): void {
  const empty = {} as Record<string, unknown>;
  for (const p of PROBES) expect(empty[p], `({}).${p}`).toBeUndefined();
}

// If a fix regresses, one test's pollution must not leak into the next.
afterEach(() => {
  for (const p of PROBES) delete (Object.prototype as Record<string, unknown>)[p];
});

const canonical = {
  id: 'proto-1',
  type: 'okta.superhuman',
  time: '2026-11-10T12:00:00Z',
  user_login: 'jane@example.com',
  ip: '185.220.101.4',
};

const ecsOkta = {
  '@timestamp': '2026-11-10T12:00:00Z',
  'event.dataset': 'okta.system',
  'okta.uuid': 'ecs-proto-1',
  'okta.event_type': 'user.session.start',
  'okta.actor.id': '00u1',
  'okta.client.ip': '185.220.101.4',
  'okta.debug_context.debug_data.behaviors': '{Velocity=POSITIVE}',
};

const HOSTILE = [
  '{"__proto__.mode":"navigate"}',
  '{"__proto__":{"x":1}}',
  '{"constructor.prototype.y":1}',
  '{"a.__proto__.decision":"escalated"}',
  '{"okta.event_type":"x","__proto__.polluted":true,"okta":{"__proto__":{"mode":"navigate"}}}',
];

describe('prototype pollution through key paths', () => {
  it.each(HOSTILE)('parsing %s leaves Object.prototype untouched', (text) => {
    try {
      parseAlertText(text);
    } catch (err) {
      if (!(err instanceof AlertParseError)) throw err;
    }
    expectCleanPrototype();
  });

  it('a valid alert carrying hostile keys still parses, without polluting', () => {
    const text = JSON.stringify({ ...canonical, '__proto__.mode': 'navigate', 'constructor.prototype.y': 1 }).replace(/^\{/, '{"__proto__":{"x":1},');
    const outcome = parseAlertText(text);
    expect(outcome).toMatchObject({ kind: 'alert', alert: { id: 'proto-1', ip: '185.220.101.4' } });
    const ecs = parseAlertText(JSON.stringify({ ...ecsOkta, '__proto__.mode': 'navigate', 'constructor.prototype.y': 1, '__proto__.decision': 'x' }));
    expect(ecs).toMatchObject({ kind: 'alert', alert: { id: 'ecs-proto-1', userId: '00u1' } });
    expectCleanPrototype();
  });

  it('expandDots drops hostile segments and builds objects without a prototype', () => {
    const out = expandDots(JSON.parse('{"a.b":1,"__proto__":{"x":1},"c.constructor":2,"prototype.z":3,"d":{"__proto__":{"y":1}}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBeNull();
    // A key with a hostile segment is dropped whole, not re-rooted elsewhere.
    expect(Object.keys(out).sort()).toEqual(['a', 'd']);
    expect(Object.keys(out['d'] as object)).toEqual([]);
    expect((out['a'] as Record<string, unknown>)['b']).toBe(1);
    expectCleanPrototype();
  });

  it('path readers never return an inherited property', () => {
    const obj = { a: { b: 1 } };
    expect(getPath(obj, 'constructor')).toBeUndefined();
    expect(getPath(obj, 'a.constructor.prototype')).toBeUndefined();
    expect(getPath(obj, '__proto__')).toBeUndefined();
    expect(getPath(obj, 'a.toString')).toBeUndefined();
    expect(getPath(obj, 'a.b')).toBe(1);
    expect(values(obj, 'constructor')).toEqual([]);
    expect(values(obj, 'a.hasOwnProperty')).toEqual([]);
  });

  it('path readers ignore a polluted prototype (defence in depth)', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto['actor'] = { id: 'attacker' };
    proto['okta'] = { actor: { id: 'attacker' } };
    try {
      expect(getPath({}, 'actor.id')).toBeUndefined();
      expect(values({}, 'okta.actor.id')).toEqual([]);
      const event = oktaEventFromApi({ published: '2026-11-10T12:00:00Z', eventType: 'user.session.start', uuid: 'u1' });
      expect(event).toBeDefined();
      expect(event?.actorId).toBeUndefined();
    } finally {
      delete proto['actor'];
      delete proto['okta'];
    }
  });

  it('ingest routing does not pollute either', () => {
    const routed = routeDocument(JSON.parse('{"@timestamp":"2026-11-10T12:00:00Z","event.dataset":"okta.system","__proto__.mode":"navigate","__proto__":{"x":1}}'), {
      namespace: 'default',
      alertsIndex: 'triage-alerts',
    });
    expect(routed).toMatchObject({ index: 'logs-okta.system-default' });
    expectCleanPrototype();
  });
});

describe('dotted keys are expanded once per parse, within a key budget', () => {
  it('expands an ECS Okta event exactly once', () => {
    let enumerations = 0;
    const counted = new Proxy(
      { ...ecsOkta },
      {
        ownKeys(target) {
          enumerations++;
          return Reflect.ownKeys(target);
        },
      },
    );
    const outcome = recogniseAlert(counted);
    expect(outcome.kind).toBe('alert');
    expect(enumerations).toBe(1);
  });

  it('refuses more keys than the budget with a clear reason', () => {
    const many: Record<string, unknown> = { 'okta.event_type': 'user.session.start' };
    for (let i = 0; i <= MAX_EXPANDED_KEYS; i++) many[`k${i}`] = 1;
    expect(() => recogniseAlert(many)).toThrowError(new AlertParseError('(input)', `more than ${MAX_EXPANDED_KEYS} keys`));
    // Segments of dotted keys count too: one key of 20 000 segments is as costly as 20 000 keys.
    const deep = { [Array.from({ length: MAX_EXPANDED_KEYS + 1 }, () => 'a').join('.')]: 1 };
    expect(() => recogniseAlert(deep)).toThrowError(/more than \d+ keys/);
  });
});
