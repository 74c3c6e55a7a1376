// Background evidence: the everyday activity of the simulated company, spread over the data set's span.
// Nothing here touches a scenario's keys, users, domains, files or addresses, so verdicts do not depend on N.
import { Rng, Weighted } from './rng.js';
import { OFFICE_NAT, type Person, type World } from './world.js';
import { apiEvent, cloudTrailEvent, connection, dnsLookup, ecsFromApi, fileCreation, processStart, proxyEvent } from './ecs.js';

type Doc = Record<string, unknown>;

export const DATASET_SHARE = {
  'aws.cloudtrail': 0.35,
  'okta.system': 0.1,
  'zscaler_zia.web': 0.25,
  'endpoint.events.network': 0.15,
  'endpoint.events.process': 0.1,
  'endpoint.events.file': 0.05,
} as const;
export type Dataset = keyof typeof DATASET_SHARE;

const DATASETS = new Weighted(Object.entries(DATASET_SHARE) as Array<[Dataset, number]>);
const HOUR = 3600_000;
const DAY = 24 * HOUR;

const INSTANCE_CALLS = new Weighted<[string, string]>([
  [['GetObject', 's3.amazonaws.com'], 30],
  [['PutObject', 's3.amazonaws.com'], 10],
  [['ListObjects', 's3.amazonaws.com'], 5],
  [['Decrypt', 'kms.amazonaws.com'], 8],
  [['GenerateDataKey', 'kms.amazonaws.com'], 4],
  [['GetParameter', 'ssm.amazonaws.com'], 6],
  [['UpdateInstanceInformation', 'ssm.amazonaws.com'], 6],
  [['GetSecretValue', 'secretsmanager.amazonaws.com'], 3],
  [['DescribeInstances', 'ec2.amazonaws.com'], 8],
  [['DescribeTags', 'ec2.amazonaws.com'], 3],
  [['AssumeRole', 'sts.amazonaws.com'], 4],
  [['GetCallerIdentity', 'sts.amazonaws.com'], 3],
  [['CreateLogStream', 'logs.amazonaws.com'], 3],
  [['SendMessage', 'sqs.amazonaws.com'], 4],
  [['PutItem', 'dynamodb.amazonaws.com'], 3],
]);
const HUMAN_CALLS = new Weighted<[string, string]>([
  [['ConsoleLogin', 'signin.amazonaws.com'], 3],
  [['DescribeInstances', 'ec2.amazonaws.com'], 10],
  [['ListBuckets', 's3.amazonaws.com'], 6],
  [['GetObject', 's3.amazonaws.com'], 6],
  [['DescribeSecurityGroups', 'ec2.amazonaws.com'], 4],
  [['ListUsers', 'iam.amazonaws.com'], 2],
  [['GetRole', 'iam.amazonaws.com'], 2],
  [['DescribeLogGroups', 'logs.amazonaws.com'], 3],
  [['LookupEvents', 'cloudtrail.amazonaws.com'], 1],
]);
const STATE_CHANGES = ['RebootInstances', 'StopInstances', 'StartInstances', 'RunInstances', 'AssociateAddress', 'ModifyNetworkInterfaceAttribute', 'CreateNatGateway'] as const;
const OKTA_EVENTS = new Weighted<string>([
  ['user.session.start', 25],
  ['user.authentication.sso', 45],
  ['user.authentication.auth_via_mfa', 15],
  // Okta Verify: a push before each push approval, and now and then a push the user rejects.
  ['system.push.send_factor_verify_push', 8],
  ['user.mfa.okta_verify.deny_push', 0.2],
  ['user.authentication.verify', 5],
  ['user.session.end', 5],
  ['policy.evaluate_sign_on', 5],
]);
const PUSH_SENT = 'system.push.send_factor_verify_push';
const DENY_PUSH = 'user.mfa.okta_verify.deny_push';
const PATHS = ['', 'index.html', 'login', 'api/v2/items', 'assets/app.js', 'static/css/main.css', 'search', 'docs/getting-started', 'images/logo.png', 'feed', 'account/settings', 'download'];
const FILE_KINDS = ['xlsx', 'docx', 'pdf', 'pptx', 'png', 'zip', 'tmp', 'csv', 'msi', 'json'];
const FILE_WORDS = ['report', 'invoice', 'notes', 'budget', 'draft', 'export', 'screenshot', 'setup', 'meeting', 'roadmap', 'backup', 'data'];

