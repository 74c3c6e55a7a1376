// The e-mail picture: the delivery, then each interaction found (click, domain contact, execution, file on disk)
// on a timeline, one lane per user; under it, which data sources had data (a source without data is no "no").
import { clock, footnotes, header, INK, legend, MARGIN, MUTED, NOTE_LINE, stamp, timeAxis, timeScale, WIDTH } from '../../drawing/frame.js';
import { cutText, el, group, svgDocument, text, textWidth, title, type Markup } from '../../drawing/svg.js';
import type { FlowDrawing, FlowPictureInput } from '../plugin.js';
import type { EmailVerdict } from './decide.js';
import type { EmailFacts } from './verdict-facts.js';

export const MAX_ROWS = 30;
const ROW = 24;
const LANE_GAP = 10;
const LABEL_RIGHT = 270;
const PLOT: [number, number] = [290, WIDTH - 60];

export type InteractionKind = 'click' | 'contact' | 'execution' | 'file';

interface Item {
  kind: InteractionKind;
  label: string;
  colour: string;
  first: Date;
  last: Date;
  count: number;
  users: string[];
  recipients: string[];
  host: string | null;
}

const KIND_STYLE: Record<InteractionKind, { colour: string; name: string }> = {
  click: { colour: '#dd6b20', name: 'click on the URL' },
  contact: { colour: '#2b6cb0', name: 'domain contact' },
  execution: { colour: '#9b2c2c', name: 'execution' },
  file: { colour: '#6b46c1', name: 'file on disk' },
};

function marker(kind: InteractionKind, x: number, y: number, colour: string): Markup {
  const r = 7;
  switch (kind) {
    case 'click':
      return el('circle', { cx: x, cy: y, r, fill: colour, stroke: '#fff', 'stroke-width': 1.5 });
    case 'contact':
      return el('rect', { x: x - r, y: y - r, width: 2 * r, height: 2 * r, fill: colour, stroke: '#fff', 'stroke-width': 1.5 });
    case 'execution':
      return el('path', { d: `M${x} ${y - r - 1}L${x + r + 1} ${y + r}L${x - r - 1} ${y + r}Z`, fill: colour, stroke: '#fff', 'stroke-width': 1.5 });
    case 'file':
      return el('path', { d: `M${x} ${y - r - 1}L${x + r + 1} ${y}L${x} ${y + r + 1}L${x - r - 1} ${y}Z`, fill: colour, stroke: '#fff', 'stroke-width': 1.5 });
  }
}

/** An interaction's first and last time as times. */
const dated = (i: { first: string; last: string }) => ({ first: new Date(i.first), last: new Date(i.last) });

function itemsOf(f: EmailFacts): Item[] {
  const prior = (n: number | null) => (n === null ? 'prior popularity unknown' : `${n} prior user${n === 1 ? '' : 's'}`);
  return [
    ...f.clicks.map((c) => ({ kind: 'click' as const, label: `clicked ${cutText(c.url, 56)}`, colour: KIND_STYLE.click.colour, ...c, ...dated(c) })),
    ...f.domain_contacts.map((c) => ({
      kind: 'contact' as const,
      label: `reached ${cutText(c.domain, 48)} (${prior(c.prior_users)})`,
      // A rare domain decides M3; a popular one M5; unknown popularity M5b.
      colour: c.prior_users === null ? '#718096' : c.prior_users < f.rare_domain_user_threshold ? '#c53030' : KIND_STYLE.contact.colour,
      ...c,
      ...dated(c),
    })),
    ...f.executions.map((c) => ({ kind: 'execution' as const, label: `ran ${cutText(c.indicator, 56)}`, colour: KIND_STYLE.execution.colour, ...c, ...dated(c) })),
    ...f.files_on_disk.map((c) => ({ kind: 'file' as const, label: `wrote ${cutText(c.indicator, 56)}`, colour: KIND_STYLE.file.colour, ...c, ...dated(c) })),
  ];
}

const localPart = (u: string) => u.toLowerCase().split('@')[0]!;

interface Lane {
  /** The spellings of the user seen (bob, bob@example.com), or the host when no user was seen. */
  names: string[];
  recipient: boolean;
  items: Item[];
}

