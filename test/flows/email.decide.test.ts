// decide() of the e-mail flow, pure: plain search results in, verdict and path out. Every step id of
// flows.md §3, both sides of the X-users threshold, datasets without data, and Proofpoint TAP clicks (v3).
import { describe, expect, it } from 'vitest';
import type { EmailAlert } from '../../src/alerts/types.js';
import type { DomainContact, IndicatorHit, Searched, UrlHit } from '../../src/evidence/ports.js';
import type { ProofpointClick, ProofpointClicksFound } from '../../src/evidence/proofpoint.js';
import { decideEmail } from '../../src/flows/email/decide.js';
import type { EmailEvidence } from '../../src/flows/email/gather.js';

const T = Date.parse('2026-10-01T08:00:00Z');
const DAY = 24 * 3600_000;
const URL = 'https://login.evil.co.uk/verify?u=bob';
const FILE = 'invoice.pdf.exe';
const SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const who = { host: 'LAPTOP-BOB', users: ['bob'], first: new Date(T + 60_000), last: new Date(T + 60_000), count: 1 };

type Indicators = Partial<Pick<EmailAlert, 'urls' | 'fileNames' | 'hashes'>>;
const alert = (i: Indicators): EmailAlert => ({ id: 'mail-decide', type: 'email.malicious', time: new Date(T), raw: {}, recipients: ['bob@example.com'], urls: [], fileNames: [], hashes: [], ...i });

const none = <T>(found: T): Searched<T> => ({ hasData: true, found });
const noData = <T>(found: T): Searched<T> => ({ hasData: false, found });
const click: UrlHit = { url: URL, ...who };
const contact: DomainContact = { domain: 'evil.co.uk', names: ['login.evil.co.uk'], ...who };
const ran: IndicatorHit = { indicator: FILE, matchedBy: 'command_line', examples: [], ...who };
/** Proofpoint TAP clicks: no host, the recipient as user, the click's address (destination.ip in Elastic's package). */
const tap = (action: ProofpointClick['action'], over: Partial<ProofpointClick> = {}): ProofpointClick => ({
  url: URL,
  action,
  users: ['bob@example.com'],
  first: new Date(T + 20 * 60_000),
  last: new Date(T + 20 * 60_000),
  count: 1,
  clickIps: ['198.51.100.23'],
  classifications: ['phish'],
  ...over,
});
const tapFound = (found: ProofpointClick[], extra: Partial<ProofpointClicksFound> = {}): ProofpointClicksFound => ({ hasData: true, found, ...extra });
const tapNoData: ProofpointClicksFound = { hasData: false, found: [] };
const ENCODED = 'https://login.evil.co.uk/verify?u=bob%40example.com&lang=en+GB';
const written: IndicatorHit = { indicator: FILE, matchedBy: 'file_name', examples: [`C:\\Users\\bob\\${FILE}`], ...who };

interface Row {
  name: string;
  indicators: Indicators;
  ev?: Partial<EmailEvidence>;
  expect: { verdict: string; score: number | null; last: string; answers?: Record<string, string> };
}

function evidence(i: Indicators, ev: Partial<EmailEvidence> = {}): EmailEvidence {
  const urls = (i.urls ?? []).map((url) => ({ url, domain: 'evil.co.uk' }));
  const attachments = (i.fileNames?.length ?? 0) + (i.hashes?.length ?? 0) > 0;
  return {
    after: { from: new Date(T), to: new Date(T + DAY) },
    prior: { from: new Date(T - 30 * DAY), to: new Date(T - 1) },
    urls,
    domains: urls.length ? ['evil.co.uk'] : [],
    ...(urls.length ? { proxy: none<UrlHit[]>([]), proofpoint: tapFound([]), contacts: none<DomainContact[]>([]), popularity: none({ 'evil.co.uk': 0 }) } : {}),
    ...(attachments ? { processes: none<IndicatorHit[]>([]), files: none<IndicatorHit[]>([]) } : {}),
    rareThreshold: 5,
    ...ev,
  };
}

