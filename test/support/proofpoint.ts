// Proofpoint TAP click fixtures (test/fixtures/proofpoint_tap/, in the shape of Elastic's proofpoint_tap package).
import { fixtureText } from './fixtures.js';

export type Doc = Record<string, unknown>;

function lines(name: string): Doc[] {
  return fixtureText(`proofpoint_tap/${name}`)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Doc);
}

export const permittedClicks = (): Doc[] => lines('clicks_permitted.ndjson');
export const blockedClicks = (): Doc[] => lines('clicks_blocked.ndjson');
export const proofpointClicks = (): Doc[] => [...permittedClicks(), ...blockedClicks()];

/** The e-mail's URL as written in the message, and as the pipeline stores it (url.full, URL-decoded). */
export const PHISH_URL = 'https://login.evil-bank.co.uk/verify?u=bob%40example.com&lang=en+GB';
export const PHISH_URL_STORED = 'https://login.evil-bank.co.uk/verify?u=bob@example.com&lang=en GB';
export const BLOCKED_URL = 'https://malware-drop.example.net/payload.zip';
export const LEGACY_URL = 'http://legacy-phish.example.net/a';
export const DELIVERED = '2026-10-01T08:00:00Z';

/** Fleet writes data_stream.namespace: tests keep their documents in a namespace of their own. */
export function inNamespace(doc: Doc, namespace: string): Doc {
  const ds = doc['data_stream'];
  return ds && typeof ds === 'object' ? { ...doc, data_stream: { ...(ds as Doc), namespace } } : doc;
}

/** A click as the package's pipeline test outputs show it: no event.dataset, no data_stream. */
export function withoutDataset(doc: Doc): Doc {
  const { data_stream: _ds, event, ...rest } = doc;
  const { dataset: _d, ...ev } = event as Doc;
  return { ...rest, event: ev };
}

/** A copy of a click with other values (dotted paths into the nested document). */
export function clickWith(doc: Doc, changes: Record<string, unknown>): Doc {
  const copy = structuredClone(doc);
  for (const [path, value] of Object.entries(changes)) {
    const parts = path.split('.');
    let node = copy;
    for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Doc;
    if (value === undefined) delete node[parts.at(-1)!];
    else node[parts.at(-1)!] = value;
  }
  return copy;
}
