// The simulated company behind the background evidence: people with laptops, EC2 instances with
// instance profiles, IAM users, the web it browses and the programs it runs. Sizes grow with the event count.
import { Rng, Zipf } from './rng.js';

export const ACCOUNTS = ['111122223333', '222233334444', '333344445555', '444455556666'] as const;
/** Office egress (company CIDR and trusted egress in the benchmark's configuration). */
export const OFFICE_CIDR = '198.51.100.0/24';
export const OFFICE_NAT = ['198.51.100.20', '198.51.100.21', '198.51.100.22'] as const;

export interface City {
  city: string;
  country: string;
  lat: number;
  lon: number;
}

export const CITIES: readonly City[] = [
  { city: 'New York', country: 'US', lat: 40.7128, lon: -74.006 },
  { city: 'Philadelphia', country: 'US', lat: 39.9526, lon: -75.1652 },
  { city: 'Boston', country: 'US', lat: 42.3601, lon: -71.0589 },
  { city: 'Chicago', country: 'US', lat: 41.8781, lon: -87.6298 },
  { city: 'Austin', country: 'US', lat: 30.2672, lon: -97.7431 },
  { city: 'Denver', country: 'US', lat: 39.7392, lon: -104.9903 },
  { city: 'Seattle', country: 'US', lat: 47.6062, lon: -122.3321 },
  { city: 'San Francisco', country: 'US', lat: 37.7749, lon: -122.4194 },
  { city: 'London', country: 'GB', lat: 51.5072, lon: -0.1276 },
  { city: 'Dublin', country: 'IE', lat: 53.3498, lon: -6.2603 },
  { city: 'Amsterdam', country: 'NL', lat: 52.3676, lon: 4.9041 },
  { city: 'Berlin', country: 'DE', lat: 52.52, lon: 13.405 },
];

export const BROWSERS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
  'Okta Verify/9.28.0 (iPhone; iOS 17.6.1)',
] as const;

export const SDK_AGENTS = [
  'aws-cli/2.15.30 Python/3.11.8 Linux/6.1.79-99.167.amzn2023.x86_64 exe/x86_64.amzn.2023 prompt/off command/s3.cp',
  'Boto3/1.34.2 md/Botocore#1.34.2 ua/2.0 os/linux#6.5.0-1017-aws md/arch#x86_64 lang/python#3.11.6',
  'aws-sdk-go-v2/1.25.2 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/s3#1.51.3',
  'aws-sdk-java/2.25.11 Linux/6.1.79-99.167.amzn2023.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc.',
  'aws-sdk-js/3.540.0 ua/2.0 os/linux#6.1.79 lang/js md/nodejs#20.12.0 api/dynamodb#3.540.0',
] as const;

export const HUMAN_AWS_AGENTS = [
  'aws-cli/2.15.30 Python/3.11.8 Darwin/23.4.0 exe/x86_64 prompt/off command/s3.ls',
  'aws-cli/2.15.30 Python/3.11.8 Windows/10 exe/AMD64 prompt/off command/ec2.describe-instances',
  'console.amazonaws.com',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
] as const;

const FIRST = ['ava', 'ben', 'chloe', 'dan', 'emma', 'finn', 'grace', 'hugo', 'isla', 'jack', 'kate', 'liam', 'mia', 'noah', 'olga', 'paul', 'quinn', 'rosa', 'sam', 'tara', 'uma', 'victor', 'wen', 'yara', 'zoe'];
const LAST = ['adams', 'baker', 'chen', 'diaz', 'evans', 'fischer', 'garcia', 'hughes', 'ivanova', 'jones', 'kim', 'lopez', 'meyer', 'novak', 'okafor', 'patel', 'rossi', 'silva', 'tanaka', 'walsh'];
const WORDS = ['cloud', 'data', 'docs', 'mail', 'news', 'shop', 'media', 'stream', 'learn', 'maps', 'pay', 'team', 'chat', 'cdn', 'static', 'code', 'build', 'travel', 'health', 'sport', 'weather', 'photo', 'video', 'music', 'bank', 'market', 'secure', 'portal', 'office', 'drive'];
const TLDS = ['com', 'com', 'com', 'net', 'org', 'io', 'co.uk', 'de', 'nl', 'app'];

