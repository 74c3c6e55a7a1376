// The domain stays pure: the flows read evidence through the ports and domain modules only,
// never through an adapter (Elasticsearch, memory, the Okta API client, Slack, the queue, the CLI).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ADAPTER_FOLDERS = ['src/evidence/okta-api', 'src/evidence/elastic', 'src/evidence/memory', 'src/app', 'src/worker', 'src/slack', 'src/queue', 'src/audit', 'src/cli', 'src/ops'];
const ADAPTER_PACKAGES = ['@elastic/', '@okta/', '@slack/', 'ioredis', 'bullmq', 'node:'];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm), ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!);
}

describe('layout', () => {
  const flowFiles = filesUnder(join(root, 'src/flows'));

  it('finds the flow modules', () => {
    expect(flowFiles.map((f) => relative(root, f)).sort()).toEqual(expect.arrayContaining(['src/flows/aws/decide.ts', 'src/flows/okta/gather.ts', 'src/flows/email/decide.ts']));
  });

  it('src/flows imports nothing from an adapter folder or an I/O package', () => {
    const offending: string[] = [];
    for (const file of flowFiles) {
      for (const spec of importsOf(file)) {
        if (spec.startsWith('.')) {
          const target = relative(root, resolve(dirname(file), spec));
          if (ADAPTER_FOLDERS.some((folder) => target === folder || target.startsWith(`${folder}/`))) offending.push(`${relative(root, file)} → ${target}`);
        } else if (ADAPTER_PACKAGES.some((p) => spec.startsWith(p))) offending.push(`${relative(root, file)} → ${spec}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
