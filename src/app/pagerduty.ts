// PagerDuty Events API v2: one trigger per escalated alert (dedup key = alert id).
export interface PagerDutyTrigger {
  routingKey: string;
  baseUrl: string;
  dedupKey: string;
  summary: string;
  severity: 'critical' | 'error' | 'warning' | 'info';
  source: string;
  link?: string;
  details: Record<string, unknown>;
}

export async function triggerPagerDuty(t: PagerDutyTrigger, fetchImpl: typeof fetch = fetch): Promise<void> {
  const res = await fetchImpl(`${t.baseUrl.replace(/\/$/, '')}/v2/enqueue`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      routing_key: t.routingKey,
      event_action: 'trigger',
      dedup_key: t.dedupKey,
      payload: { summary: t.summary.slice(0, 1024), severity: t.severity, source: t.source, custom_details: t.details },
      ...(t.link ? { links: [{ href: t.link, text: 'Slack thread' }] } : {}),
    }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`PagerDuty answered HTTP ${res.status}`);
}
