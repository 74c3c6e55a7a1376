// Templates of the product's own indices (stored alerts, verdicts, dispositions): updated in place, never data streams.
import type { Client } from '@elastic/elasticsearch';
import { date, disabled, DYNAMIC_STRINGS_AS_KEYWORD, kw, props, type Mapping } from './mappings.js';

/** Index names for the product's own records (not data streams: they are updated in place). */
export const OWN_INDEX_MAPPINGS: Record<'alerts' | 'verdicts' | 'dispositions', Record<string, Mapping>> = {
  alerts: { id: kw, type: kw, time: date, '@timestamp': date },
  verdicts: {
    '@timestamp': date, alert_id: kw, alert_type: kw, flow: kw, verdict: kw, score: { type: 'integer' }, summary: { type: 'text' }, path: disabled, facts: disabled, job_id: kw, attempt: { type: 'integer' },
    // The track record: when the alert arrived, how long the verdict took, and a suppression in force.
    arrived_at: date, seconds_to_verdict: { type: 'double' }, 'suppressed_by.id': kw, 'suppressed_by.by': kw, 'suppressed_by.until': date,
  },
  dispositions: {
    '@timestamp': date, alert_id: kw, flow: kw, verdict: kw, score: { type: 'integer' }, action: kw, actor: kw, reason: kw, note: { type: 'text' }, outcome: { type: 'text' },
    arrived_at: date, seconds_to_decision: { type: 'double' }, 'suppression.id': kw, 'suppression.kind': kw, 'suppression.until': date, 'suppression.days': { type: 'integer' },
    // Containment (issue 20): which request, which action, on what, in which mode.
    'containment.request_id': kw, 'containment.kind': kw, 'containment.target': kw, 'containment.mode': kw,
  },
};

/**
 * Templates of the product's own indices (alerts, verdicts, dispositions). The audit installs them before its
 * first write, so a verdicts index is never mapped field by field from facts whose keys an attacker chose.
 */
export async function installOwnTemplates(es: Client, own: Partial<Record<keyof typeof OWN_INDEX_MAPPINGS, string>>): Promise<string[]> {
  const installed: string[] = [];
  for (const [kind, index] of Object.entries(own) as Array<[keyof typeof OWN_INDEX_MAPPINGS, string]>) {
    const name = `triage-own-${index}`;
    await es.indices.putIndexTemplate({
      name,
      index_patterns: [index],
      priority: 150,
      template: {
        settings: { number_of_replicas: 0 },
        // Audit records map nothing the template does not name (their facts' keys come from alerts and evidence):
        // unknown fields stay in _source, never indexed. Stored alerts keep dynamic keyword mapping for lookups.
        mappings:
          kind === 'alerts'
            ? { dynamic_templates: DYNAMIC_STRINGS_AS_KEYWORD, properties: props(OWN_INDEX_MAPPINGS[kind]) }
            : { dynamic: false, properties: props(OWN_INDEX_MAPPINGS[kind]) },
      },
      _meta: { managed_by: 'soc-triage-bot' },
    } as Parameters<Client['indices']['putIndexTemplate']>[0]);
    installed.push(name);
    // An audit index created before a field was added gets it too (adding fields to a mapping is allowed).
    if (kind !== 'alerts' && (await es.indices.exists({ index }))) {
      await es.indices.putMapping({ index, properties: props(OWN_INDEX_MAPPINGS[kind]) as never });
    }
  }
  return installed;
}