/** One lane per user (spellings that share a local part are one user, as the flow matches recipients). */
function lanesOf(items: Item[]): Lane[] {
  const lanes = new Map<string, Lane>();
  for (const item of items) {
    const keys = item.users.length ? [...new Set(item.users.map(localPart))] : [`host:${item.host ?? '?'}`];
    for (const key of keys) {
      const lane = lanes.get(key) ?? { names: [], recipient: false, items: [] };
      const names = item.users.length ? item.users.filter((u) => localPart(u) === key) : [item.host ? `unknown user on ${item.host}` : 'unknown user and host'];
      for (const n of names) if (!lane.names.includes(n)) lane.names.push(n);
      lane.recipient ||= item.recipients.some((r) => localPart(r) === key);
      lane.items.push(item);
      lanes.set(key, lane);
    }
  }
  for (const lane of lanes.values()) lane.items.sort((a, b) => a.first.getTime() - b.first.getTime());
  return [...lanes.values()].sort((a, b) => Number(b.recipient) - Number(a.recipient) || a.items[0]!.first.getTime() - b.items[0]!.first.getTime());
}

const DATA_NAMES: Record<string, string> = {
  proxy: 'proxy',
  edr_network: 'EDR network',
  edr_network_prior: 'EDR network, 30 days before',
  edr_process: 'EDR process',
  edr_file: 'EDR file',
};

/**
 * The SVG, or why there is nothing to draw.
 * Long (over 80 lines) on purpose: it draws the picture top to bottom (the message, the rows of evidence, the
 * legend), each part placed below the last with the running offsets; split, every part would take them all.
 */
