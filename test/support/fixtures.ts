// Fixtures in vendors' real shapes (test/fixtures/<source>/, each folder's README names what it follows).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export function fixturePath(name: string): string {
  return `${FIXTURES}${name}`;
}

export function fixtureText(name: string): string {
  return readFileSync(fixturePath(name), 'utf8');
}

export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}

/** {"a": {"b": 1}} → {"a.b": 1}: the same document as a pipeline that writes dotted keys stores it (lists kept). */
export function dotted(value: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [key, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length > 0) dotted(v as Record<string, unknown>, path, out);
    else out[path] = v;
  }
  return out;
}
