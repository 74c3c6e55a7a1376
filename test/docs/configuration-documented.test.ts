// Every environment variable the code reads is documented in docs/configuration.md: a newcomer configures
// from that page, so a setting missing there is a setting nobody finds. Checked both from the schema's
// keys (SETTING_NAMES) and from src/config.ts's text, so a setting read outside the schema is caught too.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SETTING_NAMES } from '../../src/config.js';

const ROOT = new URL('../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, ROOT), 'utf8');

const docs = read('docs/configuration.md');
const configSource = read('src/config.ts');

/** Names documented as settings: backticked upper-case names in the first column of the table. */
function documentedSettings(markdown: string): Set<string> {
  const rows = markdown.split('\n').filter((l) => l.startsWith('| `'));
  return new Set(rows.flatMap((l) => [...(l.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!)));
}

/** Names src/config.ts reads: schema keys (`  NAME: z…`) and direct `env.NAME` / `env['NAME']` reads. */
function namesReadInConfig(source: string): Set<string> {
  const keys = [...source.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
  const direct = [...source.matchAll(/env(?:\.|\[['"])([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]!);
  return new Set([...keys, ...direct]);
}

describe('docs/configuration.md', () => {
  const documented = documentedSettings(docs);

  it('documents every setting of the schema', () => {
    expect(SETTING_NAMES.length).toBeGreaterThan(40);
    expect(SETTING_NAMES.filter((n) => !documented.has(n))).toEqual([]);
  });

  it('documents every variable name src/config.ts reads', () => {
    const read = namesReadInConfig(configSource);
    expect(read.size).toBeGreaterThanOrEqual(SETTING_NAMES.length);
    expect([...read].filter((n) => !documented.has(n))).toEqual([]);
  });

  it('documents no setting the code does not read (a stale row misleads)', () => {
    expect([...documented].filter((n) => !SETTING_NAMES.includes(n))).toEqual([]);
  });

  it('is the page the README points to for configuration, and the README keeps no table of its own', () => {
    const readme = read('README.md');
    expect(readme).toContain('(docs/configuration.md)');
    expect(documentedSettings(readme).size).toBe(0);
    expect(readme.split('\n').length).toBeLessThanOrEqual(200);
  });
});
