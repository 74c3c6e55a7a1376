// In-memory evidence: the same ECS documents the Elasticsearch store holds, filtered in JS.
// For the demo and pure tests; test/contract keeps it in step with Elasticsearch.
import { datasetOf, expandDots, strings, timestamp, type EcsDocument } from '../documents.js';
import type { TimeWindow } from '../ports.js';
import { isKibanaAlert } from '../../alerts/kibana.js';

export class MemoryDocuments {
  private readonly byDataset = new Map<string, EcsDocument[]>();
  readonly alerts: unknown[] = [];

  constructor(docs: unknown[] = [], opts: { dataset?: string } = {}) {
    this.add(docs, opts);
  }

  /** As `triage ingest` routes them: by data_stream.dataset or event.dataset, else `dataset`; the rest are alerts. */
  add(docs: unknown[], opts: { dataset?: string } = {}): void {
    for (const raw of docs) {
      const doc = expandDots(raw) as EcsDocument;
      const dataset = datasetOf(doc) ?? opts.dataset;
      // An Elastic Security alert carries its source event's dataset: it is an alert all the same (as ingest routes it).
      if (!dataset || isKibanaAlert(doc)) {
        this.alerts.push(raw);
        continue;
      }
      const list = this.byDataset.get(dataset) ?? [];
      list.push(doc);
      this.byDataset.set(dataset, list);
    }
  }

  /** Documents of a dataset whose @timestamp lies in the window (inclusive, as a range query is). */
  inWindow(dataset: string, window: TimeWindow): EcsDocument[] {
    const from = window.from.getTime();
    const to = window.to.getTime();
    return (this.byDataset.get(dataset) ?? []).filter((d) => {
      const t = timestamp(d)?.getTime();
      return t !== undefined && t >= from && t <= to;
    });
  }

  datasets(prefix: string): string[] {
    return [...this.byDataset.keys()].filter((d) => d.startsWith(prefix));
  }
}

/** Distinct values ordered like a terms aggregation: count descending, then value. */
export function termsOrder(items: string[]): string[] {
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i, (counts.get(i) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([k]) => k);
}

export function allStrings(docs: EcsDocument[], path: string): string[] {
  return docs.flatMap((d) => strings(d, path));
}
