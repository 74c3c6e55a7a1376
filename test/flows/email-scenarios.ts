// Scenarios of the email flow, written from flows.md and the write-up's three groups:
// link clicked, rare domain reached, attachment executed or on disk.
import { connection, dnsLookup, fileCreation, processStart, proxyHit, zscalerHit } from '../support/edr.js';
import { DAY_MS, shiftTimes } from '../support/time.js';

export interface EmailScenario {
  name: string;
  alert: Record<string, unknown>;
  docs: Record<string, unknown>[];
  expect: { verdict: string; score: number | null; last: string; answers?: Record<string, string> };
}

const T = '2026-10-01T08:00:00Z';
const at = (minutes: number) => new Date(new Date(T).getTime() + minutes * 60_000).toISOString();
const SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const WEIRD = 'Invoice *2026* (final)? \\ "copy".pdf.exe';

const alert = (id: string, extra: Record<string, unknown>) => ({
  id,
  type: 'email.malicious',
  time: T,
  recipients: ['bob@example.com'],
  sender: 'billing@evil-sender.test',
  subject: 'Overdue invoice',
  ...extra,
});

/** Events in every dataset, unrelated to any indicator: the sources have data. */
const background = [
  proxyHit(at(30), 'https://intranet.example.com/home', 'carol', 'LAPTOP-CAROL'),
  dnsLookup(at(31), 'intranet.example.com', 'carol', 'LAPTOP-CAROL'),
  processStart(at(32), { name: 'excel.exe', commandLine: 'excel.exe /safe report.xlsx', user: 'carol', host: 'LAPTOP-CAROL' }),
  fileCreation(at(33), { name: 'report.xlsx', path: 'C:\\Users\\carol\\report.xlsx', user: 'carol', host: 'LAPTOP-CAROL' }),
];

/** n distinct users reaching a name in the 30 days before delivery. */
const priorVisitors = (name: string, n: number) => Array.from({ length: n }, (_, i) => dnsLookup(at(-60 * 24 * (i + 1)), name, `user${i}`, `HOST-${i}`));

