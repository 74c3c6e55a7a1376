// Bulk-loads ECS documents (NDJSON, or a JSON document or array as Elastic's packages publish samples) into
// logs-<dataset>-<namespace>, document by document with per-line errors. Each line goes to
// Elasticsearch as it was written (numbers beyond what JavaScript holds exactly keep their digits); fields
// the loader adds are appended as dotted keys.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Client } from '@elastic/elasticsearch';
import { isObject } from '../../alerts/json.js';
import { alertDocumentId } from '../../alerts/documents.js';
import { isKibanaAlert } from '../../alerts/kibana.js';
import { DOMAIN_FIELDS } from '../domains.js';
import { datasetOf, expandDots, firstString, timestamp } from '../documents.js';
import { documentsIn } from './documents-in-file.js';
import { fieldCount, MAX_FIELDS_PER_DOCUMENT } from './field-budget.js';
import { naturalId } from './natural-id.js';
import { registrableDomain } from '../../enrich/url.js';

export const DATASET_NAME = /^[a-z0-9][a-z0-9_.]{0,99}$/;
/** As DATA_NAMESPACE: data stream names are logs-<dataset>-<namespace>, so no "-" in either. */
const NAMESPACE_NAME = /^[a-z0-9_]{1,100}$/;
/** One document per line, capped like an alert: a longer line is reported and skipped, never buffered whole. */
export const MAX_LINE_BYTES = 1024 * 1024;
const BATCH = 500;

export interface LineError {
  file: string;
  line: number;
  reason: string;
}

export interface IngestReport {
  indexed: number;
  /** Documents already stored under their natural id (a second load of the same file): not an error. */
  duplicates: number;
  rejected: LineError[];
  /** Documents per target index or data stream. */
  targets: Record<string, number>;
}

export interface IngestOptions {
  /** The namespace of documents that name none in data_stream.namespace (DATA_NAMESPACE). */
  namespace: string;
  /** Where alert documents (no dataset at all) go. */
  alertsIndex: string;
  /**
   * Which documents without a dataset are alerts, and their id (undefined: not an alert; throws when malformed).
   * `triage ingest` passes the flows' recognition (only alerts a flow would investigate); by default any
   * document of an alert shape, by its shape's id.
   */
  alertIdOf?: (doc: unknown) => string | undefined;
  /**
   * The dataset of documents that name none in data_stream.dataset or event.dataset (Elastic's
   * pipeline-test outputs carry neither). When set, such documents are evidence, never alerts.
   */
  dataset?: string;
  /** Told every so often how far the loader has read (documents seen, bytes of all files read so far). */
  onProgress?: (p: IngestProgress) => void;
}

export interface IngestProgress {
  documents: number;
  bytesRead: number;
}

/** How often (in documents) onProgress hears of the work: often enough for a terminal, cheap for a million. */
const PROGRESS_EVERY = 200;

/** The chunks of a stream as they are, each counted on its way through. */
async function* counted(source: AsyncIterable<Buffer | Uint8Array | string>, add: (bytes: number) => void): AsyncGenerator<Buffer | Uint8Array | string> {
  for await (const chunk of source) {
    add(typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length);
    yield chunk;
  }
}

/** A field the loader adds to a document, and its value. */
export type Addition = [field: string, value: string];

interface Pending {
  file: string;
  line: number;
  index: string;
  id?: string;
  /** The document's JSON text as Elasticsearch receives it. */
  source: string;
}

export interface Routed {
  index: string;
  id?: string;
  /** The document with the additions applied (as the in-memory store holds it). */
  doc: Record<string, unknown>;
  additions: Addition[];
}

/** Where a document goes, or why it cannot go anywhere. */
export function routeDocument(raw: unknown, opts: IngestOptions): Routed | { error: string } {
  if (!isObject(raw)) return { error: 'not a JSON object' };
  const doc = expandDots(raw) as Record<string, unknown>;
  // An Elastic Security alert copies its source event's fields (event.dataset okta.system …): it is an alert, never evidence.
  if (isKibanaAlert(doc)) {
    const uuid = firstString(doc, 'kibana.alert.uuid');
    return { index: opts.alertsIndex, ...(uuid ? { id: uuid } : {}), doc: raw, additions: [] };
  }
  const named = datasetOf(doc);
  const dataset = named ?? opts.dataset;
  if (dataset === undefined) {
    // Alerts may be loaded too, so `investigate --id` can find them.
    try {
      const id = (opts.alertIdOf ?? alertDocumentId)(raw);
      if (id !== undefined) return { index: opts.alertsIndex, id, doc: raw, additions: [] };
    } catch (err) {
      return { error: `alert document is malformed: ${(err as Error).message}` };
    }
    return { error: 'no dataset: data_stream.dataset and event.dataset are missing (--dataset names it for documents that carry neither)' };
  }
  const from = named === undefined ? '--dataset' : firstString(doc, 'data_stream.dataset') !== undefined ? 'data_stream.dataset' : 'event.dataset';
  if (!DATASET_NAME.test(dataset)) return { error: `${from} "${dataset.slice(0, 60)}" is not a valid dataset name (lower-case letters, digits, "_" and ".")` };
  const ownNamespace = firstString(doc, 'data_stream.namespace');
  if (ownNamespace !== undefined && !NAMESPACE_NAME.test(ownNamespace)) return { error: `data_stream.namespace "${ownNamespace.slice(0, 60)}" is not a valid namespace (lower-case letters, digits and "_")` };
  if (timestamp(doc) === undefined) return { error: '@timestamp is missing or not a valid time' };
  const fields = fieldCount(doc);
  if (fields > MAX_FIELDS_PER_DOCUMENT) return { error: `more than ${MAX_FIELDS_PER_DOCUMENT} fields: not loaded (no integration writes so many; they would spend the index's field limit)` };
  const id = naturalId(dataset, doc);
  const additions = registeredDomainAdditions(doc);
  return {
    index: `logs-${dataset}-${ownNamespace ?? opts.namespace}`,
    ...(id ? { id } : {}),
    doc: additions.length ? withFields(raw, additions) : raw,
    additions,
  };
}

