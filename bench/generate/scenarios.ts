// The benchmark's alerts and the evidence each one needs: families of flows.md's cases (the ones
// test/flows/*-scenarios.ts check), every alert with its own keys, users, domains, files and addresses,
// plus three heavy, shared subjects: a busy CloudTrail key, a user with many sign-ins and a widely
// clicked phishing domain. Alert i is the same for any alert count and any background size.
import { Rng, Weighted } from './rng.js';
import { ACCOUNTS, OFFICE_NAT, SDK_AGENTS, slotIp } from './world.js';
import { agentSighting, apiEvent, cloudTrailEvent, connection, dnsLookup, ecsFromApi, fileCreation, processStart, proxyEvent } from './ecs.js';
import { DAY, HEAVY_SLOT, HOUR, iso, MAX_ALERTS, MIN, type Ctx, type Doc, type Expectation, type Family, type ScenarioSizes } from './family.js';
import { BUSY_MFA, busyMfaEvents, MFA_FAMILIES } from './mfa.js';

export type { Expectation, ScenarioSizes } from './family.js';
export type Flow = 'aws' | 'okta' | 'mfa' | 'email';
export const FLOWS: readonly Flow[] = ['aws', 'okta', 'mfa', 'email'];

export interface BenchAlert {
  /** The alert's id (where its shape keeps it: see idPaths). */
  id: string;
  /** The alert as the intake receives it: canonical JSON, or a vendor's shape. */
  alert: Record<string, unknown>;
  /** Where the alert's shape keeps its id, when not in `id` (family.ts, withAlertId). */
  idPaths?: string[][];
  flow: Flow;
  family: string;
  heavy: boolean;
  expect: Expectation;
}

export const DEFAULT_SIZES: ScenarioSizes = { busyKeyEvents: 50_000, busyUserEvents: 20_000, campaignClickers: 300, busyMfaEvents: 20_000 };

/** Every n-th alert of a flow is about its heavy subject. */
const HEAVY_EVERY = 40;

// ---------------------------------------------------------------- AWS

const LINUX_CLI = SDK_AGENTS[0];
const BOTO = SDK_AGENTS[1];
const JAVA = SDK_AGENTS[3];

function awsIds(s: number) {
  const b36 = s.toString(36).toUpperCase().padStart(11, '0');
  const instance = `i-0b${s.toString(16).padStart(15, '0')}`;
  const account = ACCOUNTS[s % ACCOUNTS.length]!;
  return {
    key: `ASIABENCH${b36}`,
    instance,
    account,
    // us-east-1 addresses (3.80.0.0/12), four per slot.
    ip: (j: number) => slotIp(3, 80, s * 4 + j + 1),
    euWest: slotIp(54, 72, s + 1),
    vps: slotIp(45, 155, s + 1),
  };
}

function keyEvents(id: ReturnType<typeof awsIds>, rng: Rng, source: string, from: number, to: number, n: number, agent: string = LINUX_CLI, instance = id.instance, key = id.key): Doc[] {
  const out: Doc[] = [];
  for (let i = 0; i < n; i++) {
    const t = n === 1 ? from : from + Math.floor(((to - from) * i) / (n - 1));
    out.push(awsCall(id.account, key, instance, source, t, agent, rng));
  }
  return out;
}

const SCENARIO_CALLS = ['DescribeInstances', 'GetObject', 'PutObject', 'GetParameter', 'Decrypt', 'ListBuckets', 'GetCallerIdentity'] as const;

function awsCall(account: string, key: string, instance: string, source: string, t: number, agent: string, rng: Rng): Doc {
  const action = rng.pick(SCENARIO_CALLS);
  const provider = action === 'GetParameter' ? 'ssm.amazonaws.com' : action === 'Decrypt' ? 'kms.amazonaws.com' : action === 'GetCallerIdentity' ? 'sts.amazonaws.com' : action.endsWith('Object') || action === 'ListBuckets' ? 's3.amazonaws.com' : 'ec2.amazonaws.com';
  return cloudTrailEvent({
    at: iso(t), keyId: key, identity: 'AssumedRole', principalId: `AROABENCHSCENARIO:${instance}`,
    arn: `arn:aws:sts::${account}:assumed-role/scenario-role/${instance}`, issuerArn: `arn:aws:iam::${account}:role/scenario-role`,
    source, agent: source.endsWith('amazonaws.com') ? 'AWS Internal' : agent, action, provider, account, region: 'us-east-1', eventId: `sc-${rng.hex(20)}`,
  });
}