const BOTH: Indicators = { urls: [URL], fileNames: [FILE], hashes: [SHA] };
const ROWS: Row[] = [
  { name: 'M0: no indicator → inconclusive', indicators: {}, expect: { verdict: 'inconclusive', score: null, last: 'M0' } },
  { name: 'M1: the attachment ran → malicious 98', indicators: BOTH, ev: { processes: none([ran]), proxy: none([click]) }, expect: { verdict: 'malicious', score: 98, last: 'M1' } },
  { name: 'M2: the link was clicked → malicious 90', indicators: BOTH, ev: { proxy: none([click]) }, expect: { verdict: 'malicious', score: 90, last: 'M2', answers: { M1: 'no' } } },
  { name: 'M2: a proxy hit on another URL is no click', indicators: { urls: [URL] }, ev: { proxy: none([{ ...click, url: 'https://login.evil.co.uk/VERIFY?u=bob' }]) }, expect: { verdict: 'benign', score: 15, last: 'M7', answers: { M2: 'no' } } },
  { name: 'M3: a domain with 4 prior users (< 5) was reached → malicious 85', indicators: { urls: [URL] }, ev: { contacts: none([contact]), popularity: none({ 'evil.co.uk': 4 }) }, expect: { verdict: 'malicious', score: 85, last: 'M3' } },
  { name: 'M3: a domain never reached before was reached → malicious 85', indicators: { urls: [URL] }, ev: { contacts: none([contact]), popularity: none({ 'evil.co.uk': 0 }) }, expect: { verdict: 'malicious', score: 85, last: 'M3' } },
  { name: 'M4: the attachment was written to disk → malicious 80', indicators: BOTH, ev: { files: none([written]) }, expect: { verdict: 'malicious', score: 80, last: 'M4', answers: { M1: 'no', M2: 'no', M3: 'no' } } },
  { name: 'M5: a domain with 5 prior users (= X) was reached → suspicious 45', indicators: { urls: [URL] }, ev: { contacts: none([contact]), popularity: none({ 'evil.co.uk': 5 }) }, expect: { verdict: 'suspicious', score: 45, last: 'M5', answers: { M3: 'no' } } },
  { name: 'M5: with X = 4, 4 prior users are popular', indicators: { urls: [URL] }, ev: { contacts: none([contact]), popularity: none({ 'evil.co.uk': 4 }), rareThreshold: 4 }, expect: { verdict: 'suspicious', score: 45, last: 'M5' } },
  { name: 'M6: proxy without data, EDR with → suspicious 35', indicators: { urls: [URL] }, ev: { proxy: noData<UrlHit[]>([]) }, expect: { verdict: 'suspicious', score: 35, last: 'M6', answers: { M2: 'unknown', M3: 'no' } } },
  { name: 'M6: EDR process and file without data, proxy with → suspicious 35', indicators: BOTH, ev: { processes: noData<IndicatorHit[]>([]), files: noData<IndicatorHit[]>([]) }, expect: { verdict: 'suspicious', score: 35, last: 'M6', answers: { M1: 'unknown', M4: 'unknown' } } },
  { name: 'M6: every needed dataset without data → inconclusive', indicators: BOTH, ev: { proxy: noData<UrlHit[]>([]), contacts: noData<DomainContact[]>([]), popularity: noData({}), processes: noData<IndicatorHit[]>([]), files: noData<IndicatorHit[]>([]) }, expect: { verdict: 'inconclusive', score: null, last: 'M6' } },
  { name: 'M6: attachments only, EDR without data → inconclusive', indicators: { fileNames: [FILE] }, ev: { processes: noData<IndicatorHit[]>([]), files: noData<IndicatorHit[]>([]) }, expect: { verdict: 'inconclusive', score: null, last: 'M6' } },
  { name: 'M7: data everywhere, no interaction → benign 15', indicators: BOTH, expect: { verdict: 'benign', score: 15, last: 'M7', answers: { M1: 'no', M2: 'no', M3: 'no', M4: 'no', M5: 'no', M6: 'no' } } },
  { name: 'M7: a hash only, no process or file with it → benign 15', indicators: { hashes: [SHA] }, expect: { verdict: 'benign', score: 15, last: 'M7', answers: { M2: 'no', M3: 'no' } } },
  // v3: M5b, and no benign verdict past an unknown step.
  { name: 'v3 M5b: a domain reached, no EDR network data in the 30 days before → suspicious 60', indicators: { urls: [URL] }, ev: { contacts: none([contact]), popularity: noData({}) }, expect: { verdict: 'suspicious', score: 60, last: 'M5b', answers: { M3: 'unknown', M5: 'unknown' } } },
  { name: 'v3 M5b: a domain reached, the prior search cut short → suspicious 60', indicators: { urls: [URL] }, ev: { contacts: none([contact]), popularity: { hasData: true, found: { 'evil.co.uk': 0 }, incomplete: ['dns.question.name: the cluster refuses wildcard queries'] } }, expect: { verdict: 'suspicious', score: 60, last: 'M5b' } },
  { name: 'v3 M7: the command-line search could not see every event → inconclusive naming M1', indicators: BOTH, ev: { processes: { hasData: true, found: [], incomplete: ['process.command_line: 2 events have a command line longer than the 256 characters indexed'] } }, expect: { verdict: 'inconclusive', score: null, last: 'M7', answers: { M1: 'unknown', M6: 'no' } } },
  { name: 'v3 M7: a URL longer than the indexed cap → M2 unknown → inconclusive', indicators: { urls: [URL] }, ev: { proxy: { hasData: true, found: [], incomplete: ['url.full: an indicator of 300 characters is longer than the 256 indexed'] } }, expect: { verdict: 'inconclusive', score: null, last: 'M7', answers: { M2: 'unknown' } } },
  { name: 'v3 M7: a domain search the cluster refused → M3 unknown → inconclusive', indicators: { urls: [URL] }, ev: { contacts: { hasData: true, found: [], incomplete: ['dns.question.name: no registered_domain, and the cluster refuses wildcard queries'] } }, expect: { verdict: 'inconclusive', score: null, last: 'M7', answers: { M3: 'unknown', M5: 'unknown', M5b: 'no' } } },
  // v3: Proofpoint TAP clicks in M2; Proofpoint is optional evidence.
  { name: 'v3 M2: a permitted Proofpoint click on the exact URL → malicious 90', indicators: { urls: [URL] }, ev: { proofpoint: tapFound([tap('permitted')]) }, expect: { verdict: 'malicious', score: 90, last: 'M2' } },
  { name: 'v3 M2: a permitted Proofpoint click on the URL as the e-mail wrote it (percent-encoded), stored decoded → malicious 90', indicators: { urls: [ENCODED] }, ev: { proofpoint: tapFound([tap('permitted', { url: 'https://login.evil.co.uk/verify?u=bob@example.com&lang=en GB' })]) }, expect: { verdict: 'malicious', score: 90, last: 'M2' } },
  { name: 'v3 M2: a permitted Proofpoint click decides while the proxy has no data → malicious 90', indicators: { urls: [URL] }, ev: { proxy: noData<UrlHit[]>([]), proofpoint: tapFound([tap('permitted')]) }, expect: { verdict: 'malicious', score: 90, last: 'M2' } },
  { name: 'v3 M2: a permitted Proofpoint click on another URL (path case) is no click', indicators: { urls: [URL] }, ev: { proofpoint: tapFound([tap('permitted', { url: 'https://login.evil.co.uk/VERIFY?u=bob' })]) }, expect: { verdict: 'benign', score: 15, last: 'M7', answers: { M2: 'no' } } },
  { name: 'v3 M2: a blocked Proofpoint click is no interaction → benign 15', indicators: { urls: [URL] }, ev: { proofpoint: tapFound([tap('blocked')]) }, expect: { verdict: 'benign', score: 15, last: 'M7', answers: { M2: 'no', M6: 'no' } } },
  { name: 'v3 M2: blocked clicks beyond the listing are a note, no unknown → benign 15', indicators: { urls: [URL] }, ev: { proofpoint: tapFound([tap('blocked')], { notes: [`${URL}: 1 blocked click(s) of recipients beyond the first 100 are not listed`] }) }, expect: { verdict: 'benign', score: 15, last: 'M7', answers: { M2: 'no' } } },
  { name: 'v3 M2: Proofpoint cut short, no permitted click found → M2 unknown → inconclusive', indicators: { urls: [URL] }, ev: { proofpoint: tapFound([], { incomplete: ['url.full: 3 permitted click(s) logged the URL in spellings beyond the first 100, not compared'] }) }, expect: { verdict: 'inconclusive', score: null, last: 'M7', answers: { M2: 'unknown', M6: 'no' } } },
  { name: 'v3 M6: Proofpoint without data never counts as missing → benign 15', indicators: { urls: [URL] }, ev: { proofpoint: tapNoData }, expect: { verdict: 'benign', score: 15, last: 'M7', answers: { M2: 'no', M6: 'no' } } },
  { name: 'v3 M6: Proofpoint with data does not stand in for a proxy without data → suspicious 35', indicators: { urls: [URL] }, ev: { proxy: noData<UrlHit[]>([]) }, expect: { verdict: 'suspicious', score: 35, last: 'M6', answers: { M2: 'unknown' } } },
  { name: 'v3 M6: proxy and EDR without data, Proofpoint too → inconclusive', indicators: { urls: [URL] }, ev: { proxy: noData<UrlHit[]>([]), proofpoint: tapNoData, contacts: noData<DomainContact[]>([]), popularity: noData({}) }, expect: { verdict: 'inconclusive', score: null, last: 'M6' } },
  { name: 'v3: a malicious row still decides past an unknown step', indicators: BOTH, ev: { processes: { hasData: true, found: [], incomplete: ['cut'] }, proxy: none([click]) }, expect: { verdict: 'malicious', score: 90, last: 'M2', answers: { M1: 'unknown' } } },
];