export interface Person {
  name: string;
  email: string;
  oktaId: string;
  host: string;
  lanIp: string;
  /** Public address at home (remote work); office workers egress through the office NAT. */
  homeIp: string;
  remote: boolean;
  browser: string;
  city: City;
  factor: string;
  fingerprint: string;
  windows: boolean;
}

export interface Instance {
  id: string;
  account: string;
  role: string;
  publicIp: string;
  privateIp: string;
  agent: string;
}

export interface IamUser {
  name: string;
  /** Index of the person who uses it. */
  person: number;
  account: string;
  keyId: string;
  userId: string;
  agent: string;
}

export interface Domain {
  name: string;
  subdomains: string[];
  /** The web server's address. */
  ip: string;
}

export interface Binary {
  name: string;
  executable: string;
  sha256: string;
  args: readonly string[];
}

export interface World {
  seed: number;
  /** The end of the data: every background event lies in [anchor − span, anchor]. */
  anchor: number;
  spanMs: number;
  people: Person[];
  personPopularity: Zipf;
  instances: Instance[];
  instancePopularity: Zipf;
  iamUsers: IamUser[];
  domains: Domain[];
  domainPopularity: Zipf;
  binaries: Binary[];
  binaryPopularity: Zipf;
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.round(v)));

/** The n-th address after a.b.0.0 (n below 2^24 − b·2^16): unique addresses per slot. */
export function slotIp(a: number, b: number, n: number): string {
  return `${a}.${b + ((n >>> 16) & 255)}.${(n >>> 8) & 255}.${n & 255}`;
}

