// Safe decoding of attacker-controlled JSON: size and depth are capped before parsing.
import { AlertParseError } from './types.js';

export const MAX_ALERT_BYTES = 1024 * 1024;
export const MAX_JSON_DEPTH = 32;

export type JsonObject = { [key: string]: unknown };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Nesting depth of a JSON text, counted without parsing (strings skipped). */
function maxDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth++;
      if (depth > max) max = depth;
      if (max > limit) return max;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

export function decodeJson(text: string): unknown {
  if (Buffer.byteLength(text, 'utf8') > MAX_ALERT_BYTES) {
    throw new AlertParseError('(input)', `larger than ${MAX_ALERT_BYTES} bytes`);
  }
  if (maxDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new AlertParseError('(input)', `nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new AlertParseError('(input)', `not valid JSON (${(err as Error).message.slice(0, 120)})`);
  }
}

/** Key path segments that lead into a prototype instead of data: never followed, never created. */
const UNSAFE_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isUnsafeSegment(segment: string): boolean {
  return UNSAFE_SEGMENTS.has(segment);
}

/** An object's own property, never an inherited one (and never through a prototype-reaching key). */
export function ownValue(obj: JsonObject, key: string): unknown {
  return !isUnsafeSegment(key) && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** Total keys (dotted segments included) one expansion may create: bounds the work one alert can cost. */
export const MAX_EXPANDED_KEYS = 10_000;

/** Keys one alert's expansion may still create (each item of a multi-alert document gets its own). */
export class KeyBudget {
  private remaining: number;

  constructor(readonly max = MAX_EXPANDED_KEYS) {
    this.remaining = max;
  }

  spend(n: number): void {
    this.remaining -= n;
    if (this.remaining < 0) throw new AlertParseError('(input)', `more than ${this.max} keys`);
  }
}

function emptyObject(): JsonObject {
  return Object.create(null) as JsonObject;
}

/** Deep merge of two expanded (prototype-less) objects: {"kibana.alert.uuid"} beside {"kibana": {"alert": {…}}} keeps both. */
function mergeInto(target: JsonObject, source: JsonObject): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = Object.hasOwn(target, key) ? target[key] : undefined;
    if (isObject(existing) && isObject(value)) mergeInto(existing, value);
    else target[key] = value;
  }
}

/**
 * {"a.b": 1} and {"a": {"b": 1}} become the same nested object, built from prototype-less
 * objects. Keys with a __proto__, constructor or prototype segment are dropped. Beyond
 * the budget (a number of keys, or a shared KeyBudget; each dotted segment counts) an
 * AlertParseError is thrown.
 */
export function expandDots(value: unknown, budget: number | KeyBudget = Number.POSITIVE_INFINITY): unknown {
  const keys = typeof budget === 'number' ? new KeyBudget(budget) : budget;
  const expand = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(expand);
    if (!isObject(v)) return v;
    const out = emptyObject();
    for (const [key, raw] of Object.entries(v)) {
      const parts = key.split('.');
      keys.spend(parts.length);
      if (parts.some(isUnsafeSegment)) continue;
      const child = expand(raw);
      let cur = out;
      for (const part of parts.slice(0, -1)) {
        const next = Object.hasOwn(cur, part) ? cur[part] : undefined;
        if (isObject(next)) cur = next;
        else {
          const created = emptyObject();
          cur[part] = created;
          cur = created;
        }
      }
      const last = parts[parts.length - 1]!;
      const existing = Object.hasOwn(cur, last) ? cur[last] : undefined;
      // Both spellings of one object ({"a.b":1,"a":{"c":2}}) merge, at every depth, the later key winning per field.
      if (isObject(existing) && isObject(child)) mergeInto(existing, child);
      else cur[last] = child;
    }
    return out;
  };
  return expand(value);
}
