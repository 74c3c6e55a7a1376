// Field readers for alert objects: each names the field it rejects and why.
import { isIP } from 'node:net';
import { isObject, ownValue, type JsonObject } from './json.js';
import { AlertParseError } from './types.js';

export const MAX_TEXT = 2000;
export const MAX_ID = 256;
export const MAX_LIST = 200;

// C0/C1 controls (tab and newline kept in free text) and bidi overrides.
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
const CONTROL_ANY = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

/** The own value at a dotted path; a __proto__, constructor or prototype segment finds nothing. */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (!isObject(cur)) return undefined;
    cur = ownValue(cur, key);
  }
  return cur;
}

/** First present value among several candidate paths. */
export function firstPath(obj: unknown, paths: string[]): { path: string; value: unknown } | undefined {
  for (const path of paths) {
    const value = getPath(obj, path);
    if (value !== undefined && value !== null && value !== '') return { path, value };
  }
  return undefined;
}

/** Free text shown to analysts: controls removed, length capped. */
export function cleanText(value: string, max = MAX_TEXT): string {
  const cleaned = value.replace(CONTROL_IN_TEXT, '');
  return cleaned.length > max ? `${cleaned.slice(0, max - 1)}…` : cleaned;
}

interface TokenRules {
  max?: number;
  pattern?: RegExp;
  /** A check a pattern cannot express (e.g. a real IP address). */
  valid?: (value: string) => boolean;
  patternHint?: string;
  /** An example of a well-formed value, in our words ("e.g. ASIA…"): the error's hint. */
  patternExample?: string;
}

/** An identifier-like string (never a number: 42 and "42" are different ids): no controls, bounded, optionally well-formed. */
export function token(value: unknown, field: string, rules: TokenRules = {}): string {
  if (typeof value !== 'string') throw new AlertParseError(field, `expected a string, got ${describe(value)}`);
  const v = value.trim();
  if (v === '') throw new AlertParseError(field, 'is empty');
  const max = rules.max ?? MAX_ID;
  if (v.length > max) throw new AlertParseError(field, `longer than ${max} characters`);
  if (CONTROL_ANY.test(v)) throw new AlertParseError(field, 'contains control characters');
  if ((rules.pattern && !rules.pattern.test(v)) || (rules.valid && !rules.valid(v))) throw new AlertParseError(field, `is not ${rules.patternHint ?? 'well-formed'}`, rules.patternExample);
  return v;
}

export function optionalToken(obj: JsonObject, path: string, rules: TokenRules = {}): string | undefined {
  const value = getPath(obj, path);
  if (value === undefined || value === null || value === '') return undefined;
  return token(value, path, rules);
}

export function requiredToken(obj: JsonObject, path: string, rules: TokenRules = {}): string {
  const value = getPath(obj, path);
  if (value === undefined || value === null) throw new AlertParseError(path, 'missing');
  return token(value, path, rules);
}

export function optionalText(obj: JsonObject, path: string, max = MAX_TEXT): string | undefined {
  const value = getPath(obj, path);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') throw new AlertParseError(path, `expected a string, got ${describe(value)}`);
  return cleanText(value, max);
}

const TIME_HINT = 'use an RFC 3339 time with an offset, e.g. 2026-01-31T12:00:00Z, or epoch seconds or milliseconds as a JSON number';
// RFC 3339 date-time; a space may replace the T (boto3 prints times so). The offset is required.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
/** product.md: numeric times below 10^11 are epoch seconds, others milliseconds. */
const EPOCH_SECONDS_BELOW = 1e11;

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

function rfc3339(text: string): Date | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const [, , , , , , , fraction, sign, offsetHours, offsetMinutes] = m;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  if (sign !== undefined && (Number(offsetHours) > 23 || Number(offsetMinutes) > 59)) return undefined;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, fraction ? Number(fraction.slice(0, 3).padEnd(3, '0')) : 0);
  const offsetMs = sign === undefined ? 0 : (sign === '+' ? 1 : -1) * (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000;
  return new Date(d.getTime() - offsetMs);
}

/** A time as RFC 3339 text with an offset, or an epoch number (seconds below 10^11, else milliseconds). */
export function timeValue(value: unknown, field: string): Date {
  if (value === undefined || value === null || value === '') throw new AlertParseError(field, 'missing');
  let d: Date | undefined;
  if (typeof value === 'number') {
    d = Number.isFinite(value) && value >= 0 ? new Date(value < EPOCH_SECONDS_BELOW ? value * 1000 : value) : undefined;
  } else if (typeof value === 'string') {
    d = value.length <= 64 ? rfc3339(value) : undefined;
  } else throw new AlertParseError(field, `expected a time, got ${describe(value)}`, TIME_HINT);
  if (d === undefined || Number.isNaN(d.getTime())) throw new AlertParseError(field, 'is not a valid time', TIME_HINT);
  return d;
}

/** A list of at most `max` items: longer lists are refused (never silently cut), naming the field. */
export function cappedList(value: unknown, field: string, max = MAX_LIST): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new AlertParseError(field, `expected a list, got ${describe(value)}`);
  if (value.length > max) throw new AlertParseError(field, `more than ${max} items`);
  return value;
}

/** A list of tokens; a single string is taken as a one-item list. */
export function tokenList(value: unknown, field: string, rules: TokenRules = {}): string[] {
  if (value === undefined || value === null) return [];
  const items = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(items)) throw new AlertParseError(field, `expected a list of strings, got ${describe(value)}`);
  if (items.length > MAX_LIST) throw new AlertParseError(field, `more than ${MAX_LIST} items`);
  const out: string[] = [];
  items.forEach((item, i) => {
    const v = token(item, `${field}[${i}]`, rules);
    if (!out.includes(v)) out.push(v);
  });
  return out;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

export const ipRules: TokenRules = { max: 64, valid: (v) => isIP(v) !== 0, patternHint: 'an IP address' };

/** Runs a reader on a part of the input, naming that part in any field it rejects (`detail.`, `Findings[2].`). */
export function within<T>(prefix: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    // Whole-input limits (size, depth, key budget) are not about the part.
    if (err instanceof AlertParseError && err.field !== '(input)') throw new AlertParseError(`${prefix}${err.field}`, err.reason, err.hint);
    throw err;
  }
}