function stateChange(account: string, t: number, action: string, instance: string, rng: Rng): Doc {
  return cloudTrailEvent({
    at: iso(t), keyId: 'AKIABENCHOPS0000001', identity: 'IAMUser', principalId: 'AIDABENCHOPS', arn: `arn:aws:iam::${account}:user/ops`,
    source: OFFICE_NAT[0], agent: 'console.ec2.amazonaws.com', action, provider: 'ec2.amazonaws.com', account, region: 'us-east-1',
    parameters: { instancesSet: { items: [{ instanceId: instance }] } }, eventId: `sc-${rng.hex(20)}`,
  });
}

function awsAlert(ctx: Ctx, extra: Record<string, unknown> = {}) {
  const id = awsIds(ctx.s);
  return { id: `bench-aws-${ctx.s}`, type: 'aws.instance_credential_exfiltration', title: 'Instance credentials used elsewhere', time: iso(ctx.T), access_key_id: id.key, instance_id: id.instance, account_id: id.account, region: 'us-east-1', ...extra };
}

const AWS_FAMILIES: Array<[Family, number]> = [
  [{
    name: 'A4 own public IP and VPC endpoint → benign',
    expect: { verdict: 'benign', score: 15 },
    build: (ctx) => {
      const id = awsIds(ctx.s);
      const n = ctx.rng.logUniform(10, 400);
      return {
        alert: awsAlert(ctx, { instance_public_ips: [id.ip(0)] }),
        events: () => [
          ...keyEvents(id, ctx.rng, id.ip(0), ctx.T - 20 * HOUR, ctx.T - HOUR, n),
          ...keyEvents(id, ctx.rng, `10.${ctx.s % 200}.12.7`, ctx.T - 5 * HOUR, ctx.T - 4 * HOUR, 3),
          ...keyEvents(id, ctx.rng, 'ec2.amazonaws.com', ctx.T - 3 * HOUR, ctx.T - 3 * HOUR, 1),
        ],
      };
    },
  }, 25],
  [{
    name: 'A6 reboot explains the new IP → benign',
    expect: { verdict: 'benign', score: 10 },
    build: (ctx) => {
      const id = awsIds(ctx.s);
      const n = ctx.rng.logUniform(10, 300);
      const change = ctx.T - 10 * HOUR;
      return {
        alert: awsAlert(ctx),
        events: () => [
          ...keyEvents(id, ctx.rng, id.ip(0), ctx.T - 20 * HOUR, change, n),
          stateChange(id.account, change + 2 * MIN, 'RebootInstances', id.instance, ctx.rng),
          ...keyEvents(id, ctx.rng, id.ip(1), change + 5 * MIN, ctx.T - HOUR, n),
        ],
      };
    },
  }, 20],
  [{
    name: 'A7 one unexplained change, one user agent → benign',
    expect: { verdict: 'benign', score: 20 },
    build: (ctx) => {
      const id = awsIds(ctx.s);
      const change = ctx.T - 8 * HOUR;
      return {
        alert: awsAlert(ctx),
        events: () => [...keyEvents(id, ctx.rng, id.ip(0), ctx.T - 18 * HOUR, change, ctx.rng.logUniform(5, 200)), ...keyEvents(id, ctx.rng, id.ip(1), change + 5 * MIN, ctx.T - HOUR, ctx.rng.logUniform(5, 200))],
      };
    },
  }, 10],
  [{
    name: 'A1 keys used from a VPS → malicious',
    expect: { verdict: 'malicious', score: 90 },
    build: (ctx) => {
      const id = awsIds(ctx.s);
      return {
        alert: awsAlert(ctx, { instance_public_ips: [id.ip(0)] }),
        events: () => [...keyEvents(id, ctx.rng, id.ip(0), ctx.T - 12 * HOUR, ctx.T - HOUR, ctx.rng.logUniform(10, 300)), ...keyEvents(id, ctx.rng, id.vps, ctx.T - 2 * HOUR, ctx.T - HOUR, 6, BOTO)],
      };
    },
  }, 15],
  [{
    name: 'A3 keys used from another region → malicious',
    expect: { verdict: 'malicious', score: 80 },
    build: (ctx) => {
      const id = awsIds(ctx.s);
      return {
        alert: awsAlert(ctx),
        events: () => [...keyEvents(id, ctx.rng, id.ip(0), ctx.T - 12 * HOUR, ctx.T - 3 * HOUR, ctx.rng.logUniform(10, 300)), ...keyEvents(id, ctx.rng, id.euWest, ctx.T - 2 * HOUR, ctx.T - HOUR, 4)],
      };
    },
  }, 10],
  [{
    name: 'A5 two AWS IPs at the same time → suspicious',
    expect: { verdict: 'suspicious', score: 65 },
    build: (ctx) => {
      const id = awsIds(ctx.s);
      const t0 = ctx.T - 6 * HOUR;
      return {
        alert: awsAlert(ctx),
        events: () => [...keyEvents(id, ctx.rng, id.ip(0), t0, t0 + 30 * MIN, 30), ...keyEvents(id, ctx.rng, id.ip(1), t0 + 10 * MIN, t0 + 40 * MIN, 30)],
      };
    },
  }, 10],
  [{
    name: 'A0 no event of the key in the window → inconclusive',
    expect: { verdict: 'inconclusive', score: null },
    build: (ctx) => {
      const id = awsIds(ctx.s);
      return { alert: awsAlert(ctx), events: () => keyEvents(id, ctx.rng, id.ip(0), ctx.T - 3 * DAY, ctx.T - 3 * DAY + HOUR, 5) };
    },
  }, 5],
  [{
    name: 'A6 (b) the NAT instance restarted → benign',
    expect: { verdict: 'benign', score: 10 },
    build: (ctx) => {
      const id = awsIds(ctx.s);
      const proxy = `i-0c${ctx.s.toString(16).padStart(15, '0')}`;
      const change = ctx.T - 9 * HOUR;
      return {
        alert: awsAlert(ctx),
        events: () => [
          ...keyEvents(id, ctx.rng, id.ip(0), ctx.T - 15 * HOUR, change, ctx.rng.logUniform(5, 100)),
          stateChange(id.account, change + MIN, 'StopInstances', proxy, ctx.rng),
          stateChange(id.account, change + 3 * MIN, 'StartInstances', proxy, ctx.rng),
          ...keyEvents(id, ctx.rng, id.ip(1), change + 6 * MIN, ctx.T - 2 * HOUR, ctx.rng.logUniform(5, 100)),
          // The NAT instance's own instance-profile session, seen from the new address.
          ...keyEvents(id, ctx.rng, id.ip(1), change + 7 * MIN, change + 7 * MIN, 1, LINUX_CLI, proxy, `ASIABENCHNAT${ctx.s.toString(36).toUpperCase().padStart(8, '0')}`),
        ],
      };
    },
  }, 5],
];

