import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatProgress, formatTiming, groupDigits, remainingMs, TerminalProgress } from '../../src/cli/progress.js';

describe('progress formatting', () => {
  it('says documents, rate, bytes read and the time left from the bytes', () => {
    expect(formatProgress({ done: 120_000, bytesRead: 45 * 1024 * 1024, totalBytes: 310 * 1024 * 1024, elapsedMs: 15_000 }, 'documents')).toBe(
      '120 000 documents, 8 000/s, 45 MB of 310 MB (14 %), about 1 min 28 s left',
    );
  });

  it('takes the time left from units when no bytes are known (a benchmark phase)', () => {
    expect(formatProgress({ done: 250, total: 1000, elapsedMs: 10_000 }, 'verdicts')).toBe('250 of 1 000 verdicts, 25/s, about 30 s left');
    expect(remainingMs({ done: 250, total: 1000, elapsedMs: 10_000 })).toBe(30_000);
  });

  it('gives no time left before there is a rate, and none past the end', () => {
    expect(formatProgress({ done: 0, bytesRead: 0, totalBytes: 100, elapsedMs: 0 }, 'documents')).toBe('0 documents, 0/s, 0 B of 100 B (0 %)');
    expect(remainingMs({ done: 5, elapsedMs: 1000 })).toBeUndefined(); // no total: no estimate
    // Bytes read past the size measured at start (the file grew): never a negative time, never over 100 %.
    expect(formatProgress({ done: 10, bytesRead: 200, totalBytes: 100, elapsedMs: 1000 }, 'documents')).toBe('10 documents, 10/s, 200 B of 100 B (100 %), about 0 s left');
  });

  it('writes sizes, durations and numbers for people', () => {
    expect([formatBytes(512), formatBytes(1536), formatBytes(15 * 1024 * 1024), formatBytes(3 * 1024 ** 3)]).toEqual(['512 B', '1.5 KB', '15 MB', '3.0 GB']);
    expect([formatDuration(400), formatDuration(59_600), formatDuration(200_000), formatDuration(7_500_000)]).toEqual(['0 s', '1 min 00 s', '3 min 20 s', '2 h 05 min']);
    expect([groupDigits(7), groupDigits(1234), groupDigits(1_234_567)]).toEqual(['7', '1 234', '1 234 567']);
    expect(formatTiming(30_000, 16_300, 'documents')).toBe('in 16.3 s, 1 840 documents/s');
  });
});

describe('a progress line on a terminal', () => {
  const output = (isTTY: boolean) => {
    const written: string[] = [];
    return { out: { isTTY, write: (t: string) => written.push(t) }, written };
  };

  it('rewrites one line in place at most every interval, and clears it at the end', () => {
    let now = 0;
    const { out, written } = output(true);
    const p = new TerminalProgress(out, 'ingest', 'documents', () => now, 250);
    now = 1000;
    p.update({ done: 200, bytesRead: 100, totalBytes: 1000 });
    now = 1100; // within the interval: not drawn
    p.update({ done: 400, bytesRead: 200, totalBytes: 1000 });
    now = 2000;
    p.update({ done: 600, bytesRead: 500, totalBytes: 1000 });
    p.finish();
    expect(written).toEqual([
      '\ringest: 200 documents, 200/s, 100 B of 1000 B (10 %), about 9 s left\x1b[K',
      '\ringest: 600 documents, 300/s, 500 B of 1000 B (50 %), about 2 s left\x1b[K',
      '\r\x1b[K',
    ]);
  });

  it('writes nothing at all when the output is not a terminal (piped: the summary alone)', () => {
    let now = 0;
    const { out, written } = output(false);
    const p = new TerminalProgress(out, 'ingest', 'documents', () => now);
    for (now = 0; now < 5000; now += 300) p.update({ done: now, bytesRead: now, totalBytes: 5000 });
    p.finish();
    expect(written).toEqual([]);
    expect(p.elapsedMs).toBe(5100);
  });
});