export interface BackgroundOptions {
  seed: number;
  events: number;
}

/** A time in the span, weighted to US working hours for human activity. */
function timeIn(rng: Rng, world: World, human: boolean): number {
  const t = world.anchor - Math.floor(rng.next() * world.spanMs);
  if (!human) return t;
  const hourUs = (new Date(t).getUTCHours() + 19) % 24; // UTC−5
  if ((hourUs < 7 || hourUs > 19) && rng.chance(0.75)) return world.anchor - Math.floor(rng.next() * world.spanMs);
  return t;
}

const iso = (t: number) => new Date(t).toISOString();

function endpointOf(p: Person) {
  return { host: p.host, hostIp: [p.lanIp], user: p.name, windows: p.windows, agentId: `agent-${p.host.toLowerCase()}` };
}

/** The instance-profile key of an instance during one 6-hour credential session. */
function sessionKey(seed: number, instanceId: string, t: number): string {
  return `ASIA${new Rng(seed, `key:${instanceId}:${Math.floor(t / (6 * HOUR))}`).base32(16)}`;
}

function cloudTrail(rng: Rng, world: World, i: number): Doc {
  const t = timeIn(rng, world, false);
  const eventId = `${rng.hex(8)}-${rng.hex(4)}-${i.toString(16).padStart(8, '0')}`;
  const failure = rng.chance(0.02);
  const roll = rng.next();
  if (roll < 0.005) {
    // An operator changing an instance's state: names a background instance and address only.
    const inst = world.instances[rng.int(world.instances.length)]!;
    const action = rng.pick(STATE_CHANGES);
    const ops = world.iamUsers[0]!;
    const parameters: Record<string, unknown> =
      action === 'AssociateAddress'
        ? { instanceId: inst.id, publicIp: inst.publicIp, allowReassociation: true }
        : action === 'ModifyNetworkInterfaceAttribute'
          ? { networkInterfaceId: `eni-${rng.hex(17)}`, sourceDestCheck: { value: false } }
          : action === 'CreateNatGateway'
            ? { subnetId: `subnet-${rng.hex(17)}`, allocationId: `eipalloc-${rng.hex(17)}` }
            : { instancesSet: { items: [{ instanceId: inst.id }] } };
    return cloudTrailEvent({
      at: iso(t), keyId: ops.keyId, identity: 'IAMUser', principalId: ops.userId, arn: `arn:aws:iam::${inst.account}:user/${ops.name}`,
      source: rng.pick(OFFICE_NAT), agent: 'console.ec2.amazonaws.com', action, provider: 'ec2.amazonaws.com', account: inst.account, region: 'us-east-1',
      parameters, eventId, ...(failure ? { outcome: 'failure' as const, errorCode: 'Client.UnauthorizedOperation' } : {}),
    });
  }
  if (roll < 0.17) {
    const user = world.iamUsers[rng.int(world.iamUsers.length)]!;
    const person = world.people[user.person]!;
    const [action, provider] = HUMAN_CALLS.draw(rng);
    return cloudTrailEvent({
      at: iso(t), keyId: user.keyId, identity: 'IAMUser', principalId: user.userId, arn: `arn:aws:iam::${user.account}:user/${user.name}`,
      source: person.remote ? person.homeIp : rng.pick(OFFICE_NAT), agent: user.agent, action, provider, account: user.account, region: rng.chance(0.9) ? 'us-east-1' : 'eu-west-1',
      eventId, ...(failure ? { outcome: 'failure' as const, errorCode: 'AccessDenied' } : {}),
    });
  }
  const inst = world.instances[world.instancePopularity.draw(rng)]!;
  const [action, provider] = INSTANCE_CALLS.draw(rng);
  const where = rng.next();
  const source = where < 0.88 ? inst.publicIp : where < 0.94 ? inst.privateIp : provider.replace('.amazonaws.com', '') === 'sts' ? 'sts.amazonaws.com' : 'ec2.amazonaws.com';
  const parameters = provider === 's3.amazonaws.com' ? { bucketName: `${inst.role.replace('-role', '')}-data-${inst.account.slice(0, 4)}`, key: `objects/${rng.hex(2)}/${rng.hex(12)}.json` } : undefined;
  return cloudTrailEvent({
    at: iso(t), keyId: sessionKey(world.seed, inst.id, t), identity: 'AssumedRole', principalId: `AROA${inst.account.slice(0, 6)}${inst.role.length}XYZ:${inst.id}`,
    arn: `arn:aws:sts::${inst.account}:assumed-role/${inst.role}/${inst.id}`, issuerArn: `arn:aws:iam::${inst.account}:role/${inst.role}`,
    source, agent: source.endsWith('amazonaws.com') ? 'AWS Internal' : inst.agent, action, provider, account: inst.account, region: 'us-east-1',
    eventId, ...(parameters ? { parameters } : {}), ...(failure ? { outcome: 'failure' as const, errorCode: 'AccessDenied' } : {}),
  });
}

