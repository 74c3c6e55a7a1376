// The track record on real Elasticsearch: audit records written through the Audit, read back with aggregations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Audit } from '../../src/audit/audit.js';
import { assembleTrackRecord, outcomeOf, readTrackRecord, trackRecordQueries, type FlowRecord, type TrackRecord } from '../../src/audit/track-record.js';
import type { FlowName, Verdict, VerdictClass } from '../../src/flows/verdict.js';
import { testCluster, type TestCluster } from '../support/elastic.js';
import { verdictOf as anyVerdictOf } from '../support/facts.js';

const NOW = new Date('2026-06-30T12:00:00Z');
const DAY = 24 * 3600_000;
const S = 1000;
const iso = (ms: number) => new Date(ms).toISOString();

let cluster: TestCluster;
let audit: Audit;

interface Rec {
  id: string;
  flow: FlowName;
  verdict: VerdictClass;
  /** Days before NOW the alert arrived. */
  daysAgo: number;
  /** Seconds from arrival to the verdict. */
  toVerdict: number;
  decision?: { action: 'escalate' | 'dismiss'; reason?: string; after: number };
}

const RECORDS: Rec[] = [
  // AWS, last 7 days: 12 alerts — agreed 3, overruled 2, excluded 7.
  { id: 'm1', flow: 'aws_instance_credentials', verdict: 'malicious', daysAgo: 1, toVerdict: 10, decision: { action: 'escalate', after: 60 } },
  { id: 'm2', flow: 'aws_instance_credentials', verdict: 'malicious', daysAgo: 2, toVerdict: 20, decision: { action: 'dismiss', reason: 'false_positive', after: 120 } },
  { id: 'm3', flow: 'aws_instance_credentials', verdict: 'malicious', daysAgo: 3, toVerdict: 30, decision: { action: 'dismiss', reason: 'benign_true_positive', after: 180 } },
  { id: 'm4', flow: 'aws_instance_credentials', verdict: 'malicious', daysAgo: 4, toVerdict: 40 },
  { id: 'm5', flow: 'aws_instance_credentials', verdict: 'malicious', daysAgo: 5, toVerdict: 50, decision: { action: 'dismiss', reason: 'duplicate', after: 240 } },
  { id: 's1', flow: 'aws_instance_credentials', verdict: 'suspicious', daysAgo: 1, toVerdict: 10, decision: { action: 'escalate', after: 30 } },
  { id: 's2', flow: 'aws_instance_credentials', verdict: 'suspicious', daysAgo: 1, toVerdict: 10, decision: { action: 'dismiss', reason: 'false_positive', after: 30 } },
  { id: 'b1', flow: 'aws_instance_credentials', verdict: 'benign', daysAgo: 1, toVerdict: 10, decision: { action: 'dismiss', reason: 'other', after: 30 } },
  { id: 'b2', flow: 'aws_instance_credentials', verdict: 'benign', daysAgo: 1, toVerdict: 10, decision: { action: 'escalate', after: 30 } },
  { id: 'b3', flow: 'aws_instance_credentials', verdict: 'benign', daysAgo: 1, toVerdict: 10 },
  { id: 'i1', flow: 'aws_instance_credentials', verdict: 'inconclusive', daysAgo: 1, toVerdict: 10, decision: { action: 'escalate', after: 30 } },
  { id: 'i2', flow: 'aws_instance_credentials', verdict: 'inconclusive', daysAgo: 6, toVerdict: 10 },
  // AWS, 8–30 days ago: one more malicious, escalated.
  { id: 'm-old', flow: 'aws_instance_credentials', verdict: 'malicious', daysAgo: 20, toVerdict: 10, decision: { action: 'escalate', after: 30 } },
  // Outside both windows.
  { id: 'm-older', flow: 'aws_instance_credentials', verdict: 'benign', daysAgo: 40, toVerdict: 10, decision: { action: 'escalate', after: 30 } },
  // Okta: two benign alerts, both dismissed.
  { id: 'o1', flow: 'okta_impossible_travel', verdict: 'benign', daysAgo: 2, toVerdict: 5, decision: { action: 'dismiss', reason: 'false_positive', after: 600 } },
  { id: 'o2', flow: 'okta_impossible_travel', verdict: 'benign', daysAgo: 2, toVerdict: 7, decision: { action: 'dismiss', reason: 'duplicate', after: 600 } },
  // Okta MFA push fatigue (the fourth flow): a malicious verdict escalated, a suspicious one still open.
  { id: 'f1', flow: 'okta_mfa_fatigue', verdict: 'malicious', daysAgo: 3, toVerdict: 4, decision: { action: 'escalate', after: 90 } },
  { id: 'f2', flow: 'okta_mfa_fatigue', verdict: 'suspicious', daysAgo: 3, toVerdict: 6 },
];