export { HEAVY_SLOT, MAX_ALERTS } from './family.js';

/** The busy key: an instance calling AWS all day, rebooted once (a new address after it). */
const BUSY_KEY: Family = {
  name: 'busy key: A6 reboot among tens of thousands of calls → benign',
  expect: { verdict: 'benign', score: 10 },
  build: (ctx) => ({ alert: { ...awsAlert({ ...ctx, s: HEAVY_SLOT }), id: `bench-aws-busy-${ctx.s}` }, events: () => [] }),
};

function busyKeyEvents(T0: number, sizes: ScenarioSizes, seed: number): Iterable<Doc> {
  const id = awsIds(HEAVY_SLOT);
  const rng = new Rng(seed, 'busy-key');
  const half = Math.floor(sizes.busyKeyEvents / 2);
  const change = T0 - 12 * HOUR;
  return (function* () {
    for (let i = 0; i < half; i++) yield awsCall(id.account, id.key, id.instance, id.ip(0), T0 - 23 * HOUR + Math.floor((i * (11 * HOUR - MIN)) / half), JAVA, rng);
    yield stateChange(id.account, change + MIN, 'RebootInstances', id.instance, rng);
    for (let i = 0; i < sizes.busyKeyEvents - half; i++) yield awsCall(id.account, id.key, id.instance, id.ip(1), change + 5 * MIN + Math.floor((i * (12 * HOUR - 10 * MIN)) / half), JAVA, rng);
  })();
}

// ---------------------------------------------------------------- Okta

const UA_A = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';
const UA_B = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36';
const BEHAVIORS = '{New Geo-Location=POSITIVE, New Device=POSITIVE, New IP=POSITIVE, New State=NEGATIVE, New Country=POSITIVE, Velocity=POSITIVE}';

