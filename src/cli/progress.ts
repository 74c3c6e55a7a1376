// Progress of long work (ingesting a large file, a benchmark phase): what is done, how fast, and how long is
// left. On a terminal one line on standard error is rewritten in place; anywhere else nothing is written while
// the work runs, so logs and pipes get the one summary line the command prints at the end.

export interface ProgressSnapshot {
  /** Units done so far (documents, verdicts …). */
  done: number;
  /** Units expected in all, when known (a benchmark phase knows its alerts). */
  total?: number;
  /** Bytes read so far and in all, when the work is reading files: the time left comes from them. */
  bytesRead?: number;
  totalBytes?: number;
  elapsedMs: number;
}

/** 1234567 → "1 234 567": a thin grouping readable in any locale. */
export function groupDigits(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** Seconds as "45 s", "3 min 20 s", "2 h 05 min". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** Per second, from units and elapsed time; 0 before any time has passed. */
export function ratePerSecond(done: number, elapsedMs: number): number {
  return elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
}

/**
 * How long is left: from the bytes when reading files (documents vary in size, bytes do not lie), else from the
 * units; undefined until there is a rate to extrapolate from.
 */
export function remainingMs(s: ProgressSnapshot): number | undefined {
  const [done, total] = s.totalBytes !== undefined && s.bytesRead !== undefined ? [s.bytesRead, s.totalBytes] : [s.done, s.total];
  if (total === undefined || done <= 0 || s.elapsedMs <= 0) return undefined;
  return Math.max(0, ((total - done) * s.elapsedMs) / done);
}

/** One line: "120 000 documents, 8 400/s, 45 MB of 310 MB (14 %), about 32 s left". */
export function formatProgress(s: ProgressSnapshot, unit: string): string {
  const parts = [`${groupDigits(s.done)}${s.total !== undefined ? ` of ${groupDigits(s.total)}` : ''} ${unit}`];
  parts.push(`${groupDigits(ratePerSecond(s.done, s.elapsedMs))}/s`);
  if (s.bytesRead !== undefined && s.totalBytes !== undefined && s.totalBytes > 0) {
    parts.push(`${formatBytes(s.bytesRead)} of ${formatBytes(s.totalBytes)} (${Math.min(100, Math.floor((s.bytesRead * 100) / s.totalBytes))} %)`);
  }
  const left = remainingMs(s);
  if (left !== undefined) parts.push(`about ${formatDuration(left)} left`);
  return parts.join(', ');
}

/** The summary's timing: "in 12.3 s, 8 130 documents/s". */
export function formatTiming(done: number, elapsedMs: number, unit: string): string {
  return `in ${(elapsedMs / 1000).toFixed(1)} s, ${groupDigits(ratePerSecond(done, elapsedMs))} ${unit}/s`;
}

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** A line on a terminal, rewritten at most every `everyMs`; nothing at all elsewhere. */
export class TerminalProgress {
  private readonly started: number;
  private lastDraw = -Infinity;
  private drawn = false;

  constructor(
    private readonly out: ProgressOutput,
    private readonly label: string,
    private readonly unit: string,
    private readonly clock: () => number = () => performance.now(),
    private readonly everyMs = 250,
  ) {
    this.started = clock();
  }

  get elapsedMs(): number {
    return this.clock() - this.started;
  }

  update(s: Omit<ProgressSnapshot, 'elapsedMs'>): void {
    if (!this.out.isTTY) return;
    const at = this.clock();
    if (at - this.lastDraw < this.everyMs) return;
    this.lastDraw = at;
    this.drawn = true;
    // \r back to the line's start, \x1b[K clears what a longer earlier line left.
    this.out.write(`\r${this.label}: ${formatProgress({ ...s, elapsedMs: at - this.started }, this.unit)}\x1b[K`);
  }

  /** Clears the line, so the summary the command prints next stands alone. */
  finish(): void {
    if (this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
  }
}