const verdictOf = (r: Rec): Verdict => anyVerdictOf(r.flow, { alert_id: r.id, verdict: r.verdict, score: null, summary: 's', path: [] });

async function write(r: Rec): Promise<void> {
  const arrived = NOW.getTime() - r.daysAgo * DAY;
  const v = verdictOf(r);
  await audit.verdict(v, { alertType: 'x', jobId: `alert-${r.id}`, arrivedAt: iso(arrived), answersArrival: true, reachedAt: iso(arrived + r.toVerdict * S) });
  if (r.decision) {
    await audit.disposition({ alertId: r.id, flow: r.flow, verdict: r.verdict, score: null, action: r.decision.action, actor: 'U0R', arrivedAt: iso(arrived), decidedAt: iso(arrived + r.decision.after * S), ...(r.decision.reason ? { reason: r.decision.reason } : {}) });
  }
}

let record: TrackRecord;
const flowOf = (days: number, flow: FlowName): FlowRecord => record.windows.find((w) => w.days === days)!.flows.find((f) => f.flow === flow)!;

beforeAll(async () => {
  cluster = await testCluster();
  audit = new Audit(cluster.es, { verdicts: cluster.indices.verdicts, dispositions: cluster.indices.dispositions });
  for (const r of RECORDS) await write(r);
  const b3 = RECORDS.find((r) => r.id === 'b3')!;
  // A re-run of b3: a second verdict record of the same alert (no time to verdict: it answers no arrival).
  await audit.verdict(verdictOf(b3), { alertType: 'x', jobId: 'alert-b3-run-1', arrivedAt: iso(NOW.getTime() - DAY), answersArrival: false });
  // Records that are no decision on the verdict: a re-run, a superseded report, a suppression and its lifting.
  for (const action of ['rerun', 'superseded', 'suppress', 'lift_suppression'] as const) {
    await audit.disposition({ alertId: 'b3', flow: 'aws_instance_credentials', verdict: 'benign', action, actor: 'U0R', arrivedAt: iso(NOW.getTime() - DAY) });
  }
  await cluster.es.indices.refresh({ index: `${cluster.indices.verdicts},${cluster.indices.dispositions}` });
  record = await readTrackRecord(cluster.es, { verdicts: cluster.indices.verdicts, dispositions: cluster.indices.dispositions }, { now: NOW, minAgreement: 0.8 });
}, 60_000);
afterAll(async () => cluster?.cleanup());

describe('outcome of a decision', () => {
  it('agreed, overruled or excluded as the issue defines them', () => {
    expect(outcomeOf('malicious', 'escalate', undefined)).toBe('agreed');
    expect(outcomeOf('suspicious', 'escalate', undefined)).toBe('agreed');
    expect(outcomeOf('benign', 'dismiss', 'other')).toBe('agreed');
    expect(outcomeOf('benign', 'dismiss', 'false_positive')).toBe('agreed');
    expect(outcomeOf('benign', 'escalate', undefined)).toBe('overruled');
    expect(outcomeOf('malicious', 'dismiss', 'false_positive')).toBe('overruled');
    expect(outcomeOf('malicious', 'dismiss', 'benign_true_positive')).toBe('excluded');
    expect(outcomeOf('malicious', 'dismiss', 'duplicate')).toBe('excluded');
    expect(outcomeOf('suspicious', 'dismiss', 'false_positive')).toBe('excluded');
    expect(outcomeOf('inconclusive', 'escalate', undefined)).toBe('excluded');
    expect(outcomeOf('inconclusive', 'dismiss', 'false_positive')).toBe('excluded');
  });
});