interface OktaKnobs {
  noSessionA?: boolean;
  knownA?: 'cidr';
  knownB?: 'agent';
  sameUa?: boolean;
  fp?: 'equal';
  failuresB?: number;
  proxyB?: boolean;
}

function oktaUser(s: number) {
  return { id: `00uBENCH${s.toString(36).toUpperCase().padStart(12, '0')}`, login: `bench.user${s}@example.com` };
}

function oktaScenario(ctx: Ctx, k: OktaKnobs) {
  const { s, T } = ctx;
  const user = oktaUser(s);
  const ipA = k.knownA === 'cidr' ? `198.51.100.${10 + (s % 200)}` : slotIp(81, 0, s + 1);
  const ipB = slotIp(185, 0, s + 1);
  const uuid = (n: number) => `bench-okta-${s}-${n}`;
  let n = 0;
  const events = () => {
    const specs: Array<Parameters<typeof apiEvent>[0]> = [];
    specs.push({ user, at: iso(T - 30 * DAY), ip: '192.0.2.50', ua: UA_A, session: `hist-${s}`, uuid: uuid(n++) });
    if (!k.noSessionA) specs.push({ user, at: iso(T - 3 * HOUR), ip: ipA, ua: UA_A, session: `sA-${s}`, ...(k.fp ? { fingerprint: 'fp-device-1' } : {}), uuid: uuid(n++) });
    const uaB = k.sameUa ? UA_A : UA_B;
    for (let f = 0; f < (k.failuresB ?? 0); f++) specs.push({ user, at: iso(T - (30 - f) * MIN), ip: ipB, ua: uaB, outcome: 'FAILURE', eventType: 'user.authentication.sso', uuid: uuid(n++) });
    specs.push({
      user, at: iso(T), ip: ipB, ua: uaB, session: `sB-${s}`, behaviors: BEHAVIORS, uuid: uuid(n++),
      ...(k.fp ? { fingerprint: 'fp-device-1' } : {}),
      ...(k.proxyB !== undefined ? { proxy: k.proxyB, asOrg: k.proxyB ? 'M247 Europe SRL' : 'Comcast' } : {}),
    });
    specs.push({ user, at: iso(T + MIN), ip: ipB, ua: uaB, session: `sB-${s}`, eventType: 'user.authentication.auth_via_mfa', factor: 'OKTA_VERIFY_PUSH', uuid: uuid(n++) });
    const docs: Doc[] = specs.map((sp) => ecsFromApi(apiEvent(sp)));
    if (k.knownB) docs.push(agentSighting({ host: `LAPTOP-B${s}`, hostIp: ['10.9.0.5'], user: `bench.user${s}`, windows: true, agentId: `agent-b-${s}` }, iso(T - 2 * DAY), `sc-okta-agent-${s}`, ipB));
    return docs;
  };
  return { alert: { id: `bench-okta-${s}`, type: 'okta.superhuman', title: 'Okta: impossible travel', time: iso(T), user_id: user.id, ip: ipB }, events };
}

const okta = (name: string, expect: Expectation, knobs: OktaKnobs): Family => ({ name, expect, build: (ctx) => oktaScenario(ctx, knobs) });

const OKTA_FAMILIES: Array<[Family, number]> = [
  [okta('baseline: B is the mystery → suspicious', { verdict: 'suspicious', score: 70 }, {}), 25],
  [okta('O1 both addresses known → benign', { verdict: 'benign', score: 5 }, { knownA: 'cidr', knownB: 'agent' }), 15],
  [okta('O6 failures before B’s success → malicious', { verdict: 'malicious', score: 90 }, { failuresB: 3 }), 15],
  [okta('O5 the same device → suspicious', { verdict: 'suspicious', score: 40 }, { fp: 'equal' }), 10],
  [okta('O3 the same browser → suspicious', { verdict: 'suspicious', score: 35 }, { sameUa: true }), 10],
  [okta('O0 no earlier sign-in → inconclusive', { verdict: 'inconclusive', score: null }, { noSessionA: true }), 10],
  [okta('O8 B behind an anonymising proxy → malicious', { verdict: 'malicious', score: 85 }, { proxyB: true }), 15],
];

const BUSY_USER_SLOT = HEAVY_SLOT;

