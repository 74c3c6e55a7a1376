// What the catch-up and the intake buffer show: lines of /triage status, and Prometheus samples for /metrics.
import type { IntakeBufferStats } from '../intake-buffer.js';
import type { CatchUp } from './catch-up.js';

/** A Slack ts as a readable UTC time (the checkpoint). */
const when = (ts: string | undefined) => (ts ? new Date(Number(ts.split('.')[0]) * 1000).toISOString().replace('.000Z', 'Z') : 'none yet');

/** mrkdwn lines for /triage status: channel ids and Slack's error codes only, nothing from messages. */
export function catchUpStatusLines(catchUp: CatchUp | undefined, buffer: IntakeBufferStats | undefined): string[] {
  const lines: string[] = [];
  const last = catchUp?.last;
  if (catchUp) {
    lines.push(last ? `*Catch-up* (last run ${last.finishedAt.replace(/\.\d+Z$/, 'Z')}, ${last.reason}):` : '*Catch-up:* no run yet');
    for (const c of last?.channels ?? []) {
      const found = `${c.scanned} scanned, ${c.queued} queued, ${c.alreadyClaimed} already claimed, ${c.malformed} malformed, ${c.errors} errors`;
      lines.push(`• <#${c.channel}> checkpoint ${when(c.checkpoint)}: ${found}${c.more ? ', more next run' : ''}${c.problem ? ` — :warning: \`${c.problem.slice(0, 60).replace(/[`<>&]/g, '')}\`` : ''}`);
    }
  }
  if (buffer) lines.push(`*Intake buffer* (Redis away): ${buffer.size} held of ${buffer.capacity}, ${buffer.dropped} dropped (found by the catch-up), ${buffer.recovered} recovered`);
  return lines;
}

const metric = (name: string, type: 'gauge' | 'counter', help: string, samples: string[]) => [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples];

export function catchUpMetricLines(catchUp: CatchUp | undefined, buffer: IntakeBufferStats | undefined): string[] {
  const lines: string[] = [];
  if (catchUp) {
    const t = catchUp.counters;
    const last = catchUp.last;
    lines.push(
      ...metric('triage_catchup_runs_total', 'counter', 'Catch-up runs over the alert channels.', [`triage_catchup_runs_total ${t.runs}`]),
      ...metric('triage_catchup_failed_runs_total', 'counter', 'Catch-up runs stopped by Redis or Slack being away (tried again with backoff).', [`triage_catchup_failed_runs_total ${t.failedRuns}`]),
      ...metric('triage_catchup_messages_total', 'counter', 'Messages the catch-up read, and what became of the alerts among them.', (['scanned', 'queued', 'alreadyClaimed', 'malformed', 'errors'] as const).map((k) => `triage_catchup_messages_total{outcome="${k === 'alreadyClaimed' ? 'already_claimed' : k}"} ${t[k]}`)),
    );
    if (last) {
      lines.push(
        ...metric('triage_catchup_last_run_timestamp_seconds', 'gauge', 'When the last catch-up run finished.', [`triage_catchup_last_run_timestamp_seconds ${Math.floor(Date.parse(last.finishedAt) / 1000)}`]),
        ...metric('triage_catchup_checkpoint_timestamp_seconds', 'gauge', 'Per alert channel: every message up to this time was handled.', last.channels.filter((c) => c.checkpoint).map((c) => `triage_catchup_checkpoint_timestamp_seconds{channel="${c.channel}"} ${c.checkpoint}`)),
        ...metric('triage_catchup_last_run_messages', 'gauge', 'Per alert channel, what the last run found.', last.channels.flatMap((c) => (['scanned', 'queued', 'alreadyClaimed', 'malformed', 'errors'] as const).map((k) => `triage_catchup_last_run_messages{channel="${c.channel}",outcome="${k === 'alreadyClaimed' ? 'already_claimed' : k}"} ${c[k]}`))),
      );
    }
  }
  if (buffer) {
    lines.push(
      ...metric('triage_intake_buffer_messages', 'gauge', 'Alert messages held in memory while Redis is away.', [`triage_intake_buffer_messages ${buffer.size}`]),
      ...metric('triage_intake_buffer_capacity', 'gauge', 'The most alert messages the buffer holds (INTAKE_BUFFER_SIZE).', [`triage_intake_buffer_capacity ${buffer.capacity}`]),
      ...metric('triage_intake_buffer_dropped_total', 'counter', 'Alert messages dropped from the full buffer (the catch-up finds them).', [`triage_intake_buffer_dropped_total ${buffer.dropped}`]),
      ...metric('triage_intake_buffer_recovered_total', 'counter', 'Held alert messages handled once Redis answered.', [`triage_intake_buffer_recovered_total ${buffer.recovered}`]),
    );
  }
  return lines;
}
