// The MFA push fatigue picture (flows.md §4): pushes, rejections, approvals and reports on a timeline, the
// 10-minute span that counted shaded, and under it each requesting IP and whether it is known, and why.
import { footnotes, header, INK, legend, MARGIN, MUTED, RULE, timeAxis, timeScale, WIDTH } from '../../drawing/frame.js';
import { el, group, svgDocument, text, title, type Markup } from '../../drawing/svg.js';
import type { FlowDrawing, FlowPictureInput } from '../plugin.js';
import type { MfaFatigueVerdict } from './decide.js';
import type { MfaFatigueFacts } from './verdict-facts.js';

const KNOWN_COLOUR = { known: '#2f855a', not: '#c53030', unknown: '#718096' } as const;
const colourOf = (k: boolean | null) => (k === true ? KNOWN_COLOUR.known : k === false ? KNOWN_COLOUR.not : KNOWN_COLOUR.unknown);
const LANES = ['Pushes sent', 'Rejected', 'Approved', 'Reported'] as const;
const LANE_H = 34;
const PLOT: [number, number] = [190, WIDTH - 150];
export const MAX_IP_ROWS = 12;

const circle = (x: number, y: number, fill: string) => el('circle', { cx: x, cy: y, r: 6, fill, stroke: '#fff', 'stroke-width': 1.5 });
const cross = (x: number, y: number) => el('path', { d: `M${x - 6} ${y - 6}L${x + 6} ${y + 6}M${x + 6} ${y - 6}L${x - 6} ${y + 6}`, stroke: '#2b6cb0', 'stroke-width': 3 });
const diamond = (x: number, y: number, fill: string) => el('path', { d: `M${x} ${y - 8}L${x + 8} ${y}L${x} ${y + 8}L${x - 8} ${y}Z`, fill, stroke: '#fff', 'stroke-width': 1.5 });
const square = (x: number, y: number) => el('rect', { x: x - 6, y: y - 6, width: 12, height: 12, fill: '#6b46c1' });

function timeline(f: MfaFatigueFacts, top: number): { markup: Markup; bottom: number } {
  const times = [...f.pushes, ...f.rejections, ...f.approvals, ...f.reports].map((e) => new Date(e.time));
  const span = f.span && { ...f.span, from: new Date(f.span.from), to: new Date(f.span.to) };
  if (span) times.push(span.from, span.to);
  const x = timeScale(times, PLOT, 15 * 60_000);
  const lanesTop = top + 16;
  const laneY = (i: number) => lanesTop + i * LANE_H + LANE_H / 2;
  const bottom = lanesTop + LANES.length * LANE_H;
  const parts: Markup[] = [timeAxis(x, top, bottom, WIDTH - MARGIN)];
  if (span) {
    const [x0, x1] = [x(span.from), x(span.to)];
    parts.push(el('rect', { x: x0, y: lanesTop, width: Math.max(2, x1 - x0), height: bottom - lanesTop, fill: '#fed7d7', opacity: 0.6, class: 'span' }));
    parts.push(text(x0 + 4, bottom + 14, `10-min span: ${span.rejections} rejection(s)`, { 'font-size': 11, fill: '#9b2c2c' }));
  }
  LANES.forEach((name, i) => {
    parts.push(el('line', { x1: PLOT[0], x2: PLOT[1], y1: laneY(i), y2: laneY(i), stroke: RULE, 'stroke-width': 1 }));
    parts.push(text(MARGIN, laneY(i) + 4, name, { 'font-size': 13, fill: INK, 'font-weight': 'bold' }));
  });
  const tip = (what: string, t: Date, at: string | null) => title(`${what} at ${t.toISOString()} from ${at ?? 'no IP'}`);
  const at = (e: { time: string }) => new Date(e.time);
  for (const p of f.pushes) parts.push(group({ class: 'push' }, tip('push', at(p), p.ip), circle(x(at(p)), laneY(0), colourOf(p.known))));
  for (const r of f.rejections) parts.push(group({ class: 'rejection' }, tip(r.kind, at(r), r.ip), cross(x(at(r)), laneY(1))));
  for (const a of f.approvals) parts.push(group({ class: a.fatigue ? 'approval fatigue' : 'approval' }, tip(a.fatigue ? 'fatigue approval' : 'approval', at(a), a.ip), diamond(x(at(a)), laneY(2), a.fatigue ? '#c53030' : colourOf(a.known))));
  for (const r of f.reports) parts.push(group({ class: 'report' }, tip('report', at(r), r.ip), square(x(at(r)), laneY(3))));
  return { markup: group({ class: 'timeline' }, ...parts), bottom: bottom + (span ? 20 : 6) };
}

