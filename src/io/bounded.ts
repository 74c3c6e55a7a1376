// Reading untrusted byte streams within a size bound: never more than the cap (plus one chunk)
// in memory, and text only when it is valid UTF-8.

export type ByteSource = AsyncIterable<Buffer | Uint8Array | string>;

function bytesOf(chunk: Buffer | Uint8Array | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
}

/**
 * At most `max` bytes of a stream. Reading stops as soon as more than `max` have arrived
 * (`over` is then true), so an endless source such as /dev/zero costs only the cap.
 */
export async function readAtMost(source: ByteSource, max: number): Promise<{ bytes: Buffer; over: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop early destroys a Node stream, which closes its file.
  for await (const chunk of source) {
    const buf = bytesOf(chunk);
    size += buf.length;
    if (size > max) return { bytes: Buffer.alloc(0), over: true };
    chunks.push(buf);
  }
  return { bytes: Buffer.concat(chunks, size), over: false };
}

/**
 * UTF-8 bytes as text, a leading byte order mark dropped; undefined when the bytes are not
 * valid UTF-8 (never U+FFFD replacements, which would make different inputs equal).
 */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export type BoundedLine = { line: number; text: string } | { line: number; problem: string };

/**
 * The lines of a stream (\n or \r\n), numbered from 1, each decoded as UTF-8. A line longer than
 * `maxBytes` is reported once, as soon as it crosses the bound, and its remaining bytes are
 * skipped without being kept: memory stays within one line's bound plus one chunk.
 */
export async function* boundedLines(source: ByteSource, maxBytes: number): AsyncGenerator<BoundedLine> {
  let parts: Buffer[] = [];
  let size = 0;
  let overLong = false;
  let line = 1;
  const finish = (): BoundedLine | undefined => {
    if (overLong) return undefined;
    let bytes = Buffer.concat(parts, size);
    if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, -1);
    const text = decodeUtf8(bytes);
    return text === undefined ? { line, problem: 'not valid UTF-8' } : { line, text };
  };
  for await (const chunk of source) {
    const buf = bytesOf(chunk);
    let from = 0;
    while (from < buf.length) {
      const newline = buf.indexOf(0x0a, from);
      const end = newline < 0 ? buf.length : newline;
      if (!overLong) {
        if (size + (end - from) > maxBytes) {
          overLong = true;
          parts = [];
          size = 0;
          yield { line, problem: `line longer than ${maxBytes} bytes` };
        } else {
          parts.push(buf.subarray(from, end));
          size += end - from;
        }
      }
      if (newline < 0) break;
      const done = finish();
      if (done) yield done;
      parts = [];
      size = 0;
      overLong = false;
      line++;
      from = newline + 1;
    }
  }
  // A last line without a newline.
  if (size > 0) {
    const done = finish();
    if (done) yield done;
  }
}