describe('decideEmail (pure)', () => {
  it.each(ROWS.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    const v = decideEmail(alert(row.indicators), evidence(row.indicators, row.ev));
    expect({ verdict: v.verdict, score: v.score, last: v.path.at(-1)?.step }).toEqual({ verdict: row.expect.verdict, score: row.expect.score, last: row.expect.last });
    const ids = v.path.map((p) => p.step);
    expect(ids).toEqual(['M0', 'M1', 'M2', 'M3', 'M4', 'M5', 'M5b', 'M6', 'M7'].filter((s) => ids.includes(s)));
    for (const [step, answer] of Object.entries(row.expect.answers ?? {})) expect(v.path.find((p) => p.step === step)?.answer, step).toBe(answer);
  });

  it('v3: the inconclusive verdict names the unknown step and why', () => {
    const row = ROWS.find((r) => r.name.includes('naming M1'))!;
    const v = decideEmail(alert(row.indicators), evidence(row.indicators, row.ev));
    expect(v.summary).toContain('M1 could not be answered (process.command_line: 2 events have a command line longer than the 256 characters indexed)');
    expect(v.path.at(-1)!.evidence).toContain('no benign verdict while M1 could not be answered: inconclusive');
  });

  it('v3 M5b: the summary says a domain was reached', () => {
    const v = decideEmail(alert({ urls: [URL] }), evidence({ urls: [URL] }, { contacts: none([contact]), popularity: noData({}) }));
    expect(v.summary).toMatch(/was reached after delivery \(evil\.co\.uk\)/);
  });

  it('names the users and hosts that interacted, marking recipients', () => {
    const v = decideEmail(alert({ urls: [URL] }), evidence({ urls: [URL] }, { proxy: none([click]) }));
    expect(v.path.at(-1)!.evidence).toMatch(/bob \(recipient\) on LAPTOP-BOB at 2026-10-01T08:01:00.000Z/);
  });

  it('v3 M2: the trace names the Proofpoint click: recipient, address, time, classification', () => {
    const v = decideEmail(alert({ urls: [URL] }), evidence({ urls: [URL] }, { proofpoint: tapFound([tap('permitted')]) }));
    expect(v.path.at(-1)!.evidence).toBe(`${URL}: bob@example.com (recipient) from 198.51.100.23 at 2026-10-01T08:20:00.000Z (Proofpoint TAP, permitted, phish)`);
    expect(v.summary).toBe('The link was clicked: bob@example.com (Proofpoint TAP).');
    expect(v.facts['clicks']).toEqual([{ url: URL, source: 'proofpoint_tap', click_ips: ['198.51.100.23'], classifications: ['phish'], host: null, users: ['bob@example.com'], recipients: ['bob@example.com'], first: '2026-10-01T08:20:00.000Z', last: '2026-10-01T08:20:00.000Z', count: 1 }]);
  });

  it('v3 M2: a blocked click is named in the trace, the facts and the summary, but is no click', () => {
    const frank = tap('blocked', { users: ['frank@example.com'], clickIps: ['198.51.100.64'], first: new Date(T + 90 * 60_000), last: new Date(T + 95 * 60_000), count: 2 });
    const v = decideEmail(alert({ urls: [URL] }), evidence({ urls: [URL] }, { proofpoint: tapFound([frank]) }));
    const m2 = v.path.find((p) => p.step === 'M2')!;
    expect(m2.evidence).toContain(`blocked by Proofpoint TAP (not an interaction): ${URL}: frank@example.com from 198.51.100.64 at 2026-10-01T09:30:00.000Z (2 clicks until 2026-10-01T09:35:00.000Z)`);
    expect(v.facts['clicks']).toEqual([]);
    expect(v.facts['blocked_clicks']).toEqual([expect.objectContaining({ url: URL, source: 'proofpoint_tap', users: ['frank@example.com'], recipients: [], count: 2 })]);
    expect(v.summary).toBe('No one interacted with the email (Proofpoint TAP blocked 2 click(s): frank@example.com): recommend purging the message from all mailboxes.');
  });

  it('v3 M2: a blocked click is named beside a permitted one', () => {
    const v = decideEmail(alert({ urls: [URL] }), evidence({ urls: [URL] }, { proofpoint: tapFound([tap('permitted'), tap('blocked', { users: ['frank@example.com'] })]) }));
    expect(v.path.at(-1)!.evidence).toMatch(/\(Proofpoint TAP, permitted, phish\); blocked by Proofpoint TAP \(not an interaction\): .*frank@example\.com/);
  });

  it('v3: Proofpoint without data is said in M2 and left out of M6', () => {
    const v = decideEmail(alert({ urls: [URL] }), evidence({ urls: [URL] }, { proxy: noData<UrlHit[]>([]), proofpoint: tapNoData }));
    expect(v.path.find((p) => p.step === 'M2')!.evidence).toBe('no proxy data since delivery; Proofpoint TAP: no click data since delivery (optional evidence, not counted as missing)');
    expect(v.path.find((p) => p.step === 'M6')!.evidence).toBe('without data: proxy; with data: EDR network');
    expect(v.facts['data']).toMatchObject({ proxy: false, proofpoint_tap: false });
  });

  it('v3: Proofpoint cut short is the unknown the inconclusive verdict names', () => {
    const why = 'url.full: 3 permitted click(s) logged the URL in spellings beyond the first 100, not compared';
    const v = decideEmail(alert({ urls: [URL] }), evidence({ urls: [URL] }, { proofpoint: tapFound([], { incomplete: [why] }) }));
    expect(v.summary).toContain(`M2 could not be answered (Proofpoint TAP: ${why})`);
    expect(v.facts['incomplete']).toEqual({ proofpoint_tap: [why] });
  });
});
