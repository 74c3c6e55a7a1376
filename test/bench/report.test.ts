// The benchmark's report: figures shared out per flow of the benchmark's own (aws, okta, mfa, email).
import { describe, expect, it } from 'vitest';
import { esCpuPerFlow, type PhaseResult, type PhaseRow } from '../../bench/scale/report.js';
import type { BenchAlert, Flow } from '../../bench/generate/scenarios.js';

function row(flow: Flow, product: string, took: number): PhaseRow {
  const bench: BenchAlert = { id: `${flow}-x`, alert: {}, flow, family: 'f', heavy: false, expect: { verdict: 'benign', score: 10 } };
  return {
    bench,
    record: { alertKey: 'k', alertId: bench.id, flow: product, verdict: 'benign', score: 10, attempt: 1, startedAt: 0, investigateMs: 1, esRequests: 1, esByKind: {}, esTookByTarget: { _msearch: took } },
    alertToVerdictMs: 1,
    verdictAt: 1,
  };
}

describe('bench report', () => {
  it('shares the burst’s Elasticsearch CPU out by each flow’s took, keyed by the benchmark’s flows (not the verdict’s ids)', () => {
    const burst: PhaseResult = {
      name: 'burst',
      rows: [row('aws', 'aws_instance_credentials', 10), row('mfa', 'okta_mfa_fatigue', 30), row('mfa', 'okta_mfa_fatigue', 50), { ...row('email', 'malicious_email', 10), verdictAt: undefined }],
      cpu: { wallS: 1, workerCpuS: 0, elasticsearchCpuS: 0.9, benchmarkCpuS: 0, otherCpuS: 0, cores: 2, load1: 0 },
    };
    // 900 ms over 90 ms of took: aws 10/90 of it for one investigation, mfa 80/90 for two; the unfinished email one is left out.
    expect(esCpuPerFlow(burst)).toEqual({ aws: 100, mfa: 400 });
    expect(esCpuPerFlow({ ...burst, cpu: undefined })).toBeNull();
  });
});