/** A user who signs in all day, every day, for 90 days; B's browser is in that history. */
const BUSY_USER: Family = {
  name: 'user with many sign-ins: B’s browser seen in 90 days of history → suspicious',
  expect: { verdict: 'suspicious', score: 40 },
  build: (ctx) => {
    const user = oktaUser(BUSY_USER_SLOT);
    return { alert: { id: `bench-okta-busy-${ctx.s}`, type: 'okta.superhuman', title: 'Okta: impossible travel', time: iso(ctx.T), user_id: user.id, ip: slotIp(185, 0, BUSY_USER_SLOT) }, events: () => [] };
  },
};

function busyUserEvents(T0: number, sizes: ScenarioSizes, seed: number): Iterable<Doc> {
  const rng = new Rng(seed, 'busy-user');
  const user = oktaUser(BUSY_USER_SLOT);
  const home = slotIp(81, 0, BUSY_USER_SLOT);
  const ipB = slotIp(185, 0, BUSY_USER_SLOT);
  return (function* () {
    const from = T0 - 90 * DAY;
    const until = T0 - HOUR;
    for (let i = 0; i < sizes.busyUserEvents; i++) {
      const t = from + Math.floor(((until - from) * i) / sizes.busyUserEvents);
      // The mystery browser appears in the history, never in the last two days.
      const ua = t < T0 - 2 * DAY && rng.chance(0.15) ? UA_B : UA_A;
      const eventType = rng.chance(0.25) ? 'user.session.start' : 'user.authentication.sso';
      yield ecsFromApi(apiEvent({ user, at: iso(t), ip: home, ua, eventType, uuid: `bench-okta-busy-${i}` }));
    }
    yield ecsFromApi(apiEvent({ user, at: iso(T0), ip: ipB, ua: UA_B, session: 'sB-busy', behaviors: BEHAVIORS, uuid: 'bench-okta-busy-B' }));
    yield ecsFromApi(apiEvent({ user, at: iso(T0 + MIN), ip: ipB, ua: UA_B, session: 'sB-busy', eventType: 'user.authentication.auth_via_mfa', factor: 'OKTA_VERIFY_PUSH', uuid: 'bench-okta-busy-B-mfa' }));
  })();
}

// ---------------------------------------------------------------- Email

function victim(s: number) {
  const name = `bench.victim${s}`;
  return { name, email: `${name}@example.com`, endpoint: { host: `LAPTOP-V${s.toString(36).toUpperCase()}`, hostIp: [`10.60.${(s >>> 8) & 255}.${s & 255}`], user: name, windows: true, agentId: `agent-v-${s}` } };
}

function emailAlert(ctx: Ctx, extra: Record<string, unknown>) {
  return { id: `bench-email-${ctx.s}`, type: 'email.malicious', title: 'Malicious email delivered', time: iso(ctx.T), recipients: [victim(ctx.s).email], sender: `billing@evil-sender-${ctx.s}.test`, subject: 'Overdue invoice', ...extra };
}

function clickEvent(v: ReturnType<typeof victim>, at: number, u: string, id: string): Doc {
  return proxyEvent({ at: iso(at), url: u, user: v.name, email: v.email, host: v.endpoint.host, lanIp: v.endpoint.hostIp[0]!, natIp: OFFICE_NAT[1], destinationIp: '203.0.113.66', agent: UA_B, eventId: id });
}

const phishDomain = (s: number) => `acct-verify-${s.toString(36)}.com`;

/** Popular domains of the background (the world's most visited), the same for every event count. */
export interface PopularDomains {
  names: readonly string[];
}

