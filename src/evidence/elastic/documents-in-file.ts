// The documents of an evidence file: NDJSON (one per line), or one JSON text spread over lines as Elastic's
// integration packages publish their samples — a document (`sample_event.json`), an array of them, or a
// pipeline test's `{"expected": [...]}`. Each document comes as its own text, with the line it starts on.
import { boundedLines, type BoundedLine, type ByteSource } from '../../io/bounded.js';

/** A JSON text spread over lines is read whole up to this size; a larger one is read as NDJSON. */
export const MAX_JSON_FILE_CHARS = 64 * 1024 * 1024;

export type FileDocument = { line: number; text: string } | { line: number; problem: string };

/** Index just past the JSON value that starts at `i` (whitespace skipped before it), or -1. */
function valueEnd(text: string, i: number): number {
  let depth = 0;
  let inString = false;
  for (let j = i; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (inString) {
      if (c === 92 /* \ */) j++;
      else if (c === 34 /* " */) {
        inString = false;
        if (depth === 0) return j + 1;
      }
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      if (depth === 0) return j; // the end of a primitive inside an array or object
      depth--;
      if (depth === 0) return j + 1;
    } else if (depth === 0 && (c === 44 || c === 32 || c === 10 || c === 13 || c === 9)) return j;
  }
  return depth === 0 && !inString ? text.length : -1;
}

const skipSpace = (text: string, i: number) => {
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
};

/** The [start, end) spans of the elements of the array that starts at `open`. */
function elementSpans(text: string, open: number): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let i = skipSpace(text, open + 1);
  if (text[i] === ']') return spans;
  for (;;) {
    const end = valueEnd(text, i);
    if (end < 0) return spans;
    spans.push([i, end]);
    i = skipSpace(text, end);
    if (text[i] !== ',') return spans;
    i = skipSpace(text, i + 1);
  }
}

/** The spans of the documents a whole JSON text holds: its array's elements, `expected`'s, or itself. */
function documentSpans(text: string, parsed: unknown): Array<[number, number]> {
  const start = skipSpace(text, 0);
  if (Array.isArray(parsed)) return elementSpans(text, start);
  const expected = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)['expected'] : undefined;
  if (Array.isArray(expected)) {
    // Find the top-level "expected" member's array.
    let i = skipSpace(text, start + 1);
    while (i < text.length && text[i] === '"') {
      const keyEnd = valueEnd(text, i);
      const key = JSON.parse(text.slice(i, keyEnd)) as string;
      const valueStart = skipSpace(text, skipSpace(text, keyEnd) + 1);
      if (key === 'expected') return elementSpans(text, valueStart);
      i = skipSpace(text, valueEnd(text, valueStart));
      if (text[i] === ',') i = skipSpace(text, i + 1);
    }
  }
  return [[start, valueEnd(text, start)]];
}

/**
 * The documents of a file. A file whose first line is a JSON value is NDJSON, read line by line (memory stays
 * within a line's bound). One whose first line is not, but whose whole text is JSON, is a document file.
 * Anything else is reported line by line as NDJSON would be.
 */
export async function* documentsIn(source: ByteSource, maxLineBytes: number): AsyncGenerator<FileDocument> {
  const lines = boundedLines(source, maxLineBytes)[Symbol.asyncIterator]();
  const held: BoundedLine[] = [];
  let decided = false;
  let chars = 0;
  for (;;) {
    const next = await lines.next();
    if (next.done) break;
    const read = next.value;
    if (decided) {
      yield read;
      continue;
    }
    held.push(read);
    if (!('text' in read)) continue;
    chars += read.text.length + 1;
    const first = held.find((h) => 'text' in h && h.text.trim() !== '');
    if (first === undefined) continue;
    if (first === read && isJson(read.text)) {
      decided = true; // NDJSON
      yield* held;
      held.length = 0;
      continue;
    }
    if (chars > MAX_JSON_FILE_CHARS) {
      decided = true;
      yield* held;
      held.length = 0;
    }
  }
  if (decided || held.length === 0) return;
  // Not NDJSON on its first line: the whole text may be one JSON document, array or pipeline-test output.
  if (held.every((h) => 'text' in h)) {
    const texts = held as Array<{ line: number; text: string }>;
    const text = texts.map((h) => h.text).join('\n');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      parsed = undefined;
    }
    if (parsed !== undefined) {
      const firstLine = texts[0]!.line;
      let offset = 0;
      let line = firstLine;
      for (const [start, end] of documentSpans(text, parsed)) {
        for (; offset < start; offset++) if (text.charCodeAt(offset) === 10) line++;
        // One line each, as the bulk API needs: a JSON string holds no raw line break, so every one is whitespace.
        yield { line, text: text.slice(start, end).replace(/[\r\n]+/g, ' ') };
      }
      return;
    }
  }
  yield* held;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