describe('track record from the audit indices (real Elasticsearch)', () => {
  it('counts alerts, agreed, overruled and excluded per flow over the last 7 days; flags agreement below the minimum', () => {
    const aws = flowOf(7, 'aws_instance_credentials');
    expect({ alerts: aws.alerts, agreed: aws.agreed, overruled: aws.overruled, excluded: aws.excluded }).toEqual({ alerts: 12, agreed: 3, overruled: 2, excluded: 7 });
    expect(aws.agreement).toBeCloseTo(0.6, 5);
    expect(aws.flagged).toBe(true);
    const okta = flowOf(7, 'okta_impossible_travel');
    expect({ alerts: okta.alerts, agreed: okta.agreed, overruled: okta.overruled, excluded: okta.excluded, agreement: okta.agreement, flagged: okta.flagged }).toEqual({ alerts: 2, agreed: 2, overruled: 0, excluded: 0, agreement: 1, flagged: false });
    const email = flowOf(7, 'malicious_email');
    expect({ alerts: email.alerts, agreement: email.agreement, flagged: email.flagged }).toEqual({ alerts: 0, agreement: null, flagged: false });
    const mfa = flowOf(7, 'okta_mfa_fatigue');
    expect({ alerts: mfa.alerts, agreed: mfa.agreed, overruled: mfa.overruled, excluded: mfa.excluded, agreement: mfa.agreement }).toEqual({ alerts: 2, agreed: 1, overruled: 0, excluded: 1, agreement: 1 });
  });

  it('per verdict class', () => {
    const byClass = Object.fromEntries(flowOf(7, 'aws_instance_credentials').classes.map((c) => [c.verdict, [c.alerts, c.agreed, c.overruled, c.excluded]]));
    expect(byClass).toEqual({
      malicious: [5, 1, 1, 3],
      suspicious: [2, 1, 0, 1],
      // b3 has two verdict records (a re-run) and counts once; re-runs and suppressions are no decision.
      benign: [3, 1, 1, 1],
      inconclusive: [2, 0, 0, 2],
    });
  });

  it('the 30-day window holds older alerts; older than 30 days counts nowhere', () => {
    const aws = flowOf(30, 'aws_instance_credentials');
    expect({ alerts: aws.alerts, agreed: aws.agreed, overruled: aws.overruled }).toEqual({ alerts: 13, agreed: 4, overruled: 2 });
    expect(aws.agreement).toBeCloseTo(4 / 6, 5);
  });

  it('median time from arrival to the verdict and to a human decision', () => {
    const malicious = flowOf(7, 'aws_instance_credentials').classes.find((c) => c.verdict === 'malicious')!;
    expect(malicious.medianToVerdict).toBe(30); // 10, 20, 30, 40, 50 s
    expect(malicious.medianToDecision).toBe(150); // 60, 120, 180, 240 s
    const okta = flowOf(7, 'okta_impossible_travel');
    expect(okta.medianToVerdict).toBe(6);
    expect(okta.medianToDecision).toBe(600);
    expect(flowOf(7, 'malicious_email').medianToVerdict).toBeNull();
  });

  it('aggregates, never fetches documents', () => {
    const q = trackRecordQueries(NOW);
    expect(q.verdicts.size).toBe(0);
    expect(q.decisions.size).toBe(0);
  });

  it('an audit index nobody wrote to yet is an empty record', async () => {
    const empty = await readTrackRecord(cluster.es, { verdicts: `triage-verdicts-none-${cluster.namespace}`, dispositions: `triage-dispositions-none-${cluster.namespace}` }, { now: NOW, minAgreement: 0.8 });
    expect(empty.windows.flatMap((w) => w.flows.map((f) => f.alerts))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(assembleTrackRecord(undefined, undefined, { now: NOW, minAgreement: 0.8 })).toEqual(empty);
  });
});