function emailFamilies(popular: PopularDomains): Array<[Family, number]> {
  return [
    [{
      name: 'M2 the link was clicked → malicious',
      expect: { verdict: 'malicious', score: 90 },
      build: (ctx) => {
        const v = victim(ctx.s);
        const d = phishDomain(ctx.s);
        return {
          alert: emailAlert(ctx, { urls: [`https://login.${d}/verify?u=${ctx.s}`] }),
          events: () => [clickEvent(v, ctx.T + 20 * MIN, `https://LOGIN.${d}:443/verify/?u=${ctx.s}`, `sc-m2-${ctx.s}`), dnsLookup(v.endpoint, iso(ctx.T + 20 * MIN), `sc-m2d-${ctx.s}`, `login.${d}`)],
        };
      },
    }, 20],
    [{
      name: 'M3 a rare domain was reached → malicious',
      expect: { verdict: 'malicious', score: 85 },
      build: (ctx) => {
        const v = victim(ctx.s);
        const d = phishDomain(ctx.s);
        const prior = ctx.rng.int(5);
        return {
          alert: emailAlert(ctx, { urls: [`https://login.${d}/a`] }),
          events: () => [
            ...Array.from({ length: prior }, (_, i) => dnsLookup(victim(ctx.s * 10 + i + 500_000).endpoint, iso(ctx.T - (i + 1) * DAY), `sc-m3p-${ctx.s}-${i}`, `www.${d}`)),
            dnsLookup(v.endpoint, iso(ctx.T + 25 * MIN), `sc-m3-${ctx.s}`, `cdn.login.${d}`),
          ],
        };
      },
    }, 15],
    [{
      name: 'M5 a popular domain was reached → suspicious',
      expect: { verdict: 'suspicious', score: 45 },
      build: (ctx) => {
        const v = victim(ctx.s);
        const d = popular.names[ctx.s % popular.names.length]!;
        return {
          alert: emailAlert(ctx, { urls: [`https://files.${d}/share/${ctx.s.toString(36)}`] }),
          events: () => [
            // Popular whatever the background size: colleagues used it in the month before (the background adds many more).
            ...Array.from({ length: 6 }, (_, i) => dnsLookup(victim(ctx.s * 10 + i + 500_000).endpoint, iso(ctx.T - (i + 2) * DAY), `sc-m5p-${ctx.s}-${i}`, `www.${d}`)),
            connection(v.endpoint, iso(ctx.T + 40 * MIN), `sc-m5-${ctx.s}`, `files.${d}`, '104.16.200.1'),
          ],
        };
      },
    }, 10],
    [{
      name: 'M1 the attachment ran → malicious',
      expect: { verdict: 'malicious', score: 98 },
      build: (ctx) => {
        const v = victim(ctx.s);
        const name = `Invoice_${ctx.s}.pdf.exe`;
        return {
          alert: emailAlert(ctx, { file_names: [name] }),
          events: () => [processStart(v.endpoint, iso(ctx.T + 45 * MIN), `sc-m1-${ctx.s}`, { name: 'cmd.exe', executable: 'C:\\Windows\\System32\\cmd.exe', commandLine: `cmd.exe /c "C:\\Users\\${v.name}\\Downloads\\${name.toUpperCase()}"`, parent: 'OUTLOOK.EXE' })],
        };
      },
    }, 15],
    [{
      name: 'M4 the attachment was written to disk → malicious',
      expect: { verdict: 'malicious', score: 80 },
      build: (ctx) => {
        const v = victim(ctx.s);
        const name = `Payment_Advice_${ctx.s}.HTM`;
        return {
          alert: emailAlert(ctx, { file_names: [name], hashes: [ctx.rng.hex(64)] }),
          events: () => [fileCreation(v.endpoint, iso(ctx.T + 12 * MIN), `sc-m4-${ctx.s}`, { name: name.toLowerCase(), path: `C:\\Users\\${v.name}\\Downloads\\${name.toLowerCase()}`, process: 'OUTLOOK.EXE' })],
        };
      },
    }, 10],
    [{
      name: 'M7 no interaction → benign',
      expect: { verdict: 'benign', score: 15 },
      build: (ctx) => ({
        alert: emailAlert(ctx, { urls: [`https://${phishDomain(ctx.s)}/login`], file_names: [`b_${ctx.s}.exe`], hashes: [ctx.rng.hex(64)] }),
        events: () => [],
      }),
    }, 25],
    [{
      name: 'M0 no indicator → inconclusive',
      expect: { verdict: 'inconclusive', score: null },
      build: (ctx) => ({ alert: emailAlert(ctx, {}), events: () => [] }),
    }, 5],
  ];
}

const CAMPAIGN = 'docsign-review-portal.com';
const CAMPAIGN_URL = `https://login.${CAMPAIGN}/verify`;

const CAMPAIGN_FAMILY: Family = {
  name: 'widely clicked phishing link → malicious',
  expect: { verdict: 'malicious', score: 90 },
  build: (ctx) => ({ alert: emailAlert(ctx, { urls: [CAMPAIGN_URL], recipients: [victim(700_000 + (ctx.s % 1000)).email] }), events: () => [] }),
};

