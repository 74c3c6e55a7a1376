// Flows are plug-ins (docs/adding-a-flow.md): a flow's id is written in its own folder and nowhere else in
// src/ — the registry imports the plug-ins, everything else reads the registry.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FLOW_PLUGINS } from '../../src/flows/registry.js';
import { FLOWS } from '../../src/flows/verdict.js';
import { ALERT_TYPES } from '../../src/alerts/types.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Files outside a flow's folder that still name a flow id, and why. This list may only SHRINK.
 */
const ALLOWED: Record<string, string[]> = {
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? sourceFiles(path) : e.name.endsWith('.ts') ? [path] : [];
  });
}

/** Each file of src/ (outside the flows' folders) → the flow ids its text names. */
export function flowIdsOutsideTheirFolders(files: Array<{ path: string; text: string }>, flowFolders: Record<string, string>): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const { path, text } of files) {
    const ids = Object.entries(flowFolders).filter(([id, folder]) => !path.startsWith(folder) && new RegExp(`\\b${id}\\b`).test(text)).map(([id]) => id);
    if (ids.length) found[path] = ids;
  }
  return found;
}

/** The folder of each flow: where its plugin.ts lives. */
function flowFolders(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const dir of readdirSync(join(root, 'src/flows'), { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    const plugin = join(root, 'src/flows', dir.name, 'plugin.ts');
    let text: string;
    try {
      text = readFileSync(plugin, 'utf8');
    } catch {
      continue;
    }
    for (const p of FLOW_PLUGINS) if (text.includes(`'${p.id}'`)) out[p.id] = `src/flows/${dir.name}/`;
  }
  return out;
}

describe('the rule itself', () => {
  it('finds a flow id written outside its folder, and not inside it', () => {
    const files = [
      { path: 'src/flows/aws/decide.ts', text: "flow: 'aws_instance_credentials'" },
      { path: 'src/slack/render.ts', text: "if (v.flow === 'aws_instance_credentials')" },
      { path: 'src/slack/other.ts', text: "'aws_instance_credentials_v2' is another word" },
    ];
    expect(flowIdsOutsideTheirFolders(files, { aws_instance_credentials: 'src/flows/aws/' })).toEqual({ 'src/slack/render.ts': ['aws_instance_credentials'] });
  });
});

describe('the flows are plug-ins', () => {
  it('every flow has a folder with a plugin.ts that declares its id', () => {
    expect(Object.keys(flowFolders()).sort()).toEqual([...FLOWS].sort());
  });

  it('the registry lists each flow once, and every alert type is claimed by exactly one flow', () => {
    expect(new Set(FLOWS).size).toBe(FLOWS.length);
    for (const type of ALERT_TYPES) expect(FLOW_PLUGINS.filter((p) => p.alertType === type).map((p) => p.id), type).toHaveLength(1);
  });

  it('no code outside a flow folder (and the allowlist, which may only shrink) names a flow id', () => {
    const files = sourceFiles(join(root, 'src')).map((abs) => ({ path: relative(root, abs).split('\\').join('/'), text: readFileSync(abs, 'utf8') }));
    const found = flowIdsOutsideTheirFolders(files, flowFolders());
    const beyondAllowlist = Object.entries(found).flatMap(([path, ids]) => ids.filter((id) => !ALLOWED[path]?.includes(id)).map((id) => `${path}: ${id}`));
    expect(beyondAllowlist).toEqual([]);
    // An allowlisted entry that no longer names its id must be removed: the list only shrinks.
    const stale = Object.entries(ALLOWED).flatMap(([path, ids]) => ids.filter((id) => !found[path]?.includes(id)).map((id) => `${path}: ${id}`));
    expect(stale).toEqual([]);
  });
});
