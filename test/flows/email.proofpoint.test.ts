// The e-mail flow with Proofpoint TAP clicks (flows.md M2, v3) end to end on real Elasticsearch: the package-shaped
// fixtures loaded through `triage ingest`'s routing beside proxy and EDR data; the in-memory store must agree.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/types.js';
import { investigate, type EngineDeps } from '../../src/flows/engine.js';
import { MemoryDocuments } from '../../src/evidence/memory/store.js';
import { elasticSources, memorySources } from '../../src/evidence/sources.js';
import type { Verdict } from '../../src/flows/verdict.js';
import { noClassifier, toAlert } from '../support/alerts.js';
import { dnsLookup, fileCreation, processStart, proxyHit } from '../support/edr.js';
import { testCluster, type TestCluster } from '../support/elastic.js';
import { BLOCKED_URL, DELIVERED, inNamespace, PHISH_URL, proofpointClicks } from '../support/proofpoint.js';
import { emailFactsOf } from '../support/facts.js';

const T = DELIVERED;
/** A delivery a month later: proxy and EDR have data then, Proofpoint has none. */
const T2 = '2026-11-01T08:00:00Z';
const at = (t: string, minutes: number) => new Date(Date.parse(t) + minutes * 60_000).toISOString();

/** Proxy and EDR events unrelated to any indicator: those sources have data after delivery. */
const background = (t: string) => [
  proxyHit(at(t, 30), 'https://intranet.example.com/home', 'carol', 'LAPTOP-CAROL'),
  dnsLookup(at(t, 31), 'intranet.example.com', 'carol', 'LAPTOP-CAROL'),
  processStart(at(t, 32), { name: 'excel.exe', commandLine: 'excel.exe /safe report.xlsx', user: 'carol', host: 'LAPTOP-CAROL' }),
  fileCreation(at(t, 33), { name: 'report.xlsx', path: 'C:\\Users\\carol\\report.xlsx', user: 'carol', host: 'LAPTOP-CAROL' }),
  // EDR network data in the 30 days before: prior popularity is known.
  dnsLookup(at(t, -24 * 60), 'intranet.example.com', 'carol', 'LAPTOP-CAROL'),
];

const alert = (id: string, time: string, urls: string[]) =>
  toAlert({ id, type: 'email.malicious', time, recipients: ['bob@example.com'], sender: 'billing@evil-sender.test', subject: 'Verify your account', urls });

describe('e-mail flow with Proofpoint TAP clicks', () => {
  let cluster: TestCluster;
  const evidenceDocs = [...background(T), ...background(T2)];
  const memory = memorySources(new MemoryDocuments([...evidenceDocs, ...proofpointClicks()]));
  const depsFor = (a: Alert, evidence: EngineDeps['evidence']): EngineDeps => ({
    evidence,
    ipClassifier: noClassifier,
    settings: { rareDomainUserThreshold: 5, companyCidrs: [], now: () => new Date(a.time.getTime() + 24 * 3600_000) },
  });
  /** The verdict from Elasticsearch, checked to be the in-memory one. */
  const verdictOf = async (a: Alert): Promise<Verdict> => {
    const [fromElastic, fromMemory] = await Promise.all([investigate(a, depsFor(a, elasticSources(cluster.es, cluster.indices))), investigate(a, depsFor(a, memory))]);
    expect(fromMemory).toEqual(fromElastic);
    return fromElastic;
  };
  const step = (v: Verdict, id: string) => v.path.find((p) => p.step === id)!;

  beforeAll(async () => {
    cluster = await testCluster();
    const report = await cluster.load([...evidenceDocs, ...proofpointClicks().map((d) => inNamespace(d, cluster.namespace))]);
    expect(report.rejected).toEqual([]);
  });
  afterAll(async () => cluster?.cleanup());

  it('a permitted click on the exact URL (written encoded in the e-mail, stored decoded) → M2 malicious 90, blocked clicks named', async () => {
    const v = await verdictOf(alert('pp-permitted', T, [PHISH_URL]));
    expect([v.verdict, v.score, v.path.at(-1)?.step]).toEqual(['malicious', 90, 'M2']);
    const m2 = step(v, 'M2').evidence;
    expect(m2).toContain('bob@example.com (recipient) from 198.51.100.23 at 2026-10-01T08:20:00.000Z (Proofpoint TAP, permitted, phish)');
    expect(m2).toContain('blocked by Proofpoint TAP (not an interaction): https://login.evil-bank.co.uk/verify?u=bob@example.com&lang=en GB: frank@example.com from 198.51.100.64 at 2026-10-01T09:30:00.000Z');
    // carol clicked before delivery (07:50), though her event's @timestamp (the threat time) is after it.
    expect(m2).not.toContain('carol');
    expect(v.summary).toBe('The link was clicked: bob@example.com (Proofpoint TAP).');
  });

  it('only a blocked click → no interaction: M2 no, benign 15, the blocked click in the trace and summary', async () => {
    const v = await verdictOf(alert('pp-blocked', T, [BLOCKED_URL]));
    expect([v.verdict, v.score, v.path.at(-1)?.step]).toEqual(['benign', 15, 'M7']);
    expect(step(v, 'M2').answer).toBe('no');
    expect(step(v, 'M2').evidence).toContain('blocked by Proofpoint TAP (not an interaction): https://malware-drop.example.net/payload.zip: bob@example.com (recipient) from 198.51.100.23 at 2026-10-01T08:25:00.000Z');
    expect(v.summary).toMatch(/Proofpoint TAP blocked 1 click\(s\): bob@example\.com/);
  });

  it('no Proofpoint data since delivery never counts as missing: M6 no, benign 15', async () => {
    const v = await verdictOf(alert('pp-none', T2, [PHISH_URL]));
    expect([v.verdict, v.score, v.path.at(-1)?.step]).toEqual(['benign', 15, 'M7']);
    expect(step(v, 'M2')).toMatchObject({ answer: 'no', evidence: expect.stringContaining('Proofpoint TAP: no click data since delivery (optional evidence, not counted as missing)') });
    expect(step(v, 'M6')).toMatchObject({ answer: 'no', evidence: 'data present in proxy, EDR network' });
    expect(emailFactsOf(v).data).toMatchObject({ proxy: true, proofpoint_tap: false });
  });
});
