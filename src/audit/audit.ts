// The audit trail: every verdict and every human decision, written to Elasticsearch.
import type { Client } from '@elastic/elasticsearch';
import type { Verdict } from '../flows/verdict.js';
import { installOwnTemplates } from '../evidence/elastic/own-templates.js';
import type { Suppression } from '../suppress/store.js';
import { readTrackRecord, type TrackRecord } from './track-record.js';

export interface AuditIndices {
  verdicts: string;
  dispositions: string;
}

export interface Disposition {
  alertId: string;
  flow?: string;
  verdict?: string;
  score?: number | null;
  /**
   * superseded: the alert was posted again with another body; what stood on the earlier report is kept here.
   * repost_refused: a person posted an integration's alert id with another body; nothing changed (actor: that person).
   * suppress / lift_suppression: similar alerts suppressed with a dismissal, or the suppression lifted.
   */
  action: 'escalate' | 'dismiss' | 'rerun' | 'superseded' | 'repost_refused' | 'suppress' | 'lift_suppression';
  actor: string;
  reason?: string;
  note?: string;
  /** What happened, when a side effect failed ("escalated; Slack post failed: not_in_channel"). */
  outcome?: string;
  /** When the alert arrived and when the decision was taken (escalate, dismiss): the track record's time to decision. */
  arrivedAt?: string;
  decidedAt?: string;
  /** The suppression created or lifted. */
  suppression?: Suppression;
  /** How long it was created for. */
  days?: number;
}

/** One step of a containment (issue 20): who did what to which target, and what the service answered. */
export interface ContainmentAuditEvent {
  step: 'request' | 'approve' | 'refuse' | 'expire' | 'call' | 'answer' | 'undo' | 'undo_answer' | 'denied';
  actor: string;
  alertId?: string;
  requestId?: string;
  /** The action (okta_clear_sessions, aws_revoke_role_sessions, cyren_resolve_case). */
  kind?: string;
  /** The target as planned from the evidence (a user id, a role ARN, a case id). */
  target?: string;
  mode?: string;
  /** The service's answer, or why the step was refused, in words. */
  outcome?: string;
  at: string;
}

export interface VerdictMeta {
  alertType: string;
  jobId?: string;
  attempt?: number;
  /** When the alert arrived; the time to verdict is recorded for the run that answers the arrival only. */
  arrivedAt?: string;
  answersArrival?: boolean;
  /** When the verdict was reached (default: when it is written). */
  reachedAt?: string;
  /** The suppression of similar alerts in force for this verdict. */
  suppression?: Suppression;
}

/** Seconds from `from` to `to` (ISO times), or null when either is missing or unreadable. */
function secondsBetween(from: string | undefined, to: string): number | null {
  const a = from ? Date.parse(from) : Number.NaN;
  const b = Date.parse(to);
  return Number.isFinite(a) && Number.isFinite(b) ? Math.max(0, (b - a) / 1000) : null;
}

export class Audit {
  private ready: Promise<unknown> | undefined;

  constructor(
    private readonly es: Client,
    private readonly indices: AuditIndices,
  ) {}

  /** Our templates before the first write (once per process; retried after a failure). */
  private prepare(): Promise<unknown> {
    this.ready ??= installOwnTemplates(this.es, { verdicts: this.indices.verdicts, dispositions: this.indices.dispositions }).catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  async verdict(v: Verdict, meta: VerdictMeta): Promise<void> {
    await this.prepare();
    const at = new Date().toISOString();
    const s = meta.suppression;
    await this.es.index({
      index: this.indices.verdicts,
      // One record per alert run: a retry rewrites it instead of adding a duplicate.
      ...(meta.jobId ? { id: meta.jobId } : {}),
      document: {
        '@timestamp': at,
        alert_id: v.alert_id,
        alert_type: meta.alertType,
        flow: v.flow,
        verdict: v.verdict,
        score: v.score,
        summary: v.summary,
        path: v.path,
        facts: v.facts,
        job_id: meta.jobId ?? null,
        attempt: meta.attempt ?? null,
        arrived_at: meta.arrivedAt ?? null,
        seconds_to_verdict: meta.answersArrival ? secondsBetween(meta.arrivedAt, meta.reachedAt ?? at) : null,
        suppressed_by: s ? { id: s.id, by: s.by, until: s.until, kind: s.kind } : null,
      },
    });
  }

  async disposition(d: Disposition): Promise<void> {
    await this.prepare();
    const at = new Date().toISOString();
    const s = d.suppression;
    await this.es.index({
      index: this.indices.dispositions,
      document: {
        '@timestamp': at,
        alert_id: d.alertId,
        flow: d.flow ?? null,
        verdict: d.verdict ?? null,
        score: d.score ?? null,
        action: d.action,
        actor: d.actor,
        reason: d.reason ?? null,
        note: d.note ?? null,
        outcome: d.outcome ?? null,
        arrived_at: d.arrivedAt ?? null,
        seconds_to_decision: d.action === 'escalate' || d.action === 'dismiss' ? secondsBetween(d.arrivedAt, d.decidedAt ?? at) : null,
        suppression: s ? { id: s.id, kind: s.kind, parts: s.parts, by: s.by, until: s.until, created_at: s.createdAt, ...(d.days ? { days: d.days } : {}) } : null,
      },
    });
  }

  /** Containment steps go to the dispositions index as `containment_<step>` records (not counted by the track record). */
  async containment(e: ContainmentAuditEvent): Promise<void> {
    await this.prepare();
    await this.es.index({
      index: this.indices.dispositions,
      document: {
        '@timestamp': e.at,
        alert_id: e.alertId ?? null,
        action: `containment_${e.step}`,
        actor: e.actor,
        outcome: e.outcome ?? null,
        containment: { request_id: e.requestId ?? null, kind: e.kind ?? null, target: e.target ?? null, mode: e.mode ?? null },
      },
    });
  }

  /** The bot's track record from these indices (aggregations only). */
  async trackRecord(opts: { minAgreement: number; now?: Date }): Promise<TrackRecord> {
    return readTrackRecord(this.es, this.indices, opts);
  }
}