const SCENARIOS: EmailScenario[] = [
  {
    name: 'M0: no indicator in the alert → inconclusive',
    alert: alert('e-m0', {}),
    docs: background,
    expect: { verdict: 'inconclusive', score: null, last: 'M0' },
  },
  {
    name: 'M1: the attachment ran (its name, special characters and all, in a command line, other case) → malicious 98',
    alert: alert('e-m1', { file_names: [WEIRD] }),
    docs: [
      ...background,
      processStart(at(45), { name: 'cmd.exe', commandLine: `cmd.exe /c "C:\\Users\\bob\\Downloads\\${WEIRD.toUpperCase()}"`, user: 'bob', host: 'LAPTOP-BOB' }),
      // Literal characters: "*" and "?" must not match other text.
      processStart(at(46), { name: 'cmd.exe', commandLine: 'cmd.exe /c "Invoice X2026X (final)Z \\ "copy".pdf.exe"', user: 'dave', host: 'LAPTOP-DAVE' }),
    ],
    expect: { verdict: 'malicious', score: 98, last: 'M1' },
  },
  {
    name: 'M1: a process with the attachment’s hash started → malicious 98',
    alert: alert('e-m1h', { hashes: [SHA.toUpperCase()] }),
    docs: [...background, processStart(at(50), { name: 'update.exe', commandLine: 'update.exe --silent', sha256: SHA, user: 'bob', host: 'LAPTOP-BOB' })],
    expect: { verdict: 'malicious', score: 98, last: 'M1' },
  },
  {
    name: 'M2: the link was clicked (host in other case, trailing slash, default port) → malicious 90',
    alert: alert('e-m2', { urls: ['https://login.evil-bank.co.uk/verify?u=bob'] }),
    docs: [...background, proxyHit(at(20), 'https://LOGIN.Evil-Bank.co.uk:443/verify/?u=bob', 'bob', 'LAPTOP-BOB')],
    expect: { verdict: 'malicious', score: 90, last: 'M2' },
  },
  {
    // issue 23.8, flows.md v4 M2: Zscaler's `Blocked` (event.action: blocked), here with its 403 block page.
    name: 'M2 (v4): the proxy blocked the request → no click; named, and nothing else found → benign 15',
    alert: alert('e-m2b', { urls: ['https://login.blocked-phish.co.uk/verify'] }),
    docs: [
      ...background,
      zscalerHit(at(20), 'https://login.blocked-phish.co.uk/verify', { email: 'bob@example.com', user: 'bob', device: 'LAPTOP-BOB', action: 'blocked', status: 403 }),
      zscalerHit(at(21), 'https://login.blocked-phish.co.uk/verify', { email: 'bob@example.com', user: 'bob', device: 'LAPTOP-BOB', action: 'blocked', status: 200 }),
    ],
    expect: { verdict: 'benign', score: 15, last: 'M7', answers: { M2: 'no' } },
  },
  {
    // issue 23.9: user.email, user.name and source.user.name of one record are one person.
    name: 'M2: a Zscaler record with three spellings of its user → one person clicked → malicious 90',
    alert: alert('e-m2z', { urls: ['https://login.three-names.co.uk/verify'] }),
    docs: [...background, zscalerHit(at(20), 'https://login.three-names.co.uk/verify', { email: 'bob@example.com', userName: 'bob', user: 'administrator1', device: 'LAPTOP-BOB' })],
    expect: { verdict: 'malicious', score: 90, last: 'M2' },
  },
  {
    name: 'M3: a rare domain was reached (subdomain of the URL’s registrable domain, 4 prior users < 5) → malicious 85',
    alert: alert('e-m3', { urls: ['https://login.rare-phish.co.uk/a'] }),
    docs: [
      ...background,
      ...priorVisitors('www.rare-phish.co.uk', 4),
      dnsLookup(at(25), 'cdn.login.rare-phish.co.uk', 'bob', 'LAPTOP-BOB'),
      // Path case differs: not the same URL, so no click.
      proxyHit(at(26), 'https://login.rare-phish.co.uk/A', 'bob', 'LAPTOP-BOB'),
    ],
    expect: { verdict: 'malicious', score: 85, last: 'M3', answers: { M2: 'no' } },
  },
  {
    name: 'M4: the attachment was written to disk, by name only (Elastic Defend has no hashes) → malicious 80',
    alert: alert('e-m4', { file_names: ['Payment_Advice.HTM'], hashes: [SHA] }),
    docs: [...background, fileCreation(at(12), { name: 'payment_advice.htm', path: 'C:\\Users\\bob\\Downloads\\payment_advice.htm', user: 'bob', host: 'LAPTOP-BOB' })],
    expect: { verdict: 'malicious', score: 80, last: 'M4', answers: { M1: 'no' } },
  },
  {
    name: 'M5: a popular domain was reached (login.shared-docs.co.uk counted under shared-docs.co.uk, 5 prior users) → suspicious 45',
    alert: alert('e-m5', { urls: ['https://login.shared-docs.co.uk/file/1'] }),
    docs: [...background, ...priorVisitors('shared-docs.co.uk', 3), ...priorVisitors('www.shared-docs.co.uk', 5), connection(at(40), 'login.shared-docs.co.uk', 'bob', 'LAPTOP-BOB')],
    expect: { verdict: 'suspicious', score: 45, last: 'M5', answers: { M3: 'no' } },
  },
  {
    name: 'M6: attachments and a URL, the proxy has data but EDR has none → suspicious 35',
    alert: alert('e-m6s', { urls: ['https://nothing-here.example.net/x'], file_names: ['a.exe'] }),
    docs: [proxyHit(at(30), 'https://intranet.example.com/home', 'carol', 'LAPTOP-CAROL')],
    expect: { verdict: 'suspicious', score: 35, last: 'M6', answers: { M1: 'unknown', M4: 'unknown', M2: 'no' } },
  },
  {
    name: 'M6: a URL, and neither proxy nor EDR network data → inconclusive',
    alert: alert('e-m6i', { urls: ['https://nothing-here.example.net/y'] }),
    docs: [],
    expect: { verdict: 'inconclusive', score: null, last: 'M6', answers: { M2: 'unknown', M3: 'unknown' } },
  },
  {
    name: 'M7: no interaction (xbenign-phish.co.uk is not a subdomain of benign-phish.co.uk) → benign 15',
    alert: alert('e-m7', { urls: ['https://benign-phish.co.uk/login'], file_names: ['b.exe'], hashes: [SHA] }),
    docs: [...background, dnsLookup(at(15), 'xbenign-phish.co.uk', 'bob', 'LAPTOP-BOB'), dnsLookup(at(-60), 'benign-phish.co.uk', 'bob', 'LAPTOP-BOB')],
    expect: { verdict: 'benign', score: 15, last: 'M7' },
  },
  {
    name: 'v3 M5b: a domain reached after delivery, no EDR network data in the 30 days before → suspicious 60',
    alert: alert('e-m5b', { urls: ['https://login.unrated-phish.co.uk/x'] }),
    docs: [proxyHit(at(30), 'https://intranet.example.com/home', 'carol', 'LAPTOP-CAROL'), dnsLookup(at(25), 'login.unrated-phish.co.uk', 'bob', 'LAPTOP-BOB')],
    expect: { verdict: 'suspicious', score: 60, last: 'M5b', answers: { M3: 'unknown', M5: 'unknown' } },
  },
];

// Each scenario lives on its own days, so datasets are empty or not per scenario.
export const EMAIL_SCENARIOS: EmailScenario[] = SCENARIOS.map((s, i) => ({
  ...s,
  alert: shiftTimes(s.alert, -i * 40 * DAY_MS),
  docs: shiftTimes(s.docs, -i * 40 * DAY_MS),
}));
