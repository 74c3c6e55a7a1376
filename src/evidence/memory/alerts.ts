import { isObject } from '../../alerts/json.js';
import type { AlertLookup } from '../ports.js';
import type { MemoryDocuments } from './store.js';

export class MemoryAlertLookup implements AlertLookup {
  constructor(private readonly docs: MemoryDocuments) {}

  async findAlert(id: string): Promise<unknown | undefined> {
    return this.docs.alerts.find((a) => isObject(a) && (a['id'] === id || a['uuid'] === id));
  }
}
