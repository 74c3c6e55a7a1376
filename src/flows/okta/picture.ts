// The Okta picture: sessions A and B on a world map (Natural Earth), the great circle between them labelled with
// distance, time and implied speed, company IPs marked. Two nearby sign-ins zoom the map to their region.
import { geoInterpolate, geoNaturalEarth1, geoPath, type GeoProjection } from 'd3-geo';
import { footnotes, header, INK, legend, MARGIN, NOTE_LINE, stamp, WIDTH } from '../../drawing/frame.js';
import { cutText, el, group, svgDocument, text, textWidth, title, wrapText, type Markup } from '../../drawing/svg.js';
import { worldCountries } from '../../drawing/world.js';
import { distanceKm, speedKmh } from '../../enrich/geo.js';
import type { FlowDrawing, FlowPictureInput } from '../plugin.js';
import type { OktaVerdict } from './decide.js';
import type { OktaFacts, OktaSessionFacts } from './verdict-facts.js';

const MAP = { x: MARGIN, y: 76, width: WIDTH - 2 * MARGIN, height: 540 };
const COLOUR = { mystery: '#c53030', reference: '#2b6cb0', plain: '#2b6cb0', company: '#2f855a', arc: '#1a202c' };
const MAX_PLAUSIBLE_KMH = 900;

type Role = 'mystery' | 'reference' | 'plain';
type Located = OktaSessionFacts & { geo: NonNullable<OktaSessionFacts['geo']> };

const located = (s: OktaSessionFacts | null): s is Located => s !== null && s.geo !== null;

/** Which session O2 took as the mystery, when the flow got that far. */
function mysteryOf(v: OktaVerdict): 'A' | 'B' | undefined {
  const answer = v.path.find((p) => p.step === 'O2')?.answer;
  return answer === 'A' || answer === 'B' ? answer : undefined;
}

const place = (s: OktaSessionFacts) => [s.geo?.city, s.geo?.country].filter(Boolean).join(', ');
const thousands = (n: number) => Math.round(n).toLocaleString('en-US');

