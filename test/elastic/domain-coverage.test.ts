// Whether network events carry registered domains, asked in the background (domain-coverage.ts): a fresh "none
// lacks one" lets the e-mail flow's domain searches skip their window-wide probes; anything else probes as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepDomainCoverageFresh, LATE_ARRIVAL_MS, noEventLacksRegisteredDomain, windowToProbe } from '../../src/evidence/elastic/domain-coverage.js';
import { ElasticEdr } from '../../src/evidence/elastic/edr.js';
import { dnsLookup } from '../support/edr.js';
import { loadDynamic, testCluster, type TestCluster } from '../support/elastic.js';

const DAY = 86_400_000;
const recent = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString();
let cluster: TestCluster;

beforeAll(async () => {
  cluster = await testCluster();
  // Loaded by `triage ingest`: every name gets its registered domain.
  const report = await cluster.load([dnsLookup(recent(2), 'login.phish-example.com', 'ann', 'LAPTOP-ANN'), dnsLookup(recent(20), 'cdn.phish-example.com', 'bob', 'LAPTOP-BOB')]);
  expect(report.rejected).toEqual([]);
});
afterAll(async () => cluster?.cleanup());

describe('the background check of registered domains', () => {
  it('says none lacks one for windows it covers while fresh; an older window or a stale check is probed', async () => {
    const index = cluster.indices.edrNetwork;
    const window = { from: new Date(Date.now() - 30 * DAY), to: new Date() };
    expect(noEventLacksRegisteredDomain(cluster.es, index, window)).toBe(false); // never checked
    const coverage = keepDomainCoverageFresh(cluster.es, index, 60_000);
    await coverage.ready;
    coverage.stop();
    expect(noEventLacksRegisteredDomain(cluster.es, index, window)).toBe(true);
    // The 30 days before a month-old alert are covered too; beyond 62 days a window probes for itself.
    expect(noEventLacksRegisteredDomain(cluster.es, index, { ...window, from: new Date(Date.now() - 60 * DAY) })).toBe(true);
    expect(noEventLacksRegisteredDomain(cluster.es, index, { ...window, from: new Date(Date.now() - 70 * DAY) })).toBe(false);
    expect(noEventLacksRegisteredDomain(cluster.es, index, window, Date.now() + 121_000)).toBe(false);
  });

  it('an index where some event lacks one keeps every investigation probing', async () => {
    // Someone else's pipeline: stored as it is, no registered domain added.
    const index = await loadDynamic(cluster, 'coverage', [dnsLookup(recent(3), 'mail.phish-example.com', 'cy', 'LAPTOP-CY')]);
    const coverage = keepDomainCoverageFresh(cluster.es, index, 60_000);
    await coverage.ready;
    coverage.stop();
    const window = { from: new Date(Date.now() - 30 * DAY), to: new Date() };
    expect(noEventLacksRegisteredDomain(cluster.es, index, window)).toBe(false);
  });

  it('the skipped probes change no answer: the same contacts with and without a fresh check', async () => {
    const window = { from: new Date(Date.now() - 30 * DAY), to: new Date() };
    const edr = new ElasticEdr(cluster.es, { process: cluster.indices.edrProcess, file: cluster.indices.edrFile, network: cluster.indices.edrNetwork });
    const withCheck = await edr.domainContacts(['phish-example.com'], window);
    const other = cluster.es.child({}); // a client the check never saw: probes per investigation
    const probed = await new ElasticEdr(other, { process: cluster.indices.edrProcess, file: cluster.indices.edrFile, network: cluster.indices.edrNetwork }).domainContacts(['phish-example.com'], window);
    expect(withCheck).toEqual(probed);
    expect(withCheck.found.map((c) => c.domain)).toEqual(['phish-example.com', 'phish-example.com']); // ann and bob
  });
});

describe('events that arrive after the background check', () => {
  it('a name without a registered domain seen after a "none lacks one" check is still found', async () => {
    const carried = dnsLookup(recent(2), 'login.late-example.com', 'ann', 'LAPTOP-ANN');
    const index = await loadDynamic(cluster, 'after-check', [{ ...carried, dns: { question: { name: 'login.late-example.com', registered_domain: 'late-example.com' } } }]);
    const coverage = keepDomainCoverageFresh(cluster.es, index, 60_000);
    await coverage.ready;
    coverage.stop();
    const window = { from: new Date(Date.now() - 30 * DAY), to: new Date(Date.now() + 60_000) };
    expect(noEventLacksRegisteredDomain(cluster.es, index, window)).toBe(true);
    // Only the window's tail is probed: from a little before the check on, never the 30 days.
    const tail = windowToProbe(cluster.es, index, window)!;
    expect(tail.to).toEqual(window.to);
    expect(Date.now() - tail.from.getTime()).toBeGreaterThanOrEqual(LATE_ARRIVAL_MS - 1000);
    expect(Date.now() - tail.from.getTime()).toBeLessThan(LATE_ARRIVAL_MS + 60_000);
    expect(windowToProbe(cluster.es, index, { from: window.from, to: new Date(Date.now() - 2 * LATE_ARRIVAL_MS) })).toBeUndefined();
    // After the check: one event stamped now, one that arrived late (stamped minutes before the check); neither
    // carries the registered domain (a name the pipeline could not split, another shipper).
    const now = new Date().toISOString();
    const late = new Date(Date.now() - 5 * 60_000).toISOString();
    await cluster.es.bulk({ refresh: true, operations: [dnsLookup(now, 'x.late-example.com', 'bob', 'LAPTOP-BOB'), dnsLookup(late, 'y.late-example.com', 'cy', 'LAPTOP-CY')].flatMap((d) => [{ create: { _index: index } }, d]) });
    const edr = new ElasticEdr(cluster.es, { process: cluster.indices.edrProcess, file: cluster.indices.edrFile, network: index });
    const contacts = await edr.domainContacts(['late-example.com'], window);
    const probed = await new ElasticEdr(cluster.es.child({}), { process: cluster.indices.edrProcess, file: cluster.indices.edrFile, network: index }).domainContacts(['late-example.com'], window);
    expect(probed.found).toHaveLength(3); // ann, bob and cy, searched without the check
    expect(contacts).toEqual(probed);
  });
});