export function emailPicture({ verdict, label }: FlowPictureInput<EmailVerdict>): FlowDrawing {
  const f = verdict.facts;
  const delivered = new Date(f.delivered);
  const items = itemsOf(f);
  if (items.length === 0) return { nothing: 'no interaction with the e-mail found' };
  const lanes = lanesOf(items);
  const x = timeScale([delivered, ...items.flatMap((i) => [i.first, i.last])], PLOT, 15 * 60_000);
  const span = (x.domain()[1] as Date).getTime() - (x.domain()[0] as Date).getTime();

  const axisTop = 96;
  const lanesTop = axisTop + 16;
  let y = lanesTop;
  let rows = 0;
  let hiddenItems = 0;
  const drawn: Markup[] = [];
  for (const [li, lane] of lanes.entries()) {
    if (rows >= MAX_ROWS) {
      hiddenItems += lane.items.length;
      continue;
    }
    const shown = lane.items.slice(0, MAX_ROWS - rows);
    hiddenItems += lane.items.length - shown.length;
    const height = shown.length * ROW + LANE_GAP;
    const name = lane.names.join(', ');
    const rowsMarkup = shown.map((item, i) => {
      const cy = y + LANE_GAP / 2 + i * ROW + ROW / 2;
      const x0 = x(item.first);
      const x1 = x(item.last);
      const onHost = item.host && lane.names[0] !== `unknown user on ${item.host}` ? ` on ${cutText(item.host, 30)}` : '';
      const label = `${clock(item.first, span)} ${item.label}${item.count > 1 ? ` ×${item.count}` : ''}${onHost}`;
      const after = x1 + 12 + textWidth(label, 12) < WIDTH - MARGIN;
      return group(
        { class: `interaction ${item.kind}`, 'data-kind': item.kind },
        title(`${item.label}: ${item.users.join(', ') || 'unknown user'} on ${item.host ?? 'unknown host'}, ${stamp(item.first)}${item.count > 1 ? ` – ${stamp(item.last)} (${item.count} events)` : ''}`),
        x1 > x0 + 1 ? el('line', { x1: x0, x2: x1, y1: cy, y2: cy, stroke: item.colour, 'stroke-width': 3 }) : ('' as Markup),
        marker(item.kind, x0, cy, item.colour),
        text(after ? x1 + 12 : x0 - 12, cy + 4, label, { 'font-size': 12, fill: INK, 'text-anchor': after ? 'start' : 'end' }, 130),
      );
    });
    drawn.push(
      group(
        { class: 'lane', 'data-user': cutText(name, 80), 'data-recipient': lane.recipient ? 'yes' : 'no' },
        li % 2 ? el('rect', { x: MARGIN, y, width: WIDTH - 2 * MARGIN, height, fill: '#f7fafc' }) : ('' as Markup),
        text(LABEL_RIGHT, y + LANE_GAP / 2 + ROW / 2 + 4, name, { 'font-size': 13, fill: INK, 'text-anchor': 'end', class: 'user' }, 36),
        lane.recipient ? text(LABEL_RIGHT, y + LANE_GAP / 2 + ROW / 2 + 19, 'recipient', { 'font-size': 11, fill: MUTED, 'text-anchor': 'end' }) : ('' as Markup),
        ...rowsMarkup,
      ),
    );
    y += Math.max(height, lane.recipient ? 44 : 0);
    rows += shown.length;
  }
  const lanesBottom = y;
  const dx = x(delivered);
  const delivery = group(
    { class: 'delivery' },
    el('line', { x1: dx, x2: dx, y1: axisTop + 4, y2: lanesBottom, stroke: INK, 'stroke-width': 2 }),
    el('path', { d: `M${dx - 6} ${axisTop + 2}L${dx + 6} ${axisTop + 2}L${dx} ${axisTop + 10}Z`, fill: INK }),
    text(dx, lanesBottom + 15, `delivered ${clock(delivered, span)}`, { 'font-size': 11, fill: INK, 'text-anchor': 'middle' }),
  );

  const legendY = lanesBottom + 42;
  const key = legend(MARGIN, legendY, [
    ...(Object.keys(KIND_STYLE) as InteractionKind[]).map((k) => ({ swatch: marker(k, 6, 0, KIND_STYLE[k].colour), label: KIND_STYLE[k].name })),
    { swatch: el('rect', { x: 0, y: -6, width: 12, height: 12, fill: '#c53030' }), label: 'rare domain' },
    { swatch: el('rect', { x: 0, y: -6, width: 12, height: 12, fill: '#718096' }), label: 'popularity unknown' },
  ]);
  const dataLine = Object.entries(f.data)
    .map(([k, v]) => `${DATA_NAMES[k] ?? k}: ${v === true ? 'data' : v === false ? 'NO DATA' : 'not searched'}`)
    .join(' · ');
  const incomplete = Object.entries(f.incomplete).flatMap(([k, why]) => why.slice(0, 2).map((w) => `Unknown (${DATA_NAMES[k] ?? k}): ${w}`));
  const notes = [
    `Searched ${stamp(new Date(f.windows.after.from))} – ${stamp(new Date(f.windows.after.to))}`,
    `Data: ${dataLine}`,
    `Recipients: ${f.recipients.slice(0, 8).join(', ')}${f.recipients.length > 8 ? ` and ${f.recipients.length - 8} more` : ''}`,
    ...(hiddenItems ? [`${hiddenItems} more interaction(s) not drawn.`] : []),
    ...incomplete.slice(0, 4),
  ];
  const notesY = legendY + 30;
  const height = notesY + notes.length * NOTE_LINE + 12;
  const subtitle = `From ${f.sender ?? 'unknown sender'}${f.subject !== null ? ` · “${cutText(f.subject, 70)}”` : ''} · delivered ${stamp(delivered)}`;
  const svg = svgDocument(
    WIDTH,
    height,
    title(`${verdict.flow} ${verdict.verdict}: interactions with the e-mail`),
    el('rect', { width: WIDTH, height, fill: '#fff' }),
    header(verdict, label, subtitle),
    timeAxis(x, axisTop - 8, lanesBottom, LABEL_RIGHT),
    ...drawn,
    delivery,
    key,
    footnotes(notesY, notes),
  );
  const alt = `Timeline of the e-mail from ${cutText(f.sender ?? 'unknown sender', 80)}: delivered ${stamp(delivered)}, then ${items.length} interaction(s) by ${lanes.map((l) => cutText(l.names.join(', '), 60)).slice(0, 5).join('; ')}`;
  return { svg, alt };
}
