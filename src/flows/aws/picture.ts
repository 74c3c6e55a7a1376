// The AWS picture: one lane per source address of the key, coloured by class, a bar from first to last use with
// its event count, the IP changes between public addresses (an explaining call as a marker on its change, an
// unexplained change dashed), and the alert time. Above, the whole evidence window and the part drawn.
import { footnotes, header, INK, legend, MARGIN, MUTED, NOTE_LINE, RULE, stamp, timeAxis, timeScale, WIDTH } from '../../drawing/frame.js';
import { cutText, el, group, svgDocument, text, textWidth, title, type Markup } from '../../drawing/svg.js';
import type { FlowDrawing, FlowPictureInput } from '../plugin.js';
import type { AwsVerdict } from './decide.js';
import type { AddressClass, AwsAddressFacts } from './verdict-facts.js';

export const MAX_LANES = 24;
/** How a call explains a change, in a few words for its chip (the flow's cases a, b, c). */
const EXPLAINED_HOW: Record<string, string> = { a: 'on this instance', b: 'on the NAT/proxy', c: 'on the address' };

const LANE = 40;
const BAR = 14;
const LABEL_RIGHT = 330;
const PLOT: [number, number] = [350, WIDTH - 40];

export const CLASS_STYLE: Record<AddressClass, { colour: string; name: string }> = {
  aws: { colour: '#2b6cb0', name: 'AWS region' },
  trusted: { colour: '#2f855a', name: 'trusted egress' },
  'non-aws': { colour: '#c53030', name: 'non-AWS' },
  internal: { colour: '#a0aec0', name: 'internal' },
  'aws-internal': { colour: '#805ad5', name: 'AWS service' },
};

const PUBLIC: ReadonlySet<AddressClass> = new Set(['aws', 'trusted', 'non-aws']);

/** An address as drawn: its first and last use as times. */
type Ip = AwsAddressFacts & { first: Date; last: Date };

function classText(ip: Ip): string {
  switch (ip.class) {
    case 'aws':
      return `AWS ${ip.region ?? 'GLOBAL'}${ip.range ? ` · ${ip.range}` : ''}`;
    case 'trusted':
      return `trusted egress${ip.range ? ` ${ip.range}` : ''}`;
    default:
      return CLASS_STYLE[ip.class].name;
  }
}

/** The lanes drawn: public addresses first when there are too many, then in order of first use. */
function lanesOf(ips: Ip[]): { shown: Ip[]; hidden: Ip[] } {
  const ranked = [...ips].sort((a, b) => Number(PUBLIC.has(b.class)) - Number(PUBLIC.has(a.class)) || a.first.getTime() - b.first.getTime());
  const shown = ranked.slice(0, MAX_LANES).sort((a, b) => a.first.getTime() - b.first.getTime());
  return { shown, hidden: ranked.slice(MAX_LANES) };
}

/** A label on a white card: readable over bars and rules. */
function chip(x: number, y: number, label: string, colour: string): Markup {
  const w = textWidth(label, 11) + 8;
  return group({}, el('rect', { x: x - 4, y: y - 11, width: w, height: 15, rx: 3, fill: '#ffffff', 'fill-opacity': 0.92 }), text(x, y, label, { 'font-size': 11, fill: colour }, 70));
}

const diamond = (x: number, y: number, r: number, fill: string) => el('path', { d: `M${x} ${y - r}L${x + r} ${y}L${x} ${y + r}L${x - r} ${y}Z`, fill, stroke: '#fff', 'stroke-width': 1 });

/**
 * The SVG, or why there is nothing to draw.
 * Long (over 80 lines) on purpose: it draws the picture top to bottom (axis, lanes, calls, legend) and each part
 * reuses the scales and lane positions computed above it; split, every part would take them all as arguments.
 */