function okta(rng: Rng, world: World, i: number): Doc {
  const t = timeIn(rng, world, true);
  const p = world.people[world.personPopularity.draw(rng)]!;
  const drawn = OKTA_EVENTS.draw(rng);
  // Only people whose factor is Okta Verify push get pushes; the others verify their own factor instead.
  const pushes = p.factor === 'push';
  const eventType = !pushes && (drawn === PUSH_SENT || drawn === DENY_PUSH) ? 'user.authentication.auth_via_mfa' : drawn;
  const atHome = p.remote ? rng.chance(0.85) : rng.chance(0.1);
  const ip = atHome ? p.homeIp : rng.pick(OFFICE_NAT);
  const day = Math.floor(t / DAY);
  const failure = ['user.session.start', 'user.authentication.sso', 'user.authentication.verify'].includes(eventType) && rng.chance(0.04);
  const api = apiEvent({
    at: iso(t),
    user: { id: p.oktaId, login: p.email },
    ip,
    ua: rng.chance(0.9) ? p.browser : 'Okta Verify/9.28.0 (iPhone; iOS 17.6.1)',
    session: `102${p.oktaId.slice(3, 12)}${day.toString(36)}${atHome ? 'h' : 'o'}`,
    ...(rng.chance(0.7) ? { fingerprint: p.fingerprint } : {}),
    geo: atHome ? { lat: p.city.lat, lon: p.city.lon, city: p.city.city, country: p.city.country } : { lat: 40.7128, lon: -74.006, city: 'New York', country: 'US' },
    proxy: false,
    asOrg: atHome ? 'Comcast Cable Communications, LLC' : 'Example Corp',
    eventType,
    outcome: failure || eventType === DENY_PUSH ? 'FAILURE' : 'SUCCESS',
    // The System Log names the push factor OKTA_VERIFY_PUSH (the flows read that spelling).
    ...(eventType === 'user.authentication.auth_via_mfa' ? { factor: pushes ? 'OKTA_VERIFY_PUSH' : p.factor } : {}),
    uuid: `bg${i.toString(36)}-${rng.hex(12)}`,
  });
  return ecsFromApi(api);
}

function url(rng: Rng, world: World): { url: string; domain: World['domains'][number] } {
  const domain = world.domains[world.domainPopularity.draw(rng)]!;
  const host = rng.chance(0.8) ? `${rng.pick(domain.subdomains)}.${domain.name}` : domain.name;
  const path = rng.pick(PATHS);
  return { url: `https://${host}/${path}${path && rng.chance(0.3) ? `?id=${rng.hex(8)}` : ''}`, domain };
}

