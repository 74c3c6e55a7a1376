// The whole tree's layout rule (docs/layout.md): imports point inward only, through a declared order of layers,
// and no two folders and no two files import each other, directly or around a loop. The flows stay pure: they
// read evidence through the ports, never through an adapter or an I/O package.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fileCycles, folderCycles, outwardImports, readImportGraph, specifiersOf, unitOf, type ImportGraph, type Layers } from './import-graph.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** From the outside in. Units of one layer never import each other. */
const LAYERS: Layers = [
  ['app', 'worker', 'cli'], // the processes: the Slack app, the worker, the triage command
  ['runtime'], // the composition root: settings → Elasticsearch, Okta, the engine
  ['ops'], // health and readiness read the queue and the track record
  ['slack'], // Slack's Web API: rendering, delivery, picture upload
  ['containment'], // acting on a verdict behind a second responder's approval: plan, state machine, adapters
  ['audit', 'pictures'],
  ['queue'], // jobs and the alert record
  ['suppress'],
  ['flows'], // the core: engine, verdict, one folder per flow
  ['evidence'], // ports and their adapters
  ['alerts', 'enrich', 'io', 'drawing'], // drawing: the pure SVG toolkit the flows' pictures draw with
  ['config', 'errors'],
];

const FLOW_MAY_NOT_IMPORT_FILES = ['src/evidence/elastic/', 'src/evidence/memory/', 'src/evidence/okta-api/', 'src/evidence/sources.ts'];
const IO_PACKAGES = ['@elastic/', '@okta/', '@slack/', 'ioredis', 'bullmq', 'node:'];

function flowsTouchingAdapters(graph: ImportGraph): string[] {
  const offending: string[] = [];
  for (const [file, { files, packages }] of graph) {
    if (unitOf(file) !== 'flows') continue;
    for (const target of files) if (FLOW_MAY_NOT_IMPORT_FILES.some((a) => target.startsWith(a))) offending.push(`${file} → ${target}`);
    for (const spec of packages) if (IO_PACKAGES.some((p) => spec.startsWith(p))) offending.push(`${file} → ${spec}`);
  }
  return offending;
}

/** A small tree in memory: file → the files it imports. */
const tiny = (edges: Record<string, string[]>, packages: Record<string, string[]> = {}): ImportGraph =>
  new Map(Object.entries(edges).map(([file, files]) => [file, { files, packages: packages[file] ?? [] }]));

describe('the rule itself', () => {
  const sound = {
    'src/app/main.ts': ['src/slack/render.ts', 'src/queue/state.ts'],
    'src/slack/render.ts': ['src/flows/verdict.ts'],
    'src/queue/state.ts': ['src/flows/verdict.ts'],
    'src/flows/verdict.ts': [],
  };

  it('passes a tree whose imports all point inward', () => {
    const graph = tiny(sound);
    expect(outwardImports(graph, LAYERS)).toEqual([]);
    expect(fileCycles(graph)).toEqual([]);
    expect(folderCycles(graph)).toEqual([]);
  });

  it('fails on an import pointing outward, and on one between two folders of a layer', () => {
    const graph = tiny({ ...sound, 'src/flows/verdict.ts': ['src/slack/render.ts'], 'src/worker/main.ts': ['src/app/main.ts'] });
    expect(outwardImports(graph, LAYERS)).toEqual([
      'src/flows/verdict.ts → src/slack/render.ts: flows may not import slack',
      'src/worker/main.ts → src/app/main.ts: worker may not import app',
    ]);
  });

  it('fails on a folder of no declared layer', () => {
    expect(outwardImports(tiny({ 'src/misc/x.ts': ['src/flows/verdict.ts'] }), LAYERS)).toEqual(['src/misc/x.ts: misc is in no declared layer']);
  });

  it('finds a cycle between folders, and one between files of a folder', () => {
    const graph = tiny({
      'src/queue/state.ts': ['src/suppress/store.ts'],
      'src/suppress/answer.ts': ['src/queue/state.ts'],
      'src/suppress/store.ts': [],
      'src/flows/aws/changes.ts': ['src/flows/aws/gather.ts'],
      'src/flows/aws/gather.ts': ['src/flows/aws/changes.ts'],
    });
    expect(folderCycles(graph)).toEqual([['queue', 'suppress']]);
    expect(fileCycles(graph)).toEqual([['src/flows/aws/changes.ts', 'src/flows/aws/gather.ts']]);
  });

  it('finds a cycle around a loop of three files', () => {
    expect(fileCycles(tiny({ 'src/a.ts': ['src/b.ts'], 'src/b.ts': ['src/c.ts'], 'src/c.ts': ['src/a.ts'] }))).toEqual([['src/a.ts', 'src/b.ts', 'src/c.ts']]);
  });

  it('keeps the flows off adapters and I/O packages', () => {
    const graph = tiny({ 'src/flows/engine.ts': ['src/evidence/elastic/edr.ts', 'src/evidence/ports.ts'], 'src/flows/okta/gather.ts': [] }, { 'src/flows/okta/gather.ts': ['ioredis'] });
    expect(flowsTouchingAdapters(graph)).toEqual(['src/flows/engine.ts → src/evidence/elastic/edr.ts', 'src/flows/okta/gather.ts → ioredis']);
  });

  it('reads static, re-exported, side-effect and dynamic imports', () => {
    const text = "import { a } from './a.js';\nimport type { B } from '../b.js';\nexport { c } from './c.js';\nimport './d.js';\nconst e = await import('./e.js');\n";
    expect(specifiersOf(text).sort()).toEqual(['../b.js', './a.js', './c.js', './d.js', './e.js']);
  });
});

describe('the tree', () => {
  const graph = readImportGraph(root);

  it('reads the whole of src/', () => {
    expect([...graph.keys()]).toEqual(expect.arrayContaining(['src/app/main.ts', 'src/worker/main.ts', 'src/flows/engine.ts', 'src/flows/aws/decide.ts', 'src/evidence/ports.ts']));
    expect(graph.get('src/flows/registry.ts')!.files).toContain('src/flows/aws/plugin.ts');
  });

  it('imports point inward only', () => expect(outwardImports(graph, LAYERS)).toEqual([]));
  it('no two folders import each other', () => expect(folderCycles(graph)).toEqual([]));
  it('no cycle between files', () => expect(fileCycles(graph)).toEqual([]));
  it('src/flows imports nothing from an adapter or an I/O package', () => expect(flowsTouchingAdapters(graph)).toEqual([]));
});
