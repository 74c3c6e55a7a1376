// The import graph of src/ and the layout rule checked on it: a declared order of layers, imports point only
// to a lower layer (or stay in their own folder), and no cycle between folders or between files.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** File (relative to the tree's root, e.g. `src/app/main.ts`) → the files and packages it imports. */
export type ImportGraph = Map<string, { files: string[]; packages: string[] }>;

const STATIC_IMPORT = /^\s*(?:import|export)\b[^'";]*?from\s+['"]([^'"]+)['"]/gm;
const BARE_IMPORT = /^\s*import\s+['"]([^'"]+)['"]/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

export function specifiersOf(text: string): string[] {
  return [...text.matchAll(STATIC_IMPORT), ...text.matchAll(BARE_IMPORT), ...text.matchAll(DYNAMIC_IMPORT)].map((m) => m[1]!);
}

function tsFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFilesUnder(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Reads every .ts file under root/src; relative imports resolve to .ts files (NodeNext writes them as .js). */
export function readImportGraph(root: string): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const abs of tsFilesUnder(join(root, 'src'))) {
    const files: string[] = [];
    const packages: string[] = [];
    for (const spec of specifiersOf(readFileSync(abs, 'utf8'))) {
      if (spec.startsWith('.')) files.push(relative(root, resolve(dirname(abs), spec)).replace(/\.js$/, '.ts'));
      else packages.push(spec);
    }
    graph.set(relative(root, abs), { files, packages });
  }
  return graph;
}

/** The layer unit of a file: its folder right under src/ (`src/app/listeners/x.ts` → `app`), or a root file's name (`src/config.ts` → `config`). */
export function unitOf(file: string): string {
  const parts = file.replace(/^src\//, '').split('/');
  return parts.length > 1 ? parts[0]! : parts[0]!.replace(/\.ts$/, '');
}

/** Layers from the outside in: a unit may import units of lower layers only, never one of its own layer or above. */
export type Layers = readonly (readonly string[])[];

export function outwardImports(graph: ImportGraph, layers: Layers): string[] {
  const layerOf = new Map(layers.flatMap((units, i) => units.map((u) => [u, i] as const)));
  const problems: string[] = [];
  for (const [file, { files }] of graph) {
    const from = unitOf(file);
    const fromLayer = layerOf.get(from);
    if (fromLayer === undefined) problems.push(`${file}: ${from} is in no declared layer`);
    for (const target of files) {
      const to = unitOf(target);
      if (to === from) continue;
      const toLayer = layerOf.get(to);
      if (toLayer === undefined) problems.push(`${file} → ${target}: ${to} is in no declared layer`);
      else if (fromLayer !== undefined && toLayer <= fromLayer) problems.push(`${file} → ${target}: ${from} may not import ${to}`);
    }
  }
  return problems;
}

/** Strongly connected components with more than one member (Tarjan): each is a cycle. */
export function cycles(edges: Map<string, Set<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || edges.get(v)?.has(v)) found.push(component.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

export function fileCycles(graph: ImportGraph): string[][] {
  return cycles(new Map([...graph].map(([file, { files }]) => [file, new Set(files)])));
}

export function folderCycles(graph: ImportGraph): string[][] {
  const edges = new Map<string, Set<string>>();
  for (const [file, { files }] of graph) {
    const from = unitOf(file);
    const out = edges.get(from) ?? new Set<string>();
    for (const target of files) if (unitOf(target) !== from) out.add(unitOf(target));
    edges.set(from, out);
  }
  return cycles(edges);
}