export function awsPicture({ verdict, alertTime, label }: FlowPictureInput<AwsVerdict>): FlowDrawing {
  const f = verdict.facts;
  if (f.ips.length === 0) return { nothing: f.events === 0 ? 'no CloudTrail event of the key in the window' : 'no event of the key carries a source address' };
  const evidenceWindow = { from: new Date(f.window.from), to: new Date(f.window.to) };
  const { shown, hidden } = lanesOf(f.ips.map((ip) => ({ ...ip, first: new Date(ip.first_seen), last: new Date(ip.last_seen) })));
  const laneOf = new Map(shown.map((ip, i) => [ip.address, i]));
  const calls = f.ip_changes.flatMap((c) => (c.explained_by ? [new Date(c.explained_by.time)] : []));
  const times = [...shown.flatMap((ip) => [ip.first, ip.last]), ...calls, ...(alertTime ? [alertTime] : [])];
  const x = timeScale(times, PLOT, 20 * 60_000);
  const [d0, d1] = x.domain() as [Date, Date];

  const top = 78;
  // The whole window, and where the lanes below sit in it.
  const w = timeScale([evidenceWindow.from, evidenceWindow.to], PLOT, 1).domain([evidenceWindow.from, evidenceWindow.to]);
  const zoomFrom = Math.max(PLOT[0], w(d0));
  const zoomTo = Math.min(PLOT[1], Math.max(zoomFrom + 2, w(d1)));
  const overview = group(
    { class: 'window' },
    text(LABEL_RIGHT, top + 12, 'evidence window', { 'font-size': 12, fill: MUTED, 'text-anchor': 'end' }),
    el('rect', { x: PLOT[0], y: top + 2, width: PLOT[1] - PLOT[0], height: 12, fill: '#edf2f7', stroke: RULE }),
    el('rect', { x: zoomFrom, y: top, width: zoomTo - zoomFrom, height: 16, fill: 'none', stroke: INK, 'stroke-width': 1.5, class: 'zoom' }),
    ...shown.map((ip) => el('rect', { x: w(ip.first), y: top + 4, width: Math.max(2, w(ip.last) - w(ip.first)), height: 8, fill: CLASS_STYLE[ip.class].colour })),
    text(PLOT[0], top + 30, stamp(evidenceWindow.from), { 'font-size': 11, fill: MUTED }),
    text(PLOT[1], top + 30, stamp(evidenceWindow.to), { 'font-size': 11, fill: MUTED, 'text-anchor': 'end' }),
  );

  const axisTop = top + 62;
  const lanesTop = axisTop + 14;
  const lanesBottom = lanesTop + shown.length * LANE;
  const laneY = (i: number) => lanesTop + i * LANE + LANE / 2;

  const lanes = shown.map((ip, i) => {
    const y = laneY(i);
    const style = CLASS_STYLE[ip.class];
    const x0 = x(ip.first);
    const x1 = Math.max(x0 + 4, x(ip.last));
    const count = `${ip.events} event${ip.events === 1 ? '' : 's'}`;
    const countAfter = x1 + 6 + textWidth(count, 12) < PLOT[1] + 30;
    return group(
      { class: 'lane', 'data-address': cutText(ip.address, 64), 'data-class': ip.class },
      title(`${ip.address} (${classText(ip)}): ${ip.events} events, ${stamp(ip.first)} – ${stamp(ip.last)}`),
      text(LABEL_RIGHT, y - 2, ip.address, { 'font-size': 13, fill: INK, 'text-anchor': 'end', class: 'address' }, 40),
      text(LABEL_RIGHT, y + 13, classText(ip), { 'font-size': 11, fill: style.colour, 'text-anchor': 'end', class: 'class' }, 46),
      el('rect', { x: x0, y: y - BAR / 2, width: x1 - x0, height: BAR, rx: 3, fill: style.colour, class: 'bar' }),
      text(countAfter ? x1 + 6 : x0 - 6, y + 4, count, { 'font-size': 12, fill: INK, 'text-anchor': countAfter ? 'start' : 'end', class: 'events' }),
    );
  });

  // Every other lane shaded, under the axis's rules.
  const shading = group({ class: 'shading' }, ...shown.map((_, i) => (i % 2 ? el('rect', { x: MARGIN, y: laneY(i) - LANE / 2, width: WIDTH - 2 * MARGIN, height: LANE, fill: '#f7fafc' }) : ('' as Markup))));

  // IP changes between public addresses: from the old address's last use to the new one's first use.
  const changes = f.ip_changes.flatMap((c) => {
    const from = shown.find((ip) => ip.address === c.from);
    const to = shown.find((ip) => ip.address === c.to);
    if (!from || !to) return [];
    const ya = laneY(laneOf.get(c.from)!);
    const yb = laneY(laneOf.get(c.to)!);
    const xa = x(from.last);
    const xb = x(to.first);
    const explained = c.explained_by && { ...c.explained_by, time: new Date(c.explained_by.time) };
    const line = el('path', {
      d: `M${xa} ${ya + (yb > ya ? BAR / 2 : -BAR / 2)}L${xb} ${yb + (yb > ya ? -BAR / 2 : BAR / 2)}`,
      stroke: explained ? '#2f855a' : '#c53030',
      'stroke-width': 2,
      'stroke-dasharray': explained ? undefined : '5 4',
      fill: 'none',
    });
    const midY = (ya + yb) / 2;
    if (explained) {
      const xc = x(explained.time);
      return [
        group(
          { class: 'change explained', 'data-from': cutText(c.from, 64), 'data-to': cutText(c.to, 64) },
          title(`${c.from} → ${c.to}: explained by ${explained.why}`),
          line,
          // The call, tied to its change: a thin rule from the call's time to the change.
          el('line', { x1: xc, x2: (xa + xb) / 2, y1: midY, y2: midY, stroke: '#2f855a', 'stroke-width': 1 }),
          group({ class: 'call', 'data-action': cutText(explained.action, 64) }, diamond(xc, midY, 7, '#2f855a')),
          chip(xc + 12, midY + 4, `${cutText(explained.action, 40)} ${EXPLAINED_HOW[explained.case] ?? ''} ${stamp(explained.time).slice(11)}`, '#22543d'),
        ),
      ];
    }
    return [
      group(
        { class: 'change unexplained', 'data-from': cutText(c.from, 64), 'data-to': cutText(c.to, 64) },
        title(`${c.from} → ${c.to}: no explaining call`),
        line,
        chip((xa + xb) / 2 + 8, midY + 4, 'IP change, no explaining call', '#9b2c2c'),
      ),
    ];
  });

  const alertMark = alertTime
    ? group(
        { class: 'alert-time' },
        el('line', { x1: x(alertTime), x2: x(alertTime), y1: axisTop + 4, y2: lanesBottom, stroke: INK, 'stroke-width': 1.5, 'stroke-dasharray': '2 3' }),
        text(x(alertTime), lanesBottom + 14, `alert ${stamp(alertTime).slice(11)}`, { 'font-size': 11, fill: INK, 'text-anchor': 'middle' }),
      )
    : ('' as Markup);

  const legendY = lanesBottom + 40;
  const key = legend(MARGIN, legendY, [
    ...(Object.keys(CLASS_STYLE) as AddressClass[]).map((k) => ({ swatch: el('rect', { x: 0, y: -6, width: 12, height: 12, rx: 2, fill: CLASS_STYLE[k].colour }), label: CLASS_STYLE[k].name })),
    { swatch: diamond(6, 0, 6, '#2f855a'), label: 'IP-changing call explaining a change' },
    { swatch: el('line', { x1: 0, x2: 12, y1: 0, y2: 0, stroke: '#c53030', 'stroke-width': 2, 'stroke-dasharray': '4 3' }), label: 'unexplained change' },
  ]);

  const notes = [
    `Access key ${f.access_key_id}${f.instance_id ? ` · instance ${f.instance_id}` : ''}${f.account_id ? ` · account ${f.account_id}` : ''}${f.home_region ? ` · home region ${f.home_region}` : ''} · ${f.events} event(s)`,
    `${f.ip_changing_calls} candidate IP-changing call(s) in the account; those explaining a change are drawn on it.`,
    ...(hidden.length ? [`${hidden.length} more address(es) not drawn (${hidden.reduce((n, ip) => n + ip.events, 0)} events): ${hidden.slice(0, 5).map((ip) => ip.address).join(', ')}${hidden.length > 5 ? ' …' : ''}`] : []),
    ...(f.events_without_address ? [`${f.events_without_address} event(s) carry no source address: not drawn.`] : []),
    ...f.incomplete.slice(0, 4).map((s) => `Unknown: ${s}`),
  ];
  const notesY = legendY + 30;
  const height = notesY + notes.length * NOTE_LINE + 12;
  const svg = svgDocument(
    WIDTH,
    height,
    title(`${verdict.flow} ${verdict.verdict}: source addresses of ${f.access_key_id}`),
    el('rect', { width: WIDTH, height, fill: '#fff' }),
    header(verdict, label, verdict.summary),
    overview,
    shading,
    timeAxis(x, axisTop, lanesBottom, LABEL_RIGHT),
    ...lanes,
    ...changes,
    alertMark,
    key,
    footnotes(notesY, notes),
  );
  const alt = `Timeline of ${shown.length} source address(es) of ${cutText(f.access_key_id, 40)}: ${shown.map((ip) => `${cutText(ip.address, 45)} (${classText(ip)}, ${ip.events} events)`).slice(0, 6).join('; ')}`;
  return { svg, alt };
}
