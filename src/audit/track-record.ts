// The bot's track record: how often responders agreed with its verdicts, per flow and verdict class, over
// the last 7 and 30 days — from the audit indices, with aggregations only (two size-0 searches).
//
// Agreed: malicious or suspicious escalated, benign dismissed (any reason). Overruled: benign escalated,
// malicious dismissed as a false positive. Excluded: inconclusive, no decision yet, suspicious dismissed,
// malicious dismissed for any other reason. Windows are by the alert's arrival (recorded in both indices).
import type { Client } from '@elastic/elasticsearch';
import { FLOWS, type FlowName, type VerdictClass } from '../flows/verdict.js';

export const WINDOW_DAYS = [7, 30] as const;
export const VERDICT_CLASSES: readonly VerdictClass[] = ['malicious', 'suspicious', 'benign', 'inconclusive'];
const DAY_MS = 24 * 3600_000;

export type Outcome = 'agreed' | 'overruled' | 'excluded';

export interface Tally {
  alerts: number;
  agreed: number;
  overruled: number;
  excluded: number;
  /** Median seconds from the alert's arrival to the verdict / to a human decision; null without any. */
  medianToVerdict: number | null;
  medianToDecision: number | null;
}

export interface ClassRecord extends Tally {
  verdict: VerdictClass;
}

export interface FlowRecord extends Tally {
  flow: FlowName;
  /** agreed / (agreed + overruled); null when no decision judged the bot either way. */
  agreement: number | null;
  /** Agreement below the configured minimum. */
  flagged: boolean;
  classes: ClassRecord[];
}

export interface WindowRecord {
  days: number;
  from: string;
  flows: FlowRecord[];
}

export interface TrackRecord {
  at: string;
  minAgreement: number;
  windows: WindowRecord[];
}

/** What a human decision says about the verdict it was taken on. */
export function outcomeOf(verdict: string, action: string, reason: string | undefined): Outcome {
  if (action === 'escalate') {
    if (verdict === 'malicious' || verdict === 'suspicious') return 'agreed';
    if (verdict === 'benign') return 'overruled';
    return 'excluded';
  }
  if (action === 'dismiss') {
    if (verdict === 'benign') return 'agreed';
    if (verdict === 'malicious' && reason === 'false_positive') return 'overruled';
  }
  return 'excluded';
}

// The aggregation answers, as far as we read them.
interface Bucket {
  key: string;
  doc_count: number;
}
interface Percentiles {
  values?: Record<string, number | null>;
}
interface VerdictClassBucket extends Bucket {
  alerts?: { value: number };
  to_verdict?: Percentiles;
}
interface VerdictFlowBucket extends Bucket {
  to_verdict?: Percentiles;
  classes?: { buckets: VerdictClassBucket[] };
}
interface ReasonBucket extends Bucket {}
interface ActionBucket extends Bucket {
  reasons?: { buckets: ReasonBucket[] };
}
interface DecisionClassBucket extends Bucket {
  decided?: { value: number };
  to_decision?: Percentiles;
  actions?: { buckets: ActionBucket[] };
}
interface DecisionFlowBucket extends Bucket {
  to_decision?: Percentiles;
  classes?: { buckets: DecisionClassBucket[] };
}
type Windows<T> = { windows?: { buckets?: Record<string, { flows?: { buckets: T[] } }> } };

const median = (p: Percentiles | undefined): number | null => {
  const v = p?.values?.['50.0'];
  return typeof v === 'number' && Number.isFinite(v) ? Math.round(v * 10) / 10 : null;
};

const windowName = (days: number) => `d${days}`;

function windowFilters(now: Date): Record<string, unknown> {
  return Object.fromEntries(WINDOW_DAYS.map((d) => [windowName(d), { range: { arrived_at: { gte: new Date(now.getTime() - d * DAY_MS).toISOString(), lte: now.toISOString() } } }]));
}

const p50 = (field: string) => ({ percentiles: { field, percents: [50] } });

