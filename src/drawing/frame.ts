// What every picture shares: the verdict header, a time axis, a legend, footnotes, and the canvas size.
// Below the flows: it knows a verdict only as its class, score and alert id, and the flow only by its label.
import { scaleUtc, type ScaleTime } from 'd3-scale';
import { el, group, text, type Markup } from './svg.js';

export type VerdictClassName = 'malicious' | 'suspicious' | 'benign' | 'inconclusive';

/** What the header shows of a verdict. */
export interface HeaderVerdict {
  verdict: VerdictClassName;
  score: number | null;
  alert_id: string;
}

export const WIDTH = 1200;
export const MARGIN = 24;

export const VERDICT_COLOUR: Record<VerdictClassName, string> = {
  malicious: '#c53030',
  suspicious: '#dd6b20',
  benign: '#2f855a',
  inconclusive: '#718096',
};

export const INK = '#1a202c';
export const MUTED = '#4a5568';
export const RULE = '#cbd5e0';


/** Title line (verdict, the flow's label, alert id) and the summary; 64 px tall. */
export function header(v: HeaderVerdict, flowLabel: string, subtitle: string): Markup {
  const label = `${v.verdict.toUpperCase()}${v.score === null ? '' : ` ${v.score}`}`;
  // Bold capitals run wider than the average.
  const badge = 14 + label.length * 11.6;
  return group(
    { class: 'header' },
    el('rect', { x: MARGIN, y: 14, width: badge, height: 24, rx: 4, fill: VERDICT_COLOUR[v.verdict] }),
    text(MARGIN + 7, 31, label, { fill: '#fff', 'font-size': 16, 'font-weight': 'bold', class: 'verdict' }),
    text(MARGIN + badge + 12, 32, `${flowLabel} · alert ${v.alert_id}`, { fill: INK, 'font-size': 17, 'font-weight': 'bold', class: 'title' }, 90),
    text(MARGIN, 58, subtitle, { fill: MUTED, 'font-size': 13, class: 'subtitle' }, 165),
  );
}

/** A UTC scale over the times, padded by 6 % a side, at least `minSpanMs` wide. */
export function timeScale(times: Date[], range: [number, number], minSpanMs: number): ScaleTime<number, number> {
  const ms = times.map((t) => t.getTime());
  let lo = Math.min(...ms);
  let hi = Math.max(...ms);
  const pad = (hi - lo) * 0.06;
  lo -= pad;
  hi += pad;
  if (hi - lo < minSpanMs) {
    const mid = (hi + lo) / 2;
    lo = mid - minSpanMs / 2;
    hi = mid + minSpanMs / 2;
  }
  return scaleUtc().domain([new Date(lo), new Date(hi)]).range(range);
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** A time as the axis shows it: seconds only when the span is minutes, the date only when it spans days. */
export function clock(d: Date, spanMs: number): string {
  const hm = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
  const withSeconds = spanMs < 6 * 60_000 ? `${hm}:${pad2(d.getUTCSeconds())}` : hm;
  return spanMs >= 36 * 3600_000 ? `${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${withSeconds}` : withSeconds;
}

/** "2026-11-20 09:30 UTC". */
export function stamp(d: Date): string {
  return `${d.toISOString().slice(0, 10)} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}${d.getUTCSeconds() ? `:${pad2(d.getUTCSeconds())}` : ''} UTC`;
}

/** Tick labels above `top` and light rules down to `bottom`; the caption (day and zone) ends at `captionRight`. */
export function timeAxis(x: ScaleTime<number, number>, top: number, bottom: number, captionRight: number): Markup {
  const [from, to] = x.domain() as [Date, Date];
  const span = to.getTime() - from.getTime();
  const ticks = x.ticks(6);
  const days = from.toISOString().slice(0, 10) === to.toISOString().slice(0, 10) ? from.toISOString().slice(0, 10) : `${from.toISOString().slice(0, 10)} – ${to.toISOString().slice(0, 10)}`;
  return group(
    { class: 'axis' },
    ...ticks.map((t) =>
      group(
        {},
        el('line', { x1: x(t), x2: x(t), y1: top + 6, y2: bottom, stroke: RULE, 'stroke-width': 1 }),
        text(x(t), top, clock(t, span), { 'font-size': 11, fill: MUTED, 'text-anchor': 'middle' }),
      ),
    ),
    text(captionRight, top, `UTC, ${days}`, { 'font-size': 11, fill: MUTED, 'text-anchor': 'end', class: 'zone' }),
  );
}

export interface LegendItem {
  swatch: Markup;
  label: string;
}

/** One row of swatches and labels starting at (x, y); returns the markup. */
export function legend(x: number, y: number, items: LegendItem[]): Markup {
  let at = x;
  const parts: Markup[] = [];
  for (const item of items) {
    parts.push(group({ transform: `translate(${at} ${y})` }, item.swatch, text(16, 4, item.label, { 'font-size': 12, fill: MUTED })));
    at += 30 + item.label.length * 7.2;
  }
  return group({ class: 'legend' }, ...parts);
}

/** Notes under the picture (what the evidence could not see …), one a line. */
export function footnotes(y: number, lines: string[]): Markup {
  return group({ class: 'notes' }, ...lines.map((l, i) => text(MARGIN, y + i * 17, l, { 'font-size': 12, fill: MUTED }, 170)));
}

export const NOTE_LINE = 17;
