// The worker's /metrics (on WORKER_PORT, beside /healthz and /readyz): what became of the evidence pictures —
// posted, nothing to draw, skipped for a full backlog, not drawn (timed out, renderer lost, failed), not
// posted — and the renderer processes. Verdicts and queue counts are the app's /metrics.
import type { MetricsSource } from '../ops/http.js';
import type { PicturePool } from '../pictures/pool.js';
import type { PictureLane } from '../slack/picture-upload.js';

export function pictureMetricLines(lane: PictureLane, pool: PicturePool): string[] {
  const c = lane.counts;
  const outcomes: Array<[string, number]> = [
    ['posted', c.posted],
    ['nothing_to_draw', c.nothing],
    ['skipped_backlog_full', c.skipped_backlog],
    ...Object.entries(c.not_drawn).map(([failure, n]): [string, number] => [`not_drawn_${failure}`, n]),
    ['not_posted', c.not_posted],
  ];
  const { queued, rendering } = pool.load;
  return [
    '# HELP triage_pictures_total Evidence pictures after verdicts, by what became of them.',
    '# TYPE triage_pictures_total counter',
    ...outcomes.map(([outcome, n]) => `triage_pictures_total{outcome="${outcome}"} ${n}`),
    '# HELP triage_picture_renderers_started_total Renderer processes started (the first, and each replacing one lost, killed or too large).',
    '# TYPE triage_picture_renderers_started_total counter',
    `triage_picture_renderers_started_total ${pool.counts.renderers_started}`,
    '# HELP triage_pictures_waiting Pictures waiting for a renderer, and being rendered.',
    '# TYPE triage_pictures_waiting gauge',
    `triage_pictures_waiting{state="queued"} ${queued}`,
    `triage_pictures_waiting{state="rendering"} ${rendering}`,
  ];
}

export function workerMetrics(pictures: { lane: PictureLane; pool: PicturePool }): MetricsSource {
  return { render: async () => `${pictureMetricLines(pictures.lane, pictures.pool).join('\n')}\n` };
}