function ipTable(f: MfaFatigueFacts, top: number): { markup: Markup; bottom: number } {
  const rows = f.requesting_ips.slice(0, MAX_IP_ROWS);
  const parts: Markup[] = [text(MARGIN, top + 14, 'Requesting IPs (the browsers that asked for the pushes and approvals)', { 'font-size': 13, fill: INK, 'font-weight': 'bold' }, 120)];
  rows.forEach((r, i) => {
    const y = top + 38 + i * 20;
    const status = r.known === true ? 'known' : r.known === false ? 'NOT KNOWN' : 'status unknown';
    parts.push(el('rect', { x: MARGIN, y: y - 10, width: 12, height: 12, fill: colourOf(r.known) }));
    parts.push(text(MARGIN + 20, y, r.ip, { 'font-size': 13, fill: INK, class: 'ip' }, 45));
    parts.push(text(MARGIN + 200, y, `${status} — ${r.reason}`, { 'font-size': 12, fill: MUTED }, 150));
  });
  return { markup: group({ class: 'ips' }, ...parts), bottom: top + 38 + rows.length * 20 };
}

export function mfaPicture({ verdict, label }: FlowPictureInput<MfaFatigueVerdict>): FlowDrawing {
  const f = verdict.facts;
  const c = f.counts;
  if (c.pushes + c.rejections + c.approvals + c.reports === 0) return { nothing: 'no MFA push activity of the user found' };
  const who = f.user.login ?? f.user.id ?? 'unknown user';
  const head = header(verdict, label, `${who} · ${c.pushes} push(es), ${c.rejections} rejection(s), ${c.approvals} approval(s), ${c.reports} report(s) · N = ${f.min_rejections}`);
  const line = timeline(f, 96);
  const keyY = line.bottom + 14;
  const key = legend(MARGIN, keyY, [
    { swatch: circle(0, 0, KNOWN_COLOUR.known), label: 'from a known IP' },
    { swatch: circle(0, 0, KNOWN_COLOUR.not), label: 'from an IP not known' },
    { swatch: circle(0, 0, KNOWN_COLOUR.unknown), label: 'company status unknown' },
    { swatch: cross(0, 0), label: 'rejected' },
    { swatch: diamond(0, 0, '#c53030'), label: `approved after ${f.min_rejections}+ rejections` },
    { swatch: square(0, 0), label: 'reported' },
  ]);
  const table = ipTable(f, keyY + 16);
  const notes = [
    ...(f.requesting_ips.length > MAX_IP_ROWS ? [`${f.requesting_ips.length - MAX_IP_ROWS} more requesting IPs are in the verdict’s facts`] : []),
    ...(c.pushes + c.rejections + c.approvals + c.reports > f.pushes.length + f.rejections.length + f.approvals.length + f.reports.length ? ['more events than drawn: the verdict’s facts list the first ones of each kind'] : []),
    ...(f.log_incomplete ?? []).map((w) => `the System Log may be incomplete: ${w}`),
  ];
  const height = table.bottom + 20 + notes.length * 17 + 10;
  const svg = svgDocument(WIDTH, height, el('rect', { width: WIDTH, height, fill: '#fff' }), head, line.markup, key, table.markup, footnotes(table.bottom + 22, notes));
  const alt = `MFA push fatigue of ${who}: ${c.pushes} pushes, ${c.rejections} rejections, ${c.approvals} approvals, ${c.reports} reports; requesting IPs: ${f.requesting_ips.map((r) => `${r.ip} ${r.known === true ? 'known' : r.known === false ? 'not known' : 'status unknown'}`).join(', ') || 'none'}`;
  return { svg, alt: alt.slice(0, 1000) };
}
