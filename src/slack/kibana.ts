// Links to Kibana Discover for the search a decision step rests on (KIBANA_URL): the index pattern's data view, the
// query in KQL and the time window, built from the step's structured query (flows/verdict-core.ts, StepQuery) —
// never from text. Values are KQL-quoted, the app state rison-encoded, the whole URL-encoded; a link that would be
// longer than MAX_LINK_LENGTH is left out rather than cut (a cut query would show other evidence than the step's).
import type { Config } from '../config.js';
import type { EvidenceIndices } from '../evidence/indices.js';
import type { EvidenceKind, FieldMatch, StepQuery } from '../flows/verdict-core.js';

export interface KibanaSettings {
  /** Kibana's base URL (with its base path or space, e.g. https://kibana.example.com/s/soc), checked at start. */
  url: string;
  /** Where each kind of evidence lives: the index patterns of the configuration. */
  indices: Pick<EvidenceIndices, EvidenceKind>;
}

/** Longer links are left out: Slack and browsers cope, but a step's link past this is no longer a link people read. */
export const MAX_LINK_LENGTH = 2000;

/** ECS field names as our flows write them; anything else is refused, never escaped into KQL syntax. */
const FIELD = /^[A-Za-z_@][A-Za-z0-9_.@-]{0,199}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** A KQL quoted string: inside quotes only `\` and `"` are special, and both are escaped. */
export const kqlQuote = (value: string): string => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** `field:"v"` or `field:("a" or "b")`; undefined for a field name we would not write or no value. */
function fieldKql({ field, values }: FieldMatch): string | undefined {
  if (!FIELD.test(field) || values.length === 0) return undefined;
  const quoted = values.map(kqlQuote);
  return quoted.length === 1 ? `${field}:${quoted[0]}` : `${field}:(${quoted.join(' or ')})`;
}

/** Each condition in KQL (an `any` as `(a or b)`), joined by `and`; undefined when there is nothing to match. */
export function kqlOf(q: StepQuery): string | undefined {
  if (q.match.length === 0) return undefined;
  const parts: string[] = [];
  for (const m of q.match) {
    const each = 'any' in m ? m.any.map(fieldKql) : [fieldKql(m)];
    if (each.length === 0 || each.some((p) => p === undefined)) return undefined;
    parts.push(each.length === 1 ? each[0]! : `(${each.join(' or ')})`);
  }
  return parts.join(' and ');
}

/** A rison string, always quoted: `!` becomes `!!` and `'` becomes `!'`. */
export const risonString = (s: string): string => `'${s.replace(/!/g, '!!').replace(/'/g, "!'")}'`;

/** Discover with the step's data view (the index pattern is its id), query and window; undefined when no true link fits. */
export function discoverUrl(settings: KibanaSettings, q: StepQuery): string | undefined {
  const index = settings.indices[q.evidence];
  const query = kqlOf(q);
  if (!index || !query || !ISO.test(q.from) || !ISO.test(q.to)) return undefined;
  const g = `(time:(from:${risonString(q.from)},to:${risonString(q.to)}))`;
  const a = `(dataSource:(dataViewId:${risonString(index)},type:dataView),query:(language:kuery,query:${risonString(query)}))`;
  let url: string;
  try {
    url = `${settings.url.replace(/\/+$/, '')}/app/discover#/?_g=${encodeURIComponent(g)}&_a=${encodeURIComponent(a)}`;
  } catch {
    return undefined; // a lone surrogate cannot be URL-encoded: no link rather than a wrong one
  }
  return url.length <= MAX_LINK_LENGTH ? url : undefined;
}

/** The links' settings from the configuration; undefined (no links) without KIBANA_URL. */
export function kibanaFromConfig(cfg: Pick<Config, 'KIBANA_URL'>, indices: EvidenceIndices): KibanaSettings | undefined {
  return cfg.KIBANA_URL ? { url: cfg.KIBANA_URL, indices } : undefined;
}
