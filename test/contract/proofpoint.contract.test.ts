// One suite, two implementations: the Proofpoint TAP clicks port on Elasticsearch (our templates, and a
// dynamically mapped index holding the package's pipeline-test shape) and in memory, on fixtures in the
// shape of Elastic's proofpoint_tap package.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { urlSpellings } from '../../src/enrich/url.js';
import { ElasticProofpointClicks } from '../../src/evidence/elastic/proofpoint.js';
import { MemoryProofpointClicks } from '../../src/evidence/memory/proofpoint.js';
import { MemoryDocuments } from '../../src/evidence/memory/store.js';
import type { ProofpointClickEvidence } from '../../src/evidence/proofpoint.js';
import { loadDynamic, testCluster, type TestCluster } from '../support/elastic.js';
import { BLOCKED_URL, clickWith, DELIVERED, inNamespace, LEGACY_URL, permittedClicks, PHISH_URL, PHISH_URL_STORED, proofpointClicks, withoutDataset, type Doc } from '../support/proofpoint.js';

const T = new Date(DELIVERED);
const at = (iso: string) => new Date(iso);
const after = { from: T, to: new Date(T.getTime() + 24 * 3600_000) };
const empty = { from: at('2025-01-01T00:00:00Z'), to: at('2025-01-02T00:00:00Z') };
/** A day of its own holding one permitted click whose URL the event does not carry. */
const noUrlDay = { from: at('2026-10-03T00:00:00Z'), to: at('2026-10-03T23:59:59Z') };

const dave = permittedClicks()[2]!;
const withoutUrl = clickWith(dave, {
  '@timestamp': '2026-10-03T08:00:00.000Z',
  'proofpoint_tap.clicks_permitted.click_time': '2026-10-03T08:00:00.000Z',
  'proofpoint_tap.clicks_permitted.threat.time': '2026-10-03T07:00:00.000Z',
  'event.id': 'f1e2d3c4-0000-4000-8000-000000000001',
  url: undefined,
});
const docs: Doc[] = [...proofpointClicks(), withoutUrl];

let cluster: TestCluster;
let dynamic: string;
beforeAll(async () => {
  cluster = await testCluster();
  const report = await cluster.load(docs.map((d) => inNamespace(d, cluster.namespace)));
  expect(report.rejected).toEqual([]);
  expect(Object.keys(report.targets).sort()).toEqual([`logs-proofpoint_tap.clicks_blocked-${cluster.namespace}`, `logs-proofpoint_tap.clicks_permitted-${cluster.namespace}`]);
  // As someone else's pipeline may store them: strings as text + .keyword, no dataset named (pipeline-test shape).
  dynamic = await loadDynamic(cluster, 'proofpoint', docs.map(withoutDataset));
});
afterAll(async () => cluster?.cleanup());

const implementations: Array<[string, () => ProofpointClickEvidence]> = [
  ['elasticsearch', () => new ElasticProofpointClicks(cluster.es, cluster.indices.proofpoint)],
  ['elasticsearch, dynamically mapped, no dataset named', () => new ElasticProofpointClicks(cluster.es, dynamic)],
  ['memory', () => new MemoryProofpointClicks(new MemoryDocuments(docs))],
];

const summary = (c: { url: string; action: string; users: string[]; first: Date; last: Date; count: number; clickIps: string[]; classifications: string[] }) =>
  `${c.action} ${c.users.join(',')} ${c.first.toISOString()}..${c.last.toISOString()} x${c.count} from ${c.clickIps.join(',')} [${c.classifications.join(',')}]`;

describe.each(implementations)('Proofpoint TAP clicks port (%s)', (_name, make) => {
  it('finds permitted and blocked clicks on the URL as the e-mail wrote it, stored URL-decoded, timed by the click', async () => {
    const res = await make().clicks(urlSpellings(PHISH_URL), after);
    expect(res.hasData).toBe(true);
    expect(res.incomplete).toBeUndefined();
    expect(res.found.every((c) => c.url === PHISH_URL_STORED && c.host === undefined)).toBe(true);
    // carol's click at 07:50 was before delivery, though its @timestamp (the threat time, 09:00) is after.
    expect(res.found.map(summary).sort()).toEqual([
      'blocked frank@example.com 2026-10-01T09:30:00.000Z..2026-10-01T09:30:00.000Z x1 from 198.51.100.64 [phish]',
      'permitted bob@example.com 2026-10-01T08:20:00.000Z..2026-10-01T08:20:00.000Z x1 from 198.51.100.23 [phish]',
    ]);
  });

  it('counts a click by its click time, not by @timestamp (the later threat time)', async () => {
    const res = await make().clicks(urlSpellings(PHISH_URL), { from: T, to: at('2026-10-01T08:30:00Z') });
    expect(res.found.map((c) => `${c.action} ${c.users.join()}`)).toEqual(['permitted bob@example.com']);
  });

  it('matches the host case-insensitively and the URL as written or decoded', async () => {
    const upper = await make().clicks(urlSpellings('HTTPS://LOGIN.EVIL-BANK.CO.UK:443/verify?u=bob%40example.com&lang=en+GB'), after);
    expect(upper.found.map((c) => c.action).sort()).toEqual(['blocked', 'permitted']);
    const decoded = await make().clicks(urlSpellings(PHISH_URL_STORED), after);
    expect(decoded.found.map((c) => c.action).sort()).toEqual(['blocked', 'permitted']);
  });

  it('reads an older document (no click_time) by @timestamp, the click time there', async () => {
    const { found } = await make().clicks(urlSpellings(LEGACY_URL), after);
    expect(found.map(summary)).toEqual(['permitted erin@example.com 2026-10-01T08:40:00.000Z..2026-10-01T08:40:00.000Z x1 from 198.51.100.88 [phish]']);
    const later = await make().clicks(urlSpellings(LEGACY_URL), { from: at('2026-10-01T08:45:00Z'), to: after.to });
    expect(later).toEqual({ hasData: true, found: [] });
  });

  it('tells a blocked click apart', async () => {
    const { found } = await make().clicks(urlSpellings(BLOCKED_URL), after);
    expect(found.map(summary)).toEqual(['blocked bob@example.com 2026-10-01T08:25:00.000Z..2026-10-01T08:25:00.000Z x1 from 198.51.100.23 [malware]']);
  });

  it('tells no hits from no data', async () => {
    expect(await make().clicks(urlSpellings('https://nowhere.test/'), after)).toEqual({ hasData: true, found: [] });
    expect(await make().clicks(urlSpellings(PHISH_URL), empty)).toEqual({ hasData: false, found: [] });
  });

  it('a permitted click without a URL makes "no click" unknown', async () => {
    const res = await make().clicks(urlSpellings(PHISH_URL), noUrlDay);
    expect(res.hasData).toBe(true);
    expect(res.found).toEqual([]);
    expect(res.incomplete).toEqual(['url.full: 1 permitted click(s) carry no URL: which URL was clicked is unknown']);
  });
});

