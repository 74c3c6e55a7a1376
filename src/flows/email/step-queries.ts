// The search each e-mail step rests on, for the evidence links (StepQuery: neutral field → values and a window).
// Close to what the Elasticsearch adapter asks, in terms a person can open: the exact indicators on the fields
// the adapter reads (a command line that merely contains a file name has no exact form, so it is left out).
import { HASH_LENGTHS } from '../../alerts/email-fields.js';
import type { EmailAlert } from '../../alerts/types.js';
import { DOMAIN_FIELDS } from '../../evidence/domains.js';
import { urlSpellings } from '../../enrich/url.js';
import { anyField, stepQuery, withStepQuery } from '../step-query.js';
import type { FieldMatch, FlowVerdict, StepQuery } from '../verdict-core.js';
import type { EmailEvidence } from './gather.js';

/** Each hash on the field of its algorithm (by length), as the adapter asks; hashes of no known length are left out. */
function hashMatches(prefix: 'process.hash' | 'file.hash', hashes: string[]): FieldMatch[] {
  const byField = new Map<string, string[]>();
  for (const h of hashes) {
    const algo = HASH_LENGTHS[h.length];
    if (algo) byField.set(`${prefix}.${algo}`, [...(byField.get(`${prefix}.${algo}`) ?? []), h]);
  }
  return [...byField].map(([field, values]) => ({ field, values }));
}

/** The step → its search. Steps on no single search (M0, M6, M7) have none. */
export function emailStepQueries(alert: EmailAlert, ev: EmailEvidence): Record<string, StepQuery> {
  // The spellings the proxy search asks for (gather.ts).
  const spellings = [...new Set(ev.urls.flatMap((u) => urlSpellings(u.url)))];
  const registered = DOMAIN_FIELDS.map((f) => f.registered);
  const indicators = (names: string, prefix: 'process.hash' | 'file.hash') => ({ any: [{ field: names, values: alert.fileNames }, ...hashMatches(prefix, alert.hashes)] });
  const out: Record<string, StepQuery> = {
    M1: stepQuery('edrProcess', [indicators('process.name', 'process.hash')], ev.after),
    M2: stepQuery('proxy', [anyField(['url.full', 'url.original'], spellings)], ev.after),
    M3: stepQuery('edrNetwork', [anyField(registered, ev.domains)], ev.after),
    M4: stepQuery('edrFile', [indicators('file.name', 'file.hash')], ev.after),
    // Popularity: who reached the domains in the 30 days before the e-mail.
    M5: stepQuery('edrNetwork', [anyField(registered, ev.domains)], ev.prior),
    M5b: stepQuery('edrNetwork', [anyField(registered, ev.domains)], ev.prior),
  };
  return Object.fromEntries(Object.entries(out).filter(([, q]) => q.match.length > 0));
}

/** The verdict with each step's search attached. */
export function withEmailStepQueries<F extends string, Facts>(verdict: FlowVerdict<F, Facts>, queries: Record<string, StepQuery>): FlowVerdict<F, Facts> {
  return Object.entries(queries).reduce((v, [step, q]) => withStepQuery(v, q, (s) => s === step), verdict);
}
