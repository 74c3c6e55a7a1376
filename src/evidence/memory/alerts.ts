import { expandDots, isObject } from '../../alerts/json.js';
import { getPath } from '../../alerts/fields.js';
import { alertDocumentId } from '../../alerts/documents.js';
import type { AlertLookup } from '../ports.js';
import type { MemoryDocuments } from './store.js';

const ALL_TIME = { from: new Date(-8.64e15), to: new Date(8.64e15) };

/** The id an ingested alert document is stored under (ingest keys alert documents by their alert id). */
function alertIdOf(doc: unknown): string | undefined {
  try {
    return alertDocumentId(doc);
  } catch {
    return undefined;
  }
}

/** The in-memory twin of ElasticAlertLookup: alert documents by id, GuardDuty findings by finding id (latest update). */
export class MemoryAlertLookup implements AlertLookup {
  constructor(private readonly docs: MemoryDocuments) {}

  async findAlert(id: string): Promise<unknown | undefined> {
    // Kibana writes kibana.alert.uuid as a dotted key: read it as Elasticsearch does.
    const stored = this.docs.alerts.find((a) => isObject(a) && (getPath(a, 'id') === id || getPath(expandDots(a), 'kibana.alert.uuid') === id || alertIdOf(a) === id));
    if (stored !== undefined) return stored;
    const findings = this.docs.inWindow('aws.guardduty', ALL_TIME).filter((d) => (getPath(d, 'aws.guardduty.id') ?? getPath(d, 'event.id')) === id);
    const at = (d: unknown) => Date.parse(String(getPath(d, '@timestamp')));
    return findings.sort((a, b) => at(b) - at(a))[0];
  }
}
