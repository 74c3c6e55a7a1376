// Small modules (house rules): no file in src/ over 300 lines and no function over 80, unless a reason is
// written beside it — in the file's opening comment ("over 300 lines") or the function's ("over 80 lines").
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 80;

/** Files over the limit that are being split elsewhere (none: edr.ts gave its proxy evidence to proxy.ts). */
const FILES_BEING_SPLIT = new Set<string>([]);

function tsFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFilesUnder(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

const lineOf = (sf: ts.SourceFile, pos: number) => sf.getLineAndCharacterOfPosition(pos).line;

/** The comments written just before a node (or before the statement that holds it: `export const f = () => …`). */
function leadingComments(sf: ts.SourceFile, node: ts.Node): string {
  let holder: ts.Node = node;
  while (holder.parent && !ts.isSourceFile(holder.parent) && !ts.isClassLike(holder.parent) && !ts.isBlock(holder.parent)) holder = holder.parent;
  return [node, holder].flatMap((n) => ts.getLeadingCommentRanges(sf.text, n.getFullStart()) ?? []).map((r) => sf.text.slice(r.pos, r.end)).join('\n');
}

/** Files over the limit, and functions over the limit, that carry no reason. */
function oversized(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const lines = text.split('\n').length;
  const opening = (ts.getLeadingCommentRanges(text, 0) ?? []).map((r) => text.slice(r.pos, r.end)).join('\n');
  if (lines > MAX_FILE_LINES && !FILES_BEING_SPLIT.has(file) && !/over 300 lines/i.test(opening)) found.push(`${file}: ${lines} lines`);
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const length = lineOf(sf, node.end) - lineOf(sf, node.getStart(sf)) + 1;
      const name = node.name?.getText(sf) ?? (ts.isVariableDeclaration(node.parent) ? node.parent.name.getText(sf) : '(anonymous)');
      if (length > MAX_FUNCTION_LINES && !/over 80 lines/i.test(leadingComments(sf, node))) found.push(`${file}: ${name}, ${length} lines`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe('the size rule itself', () => {
  const body = (n: number) => Array.from({ length: n }, (_, i) => `  const v${i} = ${i};`).join('\n');

  it('finds a long function, an arrow function included, and names it', () => {
    const text = `export function big() {\n${body(85)}\n}\nexport const arrow = () => {\n${body(85)}\n};\nfunction small() {\n${body(5)}\n}\n`;
    expect(oversized('src/x.ts', text)).toEqual(['src/x.ts: big, 87 lines', 'src/x.ts: arrow, 87 lines']);
  });

  it('accepts a long function with its reason written beside it', () => {
    expect(oversized('src/x.ts', `/** Draws it all. Long (over 80 lines) on purpose: one layout. */\nexport function big() {\n${body(85)}\n}\n`)).toEqual([]);
  });

  it('finds a long file, unless its opening comment says why', () => {
    const long = Array.from({ length: 310 }, (_, i) => `export const c${i} = ${i};`).join('\n');
    expect(oversized('src/y.ts', long)).toEqual(['src/y.ts: 310 lines']);
    expect(oversized('src/y.ts', `// One table, kept whole: over 300 lines on purpose.\n${long}`)).toEqual([]);
  });
});

describe('the tree', () => {
  it('has no file over 300 lines and no function over 80 without a reason beside it', () => {
    const files = tsFilesUnder(join(root, 'src'));
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap((abs) => oversized(relative(root, abs), readFileSync(abs, 'utf8')))).toEqual([]);
  });
});
