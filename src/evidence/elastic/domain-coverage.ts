// Whether the network events carry a name's registered domain beside the name. The e-mail flow searches domains
// by their registered domain (a term), and only a name without one needs the costly subdomain wildcard; asking
// "does any event of this window lack it?" per investigation visits every network event of the window when none
// does (the benchmark's largest Elasticsearch cost of an e-mail alert). Whether events carry it is a property of
// the ingest pipeline, not of one event, so it is asked here off the investigations' path, for the last 62 days,
// and refreshed; an investigation whose window that check covers, while fresh, skips its own probes when no event
// lacked one. Anything else — a stale or failed check, an older window, a field some events lack — probes per
// investigation as before. Events stored since the check (or stamped shortly before it and arriving late) are
// no property the check saw: that tail of the window is always probed, a few minutes of events.
import type { Client } from '@elastic/elasticsearch';
import { DOMAIN_FIELDS } from '../domains.js';
import type { TimeWindow } from '../ports.js';
import { hasData, timeRange, type Query } from './search.js';

const DAY = 86_400_000;
/**
 * The check looks this far back: the e-mail flow's windows are T to now and the 30 days before T, and an alert
 * may be a month old (posted while the bot was down, investigated again); an older window probes for itself.
 */
const HORIZON_MS = 62 * DAY;
/** Events stamped before a check may reach the index after it (shipper and pipeline lag): the tail reaches back this far. */
export const LATE_ARRIVAL_MS = 15 * 60_000;

/** Network/DNS events that lack a name's registered domain, per name field. */
export const lacking = (f: (typeof DOMAIN_FIELDS)[number]): Query => ({ bool: { filter: [{ exists: { field: f.name } }], must_not: [{ exists: { field: f.registered } }] } });

interface Coverage {
  /** The check's window start and end (ms). */
  from: number;
  to: number;
  /** When it was answered (ms, wall clock: its age). */
  checkedAt: number;
  /** How long the answer stands: twice the refresh period. */
  maxAgeMs: number;
  /** Per DOMAIN_FIELDS: some event of the window lacked the registered domain. */
  lacking: boolean[];
}

const coverages = new WeakMap<Client, Map<string, Coverage>>();

async function check(es: Client, index: string, now: number, maxAgeMs: number): Promise<void> {
  const window = { from: new Date(now - HORIZON_MS), to: new Date(now) };
  const lacks = await Promise.all(DOMAIN_FIELDS.map((f) => hasData(es, index, { bool: { filter: [timeRange(window), lacking(f)] } })));
  const byIndex = coverages.get(es) ?? new Map<string, Coverage>();
  byIndex.set(index, { from: window.from.getTime(), to: now, checkedAt: Date.now(), maxAgeMs, lacking: lacks });
  coverages.set(es, byIndex);
}

/**
 * True when a fresh check covering the window's start found no network event lacking a registered domain in any
 * name field: the window's own probes can be skipped. Otherwise (no check, a stale one, an older window) false.
 */
export function noEventLacksRegisteredDomain(es: Client, index: string, window: TimeWindow, now = Date.now()): boolean {
  const c = coverages.get(es)?.get(index);
  if (!c || now - c.checkedAt > c.maxAgeMs || window.from.getTime() < c.from) return false;
  return c.lacking.every((l) => !l);
}

/**
 * The part of the window a search must still probe for events lacking a registered domain: all of it without a
 * fresh covering check that found none; else only its tail from LATE_ARRIVAL_MS before the check; undefined when
 * the check covers it whole.
 */
export function windowToProbe(es: Client, index: string, window: TimeWindow, now = Date.now()): TimeWindow | undefined {
  if (!noEventLacksRegisteredDomain(es, index, window, now)) return window;
  const tailFrom = coverages.get(es)!.get(index)!.to - LATE_ARRIVAL_MS;
  if (window.to.getTime() <= tailFrom) return undefined;
  return { from: new Date(Math.max(tailFrom, window.from.getTime())), to: window.to };
}

/**
 * Asks now and every `everyMs` (timer unref'd); a failed check leaves the last answer to age out. `now` is the
 * investigations' clock (the engine's), so the checked 62 days are the ones their windows fall in.
 */
export function keepDomainCoverageFresh(es: Client, index: string, everyMs: number, onError?: (err: unknown) => void, now: () => number = Date.now): { ready: Promise<void>; stop: () => void } {
  const run = () => check(es, index, now(), 2 * everyMs).catch((err: unknown) => onError?.(err));
  const ready = run();
  const timer = setInterval(() => void run(), everyMs);
  timer.unref();
  return { ready, stop: () => clearInterval(timer) };
}