describe('Proofpoint TAP clicks port on Elasticsearch: caps make the answer incomplete', () => {
  const CAPPED = 'https://capped.example.net/landing';
  const bob = permittedClicks()[0]!;
  const click = (n: number, changes: Record<string, unknown>) =>
    clickWith(bob, { '@timestamp': `2026-10-01T10:${String(n % 60).padStart(2, '0')}:00.000Z`, 'proofpoint_tap.clicks_permitted.click_time': undefined, 'event.id': `cap-${n}`, ...changes });
  const blockedClick = (n: number, recipient: string) =>
    clickWith(withoutDataset(bob), {
      '@timestamp': `2026-10-01T11:${String(n % 60).padStart(2, '0')}:00.000Z`,
      proofpoint_tap: { guid: `g${n}`, clicks_blocked: { classification: 'phish' } },
      'url.full': 'https://crowd.example.net/x',
      'email.to.address': [recipient],
    });
  /** The n-th spelling of a name by letter case (bit i of n: the i-th letter upper-case). */
  const caseVariant = (name: string, n: number) => {
    let bit = 0;
    return [...name].map((ch) => (/[a-z]/.test(ch) && (n >> bit++) & 1 ? ch.toUpperCase() : ch)).join('');
  };
  let capped: string;
  const longUrl = `https://long.example.net/${'a'.repeat(300)}`;

  beforeAll(async () => {
    capped = await loadDynamic(cluster, 'proofpoint-caps', [
      // 101 spellings of one URL (host case): more than the 100 compared.
      ...Array.from({ length: 101 }, (_, n) => click(n, { 'url.full': CAPPED.replace('capped.example', (host) => caseVariant(host, n)) })),
      // A click naming neither stream, nor carrying either stream's fields.
      { '@timestamp': '2026-10-01T12:00:00.000Z', url: { full: 'https://unnamed.example.net/' }, email: { to: { address: ['gina@example.com'] } } },
      // 101 recipients whose clicks were blocked: listed in part, which hides no permitted click.
      ...Array.from({ length: 101 }, (_, n) => blockedClick(n, `user${n}@example.com`)),
      // A permitted click on a URL longer than the 256 characters the .keyword sub-field indexes.
      click(7, { 'url.full': longUrl }),
    ]);
  });

  it('spellings beyond the first 100 are not compared: incomplete', async () => {
    const res = await new ElasticProofpointClicks(cluster.es, capped).clicks(urlSpellings(CAPPED), after);
    expect(res.incomplete?.join('\n')).toMatch(/url\.full: \d+ permitted click\(s\) logged the URL in spellings beyond the first 100, not compared/);
  });

  it('a click naming neither stream: whether it was permitted is unknown', async () => {
    const res = await new ElasticProofpointClicks(cluster.es, capped).clicks(urlSpellings('https://unnamed.example.net/'), after);
    expect(res.found).toEqual([]);
    expect(res.incomplete).toEqual(['1 click(s) on the URL name neither proofpoint_tap.clicks_permitted nor proofpoint_tap.clicks_blocked: whether they were permitted is unknown']);
  });

  it('blocked clicks of recipients beyond the list are a note, not an unknown', async () => {
    const res = await new ElasticProofpointClicks(cluster.es, capped).clicks(urlSpellings('https://crowd.example.net/x'), after);
    expect(res.found).toHaveLength(100);
    expect(res.incomplete).toBeUndefined();
    expect(res.notes).toEqual(['https://crowd.example.net/x: 1 blocked click(s) of recipients beyond the first 100 are not listed']);
  });

  it('a URL longer than the indexed cap cannot be matched: incomplete', async () => {
    const res = await new ElasticProofpointClicks(cluster.es, capped).clicks(urlSpellings(longUrl), after);
    expect(res.found).toEqual([]);
    expect(res.incomplete?.join('\n')).toMatch(/url\.full: the URL of \d+ characters is longer than the 256 the field indexes/);
  });
});