function proxy(rng: Rng, world: World, i: number): Doc {
  const t = timeIn(rng, world, true);
  const p = world.people[world.personPopularity.draw(rng)]!;
  const { url: u, domain } = url(rng, world);
  return proxyEvent({
    at: iso(t), url: u, user: p.name, email: p.email, host: p.host, lanIp: p.lanIp,
    natIp: p.remote ? p.homeIp : rng.pick(OFFICE_NAT), destinationIp: domain.ip, agent: p.browser,
    action: rng.chance(0.97) ? 'allowed' : 'blocked', eventId: `zs${i.toString(36)}${rng.hex(6)}`,
  });
}

function network(rng: Rng, world: World, i: number): Doc {
  const t = timeIn(rng, world, true);
  const p = world.people[world.personPopularity.draw(rng)]!;
  const domain = world.domains[world.domainPopularity.draw(rng)]!;
  const name = rng.chance(0.8) ? `${rng.pick(domain.subdomains)}.${domain.name}` : domain.name;
  const eventId = `nw${i.toString(36)}${rng.hex(6)}`;
  const proc = p.windows ? rng.pick(['chrome.exe', 'msedge.exe', 'Teams.exe', 'OUTLOOK.EXE', 'svchost.exe']) : rng.pick(['Google Chrome Helper', 'Safari', 'Slack', 'mDNSResponder']);
  return rng.chance(0.7) ? dnsLookup(endpointOf(p), iso(t), eventId, name, proc) : connection(endpointOf(p), iso(t), eventId, name, domain.ip, proc);
}

function processEvent(rng: Rng, world: World, i: number): Doc {
  const t = timeIn(rng, world, true);
  const p = world.people[world.personPopularity.draw(rng)]!;
  const b = world.binaries[world.binaryPopularity.draw(rng)]!;
  const domain = world.domains[world.domainPopularity.draw(rng)]!;
  const args = rng.pick(b.args).replaceAll('{user}', p.name).replaceAll('{doc}', `${rng.pick(FILE_WORDS)}_${rng.int(5000)}`).replaceAll('{domain}', domain.name);
  const executable = b.executable.replaceAll('{user}', p.name);
  return processStart(endpointOf(p), iso(t), `pr${i.toString(36)}${rng.hex(6)}`, {
    name: b.name,
    executable,
    commandLine: args ? `"${executable}" ${args}` : `"${executable}"`,
    sha256: b.sha256,
    parent: rng.pick(['explorer.exe', 'services.exe', 'svchost.exe', 'launchd']),
  });
}

function fileEvent(rng: Rng, world: World, i: number): Doc {
  const t = timeIn(rng, world, true);
  const p = world.people[world.personPopularity.draw(rng)]!;
  const name = `${rng.pick(FILE_WORDS)}_${rng.int(20000)}.${rng.pick(FILE_KINDS)}`;
  const dir = rng.pick(['Downloads', 'Documents', 'Desktop', 'AppData\\Local\\Temp']);
  return fileCreation(endpointOf(p), iso(t), `fi${i.toString(36)}${rng.hex(6)}`, {
    name,
    path: p.windows ? `C:\\Users\\${p.name}\\${dir}\\${name}` : `/Users/${p.name}/${dir.replace('AppData\\Local\\Temp', 'Library/Caches')}/${name}`,
    ...(rng.chance(0.2) ? { sha256: rng.hex(64) } : {}),
    process: rng.pick(['chrome.exe', 'OUTLOOK.EXE', 'explorer.exe', 'Teams.exe', 'msedge.exe']),
  });
}

const MAKERS: Record<Dataset, (rng: Rng, world: World, i: number) => Doc> = {
  'aws.cloudtrail': cloudTrail,
  'okta.system': okta,
  'zscaler_zia.web': proxy,
  'endpoint.events.network': network,
  'endpoint.events.process': processEvent,
  'endpoint.events.file': fileEvent,
};

/** `events` background documents, one at a time (never all in memory). */
export function* backgroundEvents(world: World, events: number): Generator<Doc> {
  const rng = new Rng(world.seed, 'background');
  for (let i = 0; i < events; i++) yield MAKERS[DATASETS.draw(rng)](rng, world, i);
}

