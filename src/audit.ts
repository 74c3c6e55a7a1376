// The audit trail: every verdict and every human decision, written to Elasticsearch.
import type { Client } from '@elastic/elasticsearch';
import type { Verdict } from './verdict.js';
import { installOwnTemplates } from './evidence/elastic/templates.js';

export interface AuditIndices {
  verdicts: string;
  dispositions: string;
}

export interface Disposition {
  alertId: string;
  flow?: string;
  verdict?: string;
  score?: number | null;
  /** superseded: the alert was posted again with another body; what stood on the earlier report is kept here. */
  action: 'escalate' | 'dismiss' | 'rerun' | 'superseded';
  actor: string;
  reason?: string;
  note?: string;
  /** What happened, when a side effect failed ("escalated; Slack post failed: not_in_channel"). */
  outcome?: string;
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

  async verdict(v: Verdict, meta: { alertType: string; jobId?: string; attempt?: number }): Promise<void> {
    await this.prepare();
    await this.es.index({
      index: this.indices.verdicts,
      // One record per alert run: a retry rewrites it instead of adding a duplicate.
      ...(meta.jobId ? { id: meta.jobId } : {}),
      document: {
        '@timestamp': new Date().toISOString(),
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
      },
    });
  }

  async disposition(d: Disposition): Promise<void> {
    await this.prepare();
    await this.es.index({
      index: this.indices.dispositions,
      document: {
        '@timestamp': new Date().toISOString(),
        alert_id: d.alertId,
        flow: d.flow ?? null,
        verdict: d.verdict ?? null,
        score: d.score ?? null,
        action: d.action,
        actor: d.actor,
        reason: d.reason ?? null,
        note: d.note ?? null,
        outcome: d.outcome ?? null,
      },
    });
  }
}