function duration(minutes: number): string {
  if (minutes < 60) return `${Math.round(minutes)} min`;
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** "5,863 km in 2 h: 2,932 km/h (over 900 km/h)", from the verdict's own travel facts when O9 computed them. */
function travelText(f: OktaFacts, a: Located, b: Located): string {
  const ms = Math.abs(Date.parse(b.sign_in) - Date.parse(a.sign_in));
  const km = f.travel?.distance_km ?? Math.round(distanceKm(a.geo, b.geo));
  const minutes = f.travel?.minutes_between ?? Math.round(ms / 60_000);
  const kmh = f.travel ? f.travel.speed_kmh : speedKmh(km, ms);
  const speed = kmh === null || !Number.isFinite(kmh) ? 'instantaneous' : `${thousands(kmh)} km/h`;
  const verdict = kmh !== null && Number.isFinite(kmh) && kmh <= MAX_PLAUSIBLE_KMH ? 'plausible' : `over ${MAX_PLAUSIBLE_KMH} km/h`;
  // No arrow: Open Sans has none.
  return `${thousands(km)} km in ${duration(minutes)}: ${speed} (${verdict})`;
}

/** The world, or the region around two nearby sign-ins (never across the antimeridian). */
function projectionFor(points: Located[]): { projection: GeoProjection; world: boolean } {
  const extent: [[number, number], [number, number]] = [
    [MAP.x, MAP.y],
    [MAP.x + MAP.width, MAP.y + MAP.height],
  ];
  const projection = geoNaturalEarth1().clipExtent(extent);
  const lons = points.map((p) => p.geo.lon);
  const lats = points.map((p) => p.geo.lat);
  const lonSpan = Math.max(...lons) - Math.min(...lons);
  const latSpan = Math.max(...lats) - Math.min(...lats);
  if (points.length === 2 && lonSpan < 60 && latSpan < 35) {
    const cx = (Math.max(...lons) + Math.min(...lons)) / 2;
    const cy = (Math.max(...lats) + Math.min(...lats)) / 2;
    const halfLon = Math.max(lonSpan * 0.9, 20);
    const halfLat = Math.max(latSpan * 0.9, 11);
    const corners: [number, number][] = [
      [cx - halfLon, Math.max(-85, cy - halfLat)],
      [cx + halfLon, Math.min(85, cy + halfLat)],
    ];
    return { projection: projection.fitExtent([[MAP.x + 20, MAP.y + 20], [MAP.x + MAP.width - 20, MAP.y + MAP.height - 20]], { type: 'MultiPoint', coordinates: corners }), world: false };
  }
  return { projection: projection.fitExtent([[MAP.x + 4, MAP.y + 4], [MAP.x + MAP.width - 4, MAP.y + MAP.height - 4]], { type: 'Sphere' }), world: true };
}

let worldPath: string | undefined;

function mapBase(projection: GeoProjection, world: boolean): Markup {
  const path = geoPath(projection).digits(1);
  // The whole-world map is the same for every picture: drawn once per process.
  const countries = world ? (worldPath ??= path(worldCountries()) ?? '') : (path(worldCountries()) ?? '');
  return group(
    { class: 'map' },
    el('rect', { x: MAP.x, y: MAP.y, width: MAP.width, height: MAP.height, fill: '#ebf4fa' }),
    world ? el('path', { d: path({ type: 'Sphere' }) ?? '', fill: '#dbeaf5' }) : ('' as Markup),
    el('path', { d: countries, fill: '#e2e8f0', stroke: '#ffffff', 'stroke-width': 0.6 }),
  );
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Inside the map, the first candidate that covers nothing placed yet (else the first candidate). */
function placeBox(w: number, h: number, candidates: Array<[number, number]>, taken: Box[]): Box {
  const boxes = candidates.map(([x, y]) => ({
    x: Math.min(Math.max(x, MAP.x + 4), MAP.x + MAP.width - w - 4),
    y: Math.min(Math.max(y, MAP.y + 4), MAP.y + MAP.height - h - 4),
    w,
    h,
  }));
  const free = boxes.find((b) => !taken.some((t) => overlaps(b, t))) ?? boxes[0]!;
  taken.push(free);
  return free;
}

/** How a session's role reads (docs/flows.md, O2: the sign-in *in question* and the *reference*). */
const ROLE_TEXT: Record<Role, string> = { mystery: 'in question', reference: 'reference', plain: '' };
/** Characters a label line holds, and the lines one fact may take (a company IP's reason is a sentence). */
const LABEL_WIDTH = 60;
const LINES_PER_FACT = 3;

function sessionLines(name: 'A' | 'B', s: Located, role: Role): string[] {
  const network = [s.is_proxy ? 'proxy/anonymizer' : '', s.as_organization ? `AS ${s.as_organization}` : ''].filter(Boolean).join(' · ');
  const facts = [
    `${place(s) || 'place unknown'} · ${stamp(new Date(s.sign_in))}`,
    ...(s.known_company_ip ? [`company IP: ${s.known_company_ip}`] : []),
    ...(network ? [network] : []),
  ];
  // Wrapped, never cut short: the reason an address is known is what the analyst reads the label for.
  return [cutText(`${name} · ${s.ip}${role === 'plain' ? '' : ` · ${ROLE_TEXT[role]}`}`, LABEL_WIDTH), ...facts.flatMap((l) => wrapText(l, LABEL_WIDTH, LINES_PER_FACT))];
}

function sessionMark(name: 'A' | 'B', s: Located, role: Role, [px, py]: [number, number], box: Box, lines: string[]): Markup {
  const colour = COLOUR[role];
  return group(
    { class: `session session-${name}`, 'data-ip': cutText(s.ip, 64), 'data-role': role, 'data-company': s.known_company_ip ? 'yes' : 'no' },
    title(`${name}: ${s.ip}, ${place(s)}, ${stamp(new Date(s.sign_in))}`),
    s.known_company_ip ? el('rect', { x: px - 11, y: py - 11, width: 22, height: 22, fill: 'none', stroke: COLOUR.company, 'stroke-width': 3, class: 'company' }) : ('' as Markup),
    el('circle', { cx: px, cy: py, r: 7, fill: colour, stroke: '#fff', 'stroke-width': 2 }),
    el('rect', { x: box.x, y: box.y, width: box.w, height: box.h, rx: 4, fill: '#ffffff', 'fill-opacity': 0.9, stroke: colour }),
    ...lines.map((l, i) => text(box.x + 8, box.y + 17 + i * 16, l, { 'font-size': 12, fill: i === 0 ? colour : INK, 'font-weight': i === 0 ? 'bold' : undefined }, 61)),
  );
}

export function oktaPicture({ verdict, label }: FlowPictureInput<OktaVerdict>): FlowDrawing {
  const f = verdict.facts;
  const sessions = ([['A', f.session_a], ['B', f.session_b]] as const).filter((e): e is readonly ['A' | 'B', Located] => located(e[1]));
  if (sessions.length === 0) {
    return { nothing: f.session_a || f.session_b ? 'no geolocation for the sessions' : (f.source_error ?? 'no session found') };
  }
  const mystery = mysteryOf(verdict);
  const roleOf = (name: 'A' | 'B'): Role => (mystery === undefined ? 'plain' : mystery === name ? 'mystery' : 'reference');
  const { projection, world } = projectionFor(sessions.map(([, s]) => s));
  const points = sessions.map(([, s]): [number, number] => projection([s.geo.lon, s.geo.lat]) ?? [MAP.x, MAP.y]);
  // Labels go where they cover neither point nor each other: the points first, then each session's box.
  const taken: Box[] = points.map(([px, py]) => ({ x: px - 12, y: py - 12, w: 24, h: 24 }));
  const marks = sessions.map(([name, s], i) => {
    const lines = sessionLines(name, s, roleOf(name));
    const w = Math.max(...lines.map((l) => textWidth(l, 12))) + 16;
    const h = lines.length * 16 + 8;
    const [px, py] = points[i]!;
    const box = placeBox(w, h, [[px + 14, py - h - 8], [px + 14, py + 8], [px - 14 - w, py - h - 8], [px - 14 - w, py + 8], [px + 14, py - h / 2], [px - 14 - w, py - h / 2]], taken);
    return sessionMark(name, s, roleOf(name), points[i]!, box, lines);
  });

  const parts: Markup[] = [mapBase(projection, world)];
  let travel: string | undefined;
  if (sessions.length === 2) {
    const [[, a], [, b]] = sessions as [readonly ['A' | 'B', Located], readonly ['A' | 'B', Located]];
    const path = geoPath(projection).digits(1);
    travel = travelText(f, a, b);
    const mid = geoInterpolate([a.geo.lon, a.geo.lat], [b.geo.lon, b.geo.lat])(0.5);
    const [mx, my] = projection(mid) ?? [MAP.x + MAP.width / 2, MAP.y + MAP.height / 2];
    const w = textWidth(travel, 13) * 1.08 + 16;
    // Beside the arc's middle: centred, then to either side, above before below; a corner when all are covered.
    const spots: Array<[number, number]> = [];
    for (const dy of [-36, 12, -66, 42]) spots.push([mx - w / 2, my + dy], [mx - w - 10, my + dy], [mx + 10, my + dy]);
    const label = placeBox(w, 24, [...spots, [MAP.x + 8, MAP.y + MAP.height - 32]], taken);
    parts.push(
      group(
        { class: 'travel' },
        el('path', { d: path({ type: 'LineString', coordinates: [[a.geo.lon, a.geo.lat], [b.geo.lon, b.geo.lat]] }) ?? '', fill: 'none', stroke: COLOUR.arc, 'stroke-width': 2.5, 'stroke-dasharray': '8 5', class: 'great-circle' }),
        el('rect', { x: label.x, y: label.y, width: label.w, height: label.h, rx: 4, fill: '#1a202c', 'fill-opacity': 0.88 }),
        text(label.x + 8, label.y + 17, travel, { 'font-size': 13, fill: '#ffffff', 'font-weight': 'bold', class: 'travel-label' }),
      ),
    );
  }
  parts.push(...marks);

  const legendY = MAP.y + MAP.height + 24;
  const key = legend(MARGIN, legendY, [
    ...(mystery ? [
      { swatch: el('circle', { cx: 6, cy: 0, r: 6, fill: COLOUR.mystery }), label: 'sign-in in question' },
      { swatch: el('circle', { cx: 6, cy: 0, r: 6, fill: COLOUR.reference }), label: 'reference sign-in' },
    ] : [{ swatch: el('circle', { cx: 6, cy: 0, r: 6, fill: COLOUR.plain }), label: 'session' }]),
    { swatch: el('rect', { x: 0, y: -6, width: 12, height: 12, fill: 'none', stroke: COLOUR.company, 'stroke-width': 2.5 }), label: 'known company IP' },
    { swatch: el('line', { x1: 0, x2: 14, y1: 0, y2: 0, stroke: COLOUR.arc, 'stroke-width': 2.5, 'stroke-dasharray': '5 3' }), label: 'great circle' },
  ]);
  const missing = ([['A', f.session_a], ['B', f.session_b]] as const).filter(([, s]) => s !== null && s.geo === null).map(([n, s]) => `${n} ${s!.ip}: no geolocation, not on the map.`);
  const who = f.user.login ?? f.user.id ?? 'unknown user';
  const notes = [`User ${who}${travel ? ` · ${travel}` : ''}`, ...missing, 'Map: Natural Earth (world-atlas 1:110m).'];
  const notesY = legendY + 30;
  const height = notesY + notes.length * NOTE_LINE + 12;
  const svg = svgDocument(
    WIDTH,
    height,
    title(`${verdict.flow} ${verdict.verdict}: sign-ins of ${who}`),
    el('rect', { width: WIDTH, height, fill: '#fff' }),
    header(verdict, label, verdict.summary),
    ...parts,
    key,
    footnotes(notesY, notes),
  );
  const alt = `Map of the sign-ins of ${cutText(who, 80)}: ${sessions.map(([n, s]) => `${n} ${cutText(s.ip, 45)} ${cutText(place(s), 60)}`).join('; ')}${travel ? `; ${travel}` : ''}`;
  return { svg, alt };
}