/**
 * The registrable domain (public-suffix aware, ICANN section: tldts) of each name a network event carries
 * without it (dns.question.name → dns.question.registered_domain …), as Elastic's pipelines add it:
 * domain searches then need term queries only, never a leading wildcard.
 */
export function registeredDomainAdditions(expanded: unknown): Addition[] {
  const out: Addition[] = [];
  for (const f of DOMAIN_FIELDS) {
    const name = firstString(expanded, f.name);
    if (name === undefined || firstString(expanded, f.registered) !== undefined) continue;
    const registered = registrableDomain(name.replace(/\.$/, ''));
    if (registered !== undefined) out.push([f.registered, registered]);
  }
  return out;
}

/** The document with the registered domains it lacks (see registeredDomainAdditions). */
export function withRegisteredDomains(raw: Record<string, unknown>, expanded: unknown): Record<string, unknown> {
  const additions = registeredDomainAdditions(expanded);
  return additions.length ? withFields(raw, additions) : raw;
}

function withFields(raw: Record<string, unknown>, additions: Addition[]): Record<string, unknown> {
  const out = { ...raw };
  for (const [field, value] of additions) setField(out, field, value);
  return out;
}

/**
 * A JSON object's text with fields added at its end as dotted keys (Elasticsearch, and expandDots, read "a.b"
 * into the object a): the rest of the text is left as written, so no number is rounded on its way through
 * JavaScript.
 */
export function withFieldsInText(text: string, additions: Addition[]): string {
  if (additions.length === 0) return text;
  const close = text.lastIndexOf('}');
  const before = text.slice(0, close);
  const fields = additions.map(([f, v]) => `${JSON.stringify(f)}:${JSON.stringify(v)}`).join(',');
  return `${before}${before.trimEnd().endsWith('{') ? '' : ','}${fields}${text.slice(close)}`;
}

/** Sets a dotted field, following the objects the document already has and writing the rest as a dotted key. */
function setField(doc: Record<string, unknown>, path: string, value: string): void {
  const parts = path.split('.');
  let node = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = node[parts[i]!];
    if (!isObject(next)) {
      node[parts.slice(i).join('.')] = value;
      return;
    }
    // Copy on the way down: the caller's objects stay as they were.
    const copy = { ...next };
    node[parts[i]!] = copy;
    node = copy;
  }
  node[parts.at(-1)!] = value;
}

export async function ingestFiles(es: Client, files: Array<{ name: string; stream?: Readable }>, opts: IngestOptions): Promise<IngestReport> {
  const report: IngestReport = { indexed: 0, duplicates: 0, rejected: [], targets: {} };
  let batch: Pending[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const current = batch;
    batch = [];
    await bulk(es, current, report);
  };
  const progress = { documents: 0, bytesRead: 0 };
  const tell = () => opts.onProgress?.({ ...progress });
  for (const file of files) {
    const input = counted(file.stream ?? createReadStream(file.name), (n) => (progress.bytesRead += n));
    for await (const read of documentsIn(input, MAX_LINE_BYTES)) {
      const n = read.line;
      const blank = 'text' in read && read.text.trim() === '';
      if (!blank && ++progress.documents % PROGRESS_EVERY === 0) tell();
      if ('problem' in read) {
        report.rejected.push({ file: file.name, line: n, reason: read.problem });
        continue;
      }
      if (read.text.trim() === '') continue;
      if (Buffer.byteLength(read.text) > MAX_LINE_BYTES) {
        report.rejected.push({ file: file.name, line: n, reason: `document longer than ${MAX_LINE_BYTES} bytes` });
        continue;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(read.text) as unknown;
      } catch (err) {
        report.rejected.push({ file: file.name, line: n, reason: `invalid JSON (${(err as Error).message.slice(0, 100)})` });
        continue;
      }
      const routed = routeDocument(parsed, opts);
      if ('error' in routed) {
        report.rejected.push({ file: file.name, line: n, reason: routed.error });
        continue;
      }
      batch.push({ file: file.name, line: n, index: routed.index, ...(routed.id ? { id: routed.id } : {}), source: withFieldsInText(read.text, routed.additions) });
      if (batch.length >= BATCH) await flush();
    }
  }
  await flush();
  tell();
  const targets = Object.keys(report.targets);
  if (targets.length > 0) await es.indices.refresh({ index: targets.join(','), ignore_unavailable: true });
  return report;
}

async function bulk(es: Client, batch: Pending[], report: IngestReport): Promise<void> {
  // op_type "create": the only one data streams accept, and it works on plain indices too.
  // The client writes a string operation as it is: each document's own text.
  const operations = batch.flatMap((p) => [{ create: { _index: p.index, ...(p.id ? { _id: p.id } : {}) } }, p.source]);
  const res = await es.bulk({ operations });
  res.items.forEach((item, i) => {
    const p = batch[i]!;
    const result = item.create;
    if (result && !result.error) {
      report.indexed++;
      report.targets[p.index] = (report.targets[p.index] ?? 0) + 1;
    } else if (result?.status === 409) {
      report.duplicates++;
      report.targets[p.index] = report.targets[p.index] ?? 0;
    } else {
      const reason = result?.error?.reason ?? result?.error?.type ?? 'rejected by Elasticsearch';
      report.rejected.push({ file: p.file, line: p.line, reason: String(reason).slice(0, 300) });
    }
  });
}