const BINARIES: ReadonlyArray<[string, string, readonly string[]]> = [
  ['chrome.exe', 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', ['--type=renderer --lang=en-US', '--type=gpu-process', '--type=utility --utility-sub-type=network.mojom.NetworkService', '']],
  ['msedge.exe', 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe', ['--type=renderer', '--type=utility', '']],
  ['OUTLOOK.EXE', 'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', ['/recycle', '']],
  ['EXCEL.EXE', 'C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE', ['"C:\\Users\\{user}\\Documents\\{doc}.xlsx"', '/safe']],
  ['WINWORD.EXE', 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', ['"C:\\Users\\{user}\\Documents\\{doc}.docx"', '/n']],
  ['Teams.exe', 'C:\\Users\\{user}\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe', ['--type=renderer', '--system-initiated']],
  ['svchost.exe', 'C:\\Windows\\System32\\svchost.exe', ['-k netsvcs -p -s Schedule', '-k LocalService -p -s EventLog', '-k NetworkService -p']],
  ['powershell.exe', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', ['-NoProfile -ExecutionPolicy Bypass -File C:\\ProgramData\\IT\\inventory.ps1', '-Command Get-Process']],
  ['cmd.exe', 'C:\\Windows\\System32\\cmd.exe', ['/c echo {doc}', '/c "C:\\ProgramData\\IT\\logon.bat"']],
  ['git.exe', 'C:\\Program Files\\Git\\cmd\\git.exe', ['fetch origin', 'status', 'pull --rebase']],
  ['code.exe', 'C:\\Users\\{user}\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe', ['--type=renderer', '']],
  ['zoom.exe', 'C:\\Users\\{user}\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe', ['--action=join', '']],
  ['python.exe', 'C:\\Users\\{user}\\AppData\\Local\\Programs\\Python\\Python312\\python.exe', ['C:\\Users\\{user}\\src\\{doc}.py', '-m pip list']],
  ['node.exe', 'C:\\Program Files\\nodejs\\node.exe', ['C:\\Users\\{user}\\src\\app\\server.js', 'npm-cli.js install']],
  ['OneDrive.exe', 'C:\\Users\\{user}\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe', ['/background']],
  ['MsMpEng.exe', 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe', ['']],
  ['Slack', '/Applications/Slack.app/Contents/MacOS/Slack', ['--type=renderer', '']],
  ['zsh', '/bin/zsh', ['-l', '-c "git status"']],
  ['python3', '/usr/bin/python3', ['/Users/{user}/src/{doc}.py', '-m http.server 8000']],
  ['curl', '/usr/bin/curl', ['-s https://api.{domain}/v1/status', '-O https://cdn.{domain}/{doc}.tar.gz']],
];

export function buildWorld(seed: number, events: number, anchor: number, spanDays: number): World {
  // One stream per kind: the first people, domains … are the same whatever the event count.
  let rng = new Rng(seed, 'world:people');
  const nPeople = clamp(events / 2000, 200, 20_000);
  const nInstances = clamp(events / 5000, 50, 5000);
  const nIam = clamp(events / 20_000, 20, 500);
  const nDomains = clamp(events / 200, 2000, 50_000);

  const people: Person[] = [];
  for (let i = 0; i < nPeople; i++) {
    const name = `${FIRST[i % FIRST.length]}.${LAST[Math.floor(i / FIRST.length) % LAST.length]}${i >= FIRST.length * LAST.length ? i : ''}`;
    const windows = rng.chance(0.65);
    people.push({
      name,
      email: `${name}@example.com`,
      oktaId: `00u${rng.alnum(17)}`,
      host: `${windows ? 'LAPTOP' : 'MBP'}-${rng.base32(7)}`,
      lanIp: `10.${20 + (i >>> 16)}.${(i >>> 8) & 255}.${i & 255}`,
      // Residential ISP space, never AWS's.
      homeIp: slotIp(rng.pick([73, 24, 98, 71, 76]), 0, i * 7 + 3),
      remote: rng.chance(0.4),
      browser: windows ? rng.pick([BROWSERS[1], BROWSERS[2], BROWSERS[4]]) : rng.pick([BROWSERS[0], BROWSERS[3]]),
      city: rng.pick(CITIES),
      factor: rng.pick(['push', 'push', 'push', 'token:software:totp', 'sms', 'webauthn']),
      fingerprint: rng.hex(32),
      windows,
    });
  }

  rng = new Rng(seed, 'world:instances');
  const instances: Instance[] = [];
  for (let i = 0; i < nInstances; i++) {
    instances.push({
      id: `i-0${rng.hex(16)}`,
      account: rng.pick(ACCOUNTS),
      role: rng.pick(['app-role', 'worker-role', 'batch-role', 'web-role', 'etl-role', 'ci-runner-role']),
      publicIp: i % 2 === 0 ? slotIp(34, 192, i + 1) : slotIp(44, 192, i + 1),
      privateIp: `172.31.${(i >>> 8) & 255}.${i & 255}`,
      agent: rng.pick(SDK_AGENTS),
    });
  }

  rng = new Rng(seed, 'world:iam');
  const iamUsers: IamUser[] = [];
  for (let i = 0; i < nIam; i++) {
    const person = people[i % people.length]!;
    iamUsers.push({ name: person.name, person: i % people.length, account: rng.pick(ACCOUNTS), keyId: `AKIA${rng.base32(16)}`, userId: `AIDA${rng.base32(17)}`, agent: rng.pick(HUMAN_AWS_AGENTS) });
  }

  rng = new Rng(seed, 'world:domains');
  const names = new Set<string>();
  const domains: Domain[] = [];
  while (domains.length < nDomains) {
    const n = domains.length;
    const base = n < 400 ? `${rng.pick(WORDS)}${rng.pick(WORDS)}` : `${rng.pick(WORDS)}-${rng.pick(WORDS)}${rng.int(1000)}`;
    const name = `${base}.${rng.pick(TLDS)}`;
    if (names.has(name)) continue;
    names.add(name);
    const subs = ['www', 'api', 'cdn', 'static', 'login', 'app'].filter(() => rng.chance(0.5));
    // Web servers in content-delivery space, never AWS's or the scenarios' ranges.
    domains.push({ name, subdomains: subs.length ? subs : ['www'], ip: slotIp(104, 16, n + 1) });
  }

  rng = new Rng(seed, 'world:binaries');
  const binaries: Binary[] = BINARIES.map(([name, executable, args]) => ({ name, executable, args, sha256: rng.hex(64) }));

  return {
    seed,
    anchor,
    spanMs: spanDays * 24 * 3600_000,
    people,
    personPopularity: new Zipf(people.length, 0.6),
    instances,
    instancePopularity: new Zipf(instances.length, 0.9),
    iamUsers,
    domains,
    domainPopularity: new Zipf(domains.length, 1.05),
    binaries,
    binaryPopularity: new Zipf(binaries.length, 0.8),
  };
}