/** The searches: per window (a filters aggregation), per flow, per verdict class. Bounded buckets throughout. */
export function trackRecordQueries(now: Date) {
  const since = new Date(now.getTime() - Math.max(...WINDOW_DAYS) * DAY_MS).toISOString();
  const arrived = { range: { arrived_at: { gte: since, lte: now.toISOString() } } };
  const perWindow = (flowAggs: Record<string, unknown>) => ({
    windows: { filters: { filters: windowFilters(now) }, aggs: { flows: { terms: { field: 'flow', size: FLOWS.length + 5 }, aggs: flowAggs } } },
  });
  return {
    verdicts: {
      size: 0,
      query: { bool: { filter: [arrived] } },
      aggs: perWindow({
        to_verdict: p50('seconds_to_verdict'),
        classes: { terms: { field: 'verdict', size: 10 }, aggs: { alerts: { cardinality: { field: 'alert_id' } }, to_verdict: p50('seconds_to_verdict') } },
      }),
    },
    decisions: {
      size: 0,
      query: { bool: { filter: [arrived, { terms: { action: ['escalate', 'dismiss'] } }] } },
      aggs: perWindow({
        to_decision: p50('seconds_to_decision'),
        classes: {
          terms: { field: 'verdict', size: 10 },
          aggs: {
            decided: { cardinality: { field: 'alert_id' } },
            to_decision: p50('seconds_to_decision'),
            actions: { terms: { field: 'action', size: 5 }, aggs: { reasons: { terms: { field: 'reason', size: 10, missing: '' } } } },
          },
        },
      }),
    },
  };
}

/** The record from the two aggregation answers (pure). */
export function assembleTrackRecord(verdictAggs: unknown, decisionAggs: unknown, opts: { now: Date; minAgreement: number }): TrackRecord {
  const vw = (verdictAggs as Windows<VerdictFlowBucket> | undefined)?.windows?.buckets ?? {};
  const dw = (decisionAggs as Windows<DecisionFlowBucket> | undefined)?.windows?.buckets ?? {};
  const windows = WINDOW_DAYS.map((days): WindowRecord => {
    const vFlows = vw[windowName(days)]?.flows?.buckets ?? [];
    const dFlows = dw[windowName(days)]?.flows?.buckets ?? [];
    const flows = FLOWS.map((flow): FlowRecord => {
      const vf = vFlows.find((b) => b.key === flow);
      const df = dFlows.find((b) => b.key === flow);
      const classes = VERDICT_CLASSES.map((verdict): ClassRecord => {
        const vc = vf?.classes?.buckets.find((b) => b.key === verdict);
        const dc = df?.classes?.buckets.find((b) => b.key === verdict);
        const counts: Record<Outcome, number> = { agreed: 0, overruled: 0, excluded: 0 };
        for (const a of dc?.actions?.buckets ?? []) {
          for (const r of a.reasons?.buckets ?? []) counts[outcomeOf(verdict, a.key, r.key || undefined)] += r.doc_count;
        }
        const alerts = vc?.alerts?.value ?? 0;
        // Alerts without a decision are excluded too.
        const undecided = Math.max(0, alerts - (dc?.decided?.value ?? 0));
        return { verdict, alerts, agreed: counts.agreed, overruled: counts.overruled, excluded: counts.excluded + undecided, medianToVerdict: median(vc?.to_verdict), medianToDecision: median(dc?.to_decision) };
      });
      const sum = (k: 'alerts' | Outcome) => classes.reduce((n, c) => n + c[k], 0);
      const agreed = sum('agreed');
      const overruled = sum('overruled');
      const agreement = agreed + overruled > 0 ? agreed / (agreed + overruled) : null;
      return {
        flow,
        alerts: sum('alerts'),
        agreed,
        overruled,
        excluded: sum('excluded'),
        agreement,
        flagged: agreement !== null && agreement < opts.minAgreement,
        medianToVerdict: median(vf?.to_verdict),
        medianToDecision: median(df?.to_decision),
        classes,
      };
    });
    return { days, from: new Date(opts.now.getTime() - days * DAY_MS).toISOString(), flows };
  });
  return { at: opts.now.toISOString(), minAgreement: opts.minAgreement, windows };
}

export async function readTrackRecord(es: Client, indices: { verdicts: string; dispositions: string }, opts: { minAgreement: number; now?: Date }): Promise<TrackRecord> {
  const now = opts.now ?? new Date();
  const q = trackRecordQueries(now);
  // An index nobody wrote to yet is an empty record, not an error.
  const common = { ignore_unavailable: true, allow_no_indices: true, track_total_hits: false, request_cache: false } as const;
  const [v, d] = await Promise.all([
    es.search({ index: indices.verdicts, ...common, ...q.verdicts } as Parameters<Client['search']>[0]),
    es.search({ index: indices.dispositions, ...common, ...q.decisions } as Parameters<Client['search']>[0]),
  ]);
  return assembleTrackRecord(v.aggregations, d.aggregations, { now, minAgreement: opts.minAgreement });
}
