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

/** {"a.b": 1} and {"a": {"b": 1}} become the same nested object. */
export function expandDots(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(expandDots);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, raw] of Object.entries(value)) {
    const v = expandDots(raw);
    const parts = key.split('.');
    let cur = out;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) {
        const existing = cur[part];
        cur[part] = isObject(existing) && isObject(v) ? { ...existing, ...v } : v;
      } else {
        const next = cur[part];
        if (!isObject(next)) cur[part] = {};
        cur = cur[part] as JsonObject;
      }
    });
  }
  return out;
}