function campaignEvents(T0: number, sizes: ScenarioSizes, seed: number): Iterable<Doc> {
  const rng = new Rng(seed, 'campaign');
  return (function* () {
    for (let c = 0; c < sizes.campaignClickers; c++) {
      const v = victim(700_000 + c);
      const first = T0 + 5 * MIN + rng.int(8 * HOUR);
      for (let k = 0; k < 2; k++) yield clickEvent(v, first + k * MIN, CAMPAIGN_URL, `sc-camp-${c}-${k}`);
      for (let k = 0; k < 4; k++) yield dnsLookup(v.endpoint, iso(first + k * 30_000), `sc-campd-${c}-${k}`, `login.${CAMPAIGN}`);
      yield connection(v.endpoint, iso(first + 10_000), `sc-campc-${c}`, `login.${CAMPAIGN}`, '203.0.113.66');
    }
  })();
}

// ---------------------------------------------------------------- the set

export interface ScenarioSet {
  alerts: BenchAlert[];
  /** Every scenario event, one at a time. */
  events(): Generator<Doc>;
}

export function buildScenarios(seed: number, count: number, anchor: number, popular: PopularDomains, sizes: ScenarioSizes = DEFAULT_SIZES): ScenarioSet {
  if (count > MAX_ALERTS) throw new Error(`at most ${MAX_ALERTS} alerts (their addresses are allotted per alert)`);
  const families: Record<Flow, Weighted<Family>> = {
    aws: new Weighted(AWS_FAMILIES),
    okta: new Weighted(OKTA_FAMILIES),
    mfa: new Weighted(MFA_FAMILIES),
    email: new Weighted(emailFamilies(popular)),
  };
  const heavy: Record<Flow, Family> = { aws: BUSY_KEY, okta: BUSY_USER, mfa: BUSY_MFA, email: CAMPAIGN_FAMILY };
  // The heavy subjects' times: every alert about one lies minutes after the previous one.
  const heavyT0: Record<Flow, number> = { aws: anchor - 30 * HOUR, okta: anchor - 28 * HOUR, mfa: anchor - 26 * HOUR, email: anchor - 20 * HOUR };
  const perFlow: Record<Flow, number> = { aws: 0, okta: 0, mfa: 0, email: 0 };
  const alerts: BenchAlert[] = [];
  const makers: Array<() => Iterable<Doc>> = [];
  const pickFlow = new Weighted<Flow>([['aws', 30], ['okta', 25], ['mfa', 15], ['email', 30]]);
  for (let s = 0; s < count; s++) {
    const rng = new Rng(seed, `alert:${s}`);
    const flow = pickFlow.draw(rng);
    const nth = perFlow[flow]++;
    const isHeavy = nth % HEAVY_EVERY === HEAVY_EVERY / 2;
    const family = isHeavy ? heavy[flow] : families[flow].draw(rng);
    // Alerts about one heavy subject differ in time (distinct queries, no cache hits between them) but see
    // the same evidence: the busy key's and the campaign's alerts lie 2 min apart (up to an hour later),
    // the busy user's 20 s apart (its sign-in from B is found within ±5 min of the alert time), the shared MFA
    // account's 20 s apart too (its push bombing stays inside every alert's ±1 h).
    const heavyIndex = Math.floor(nth / HEAVY_EVERY);
    const heavyOffset = flow === 'okta' || flow === 'mfa' ? (heavyIndex % 15) * 20_000 : (heavyIndex % 30) * 2 * MIN;
    const T = isHeavy ? heavyT0[flow] + heavyOffset : anchor - Math.round((2 * HOUR + rng.int(68 * HOUR)) / 1000) * 1000;
    const built = family.build({ s, rng, T, sizes });
    const idPath = built.idPaths?.[0] ?? ['id'];
    const id = String(idPath.reduce<unknown>((o, k) => (o as Doc)[k], built.alert));
    alerts.push({ id, alert: built.alert, ...(built.idPaths ? { idPaths: built.idPaths } : {}), flow, family: family.name, heavy: isHeavy, expect: family.expect });
    makers.push(built.events);
  }
  const usedHeavy = new Set(alerts.filter((a) => a.heavy).map((a) => a.flow));
  return {
    alerts,
    *events() {
      for (const make of makers) yield* make();
      if (usedHeavy.has('aws')) yield* busyKeyEvents(heavyT0.aws, sizes, seed);
      if (usedHeavy.has('okta')) yield* busyUserEvents(heavyT0.okta, sizes, seed);
      if (usedHeavy.has('mfa')) yield* busyMfaEvents(heavyT0.mfa, sizes, seed);
      if (usedHeavy.has('email')) yield* campaignEvents(heavyT0.email, sizes, seed);
    },
  };
}
