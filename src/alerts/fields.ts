// Field readers for alert objects: each names the field it rejects and why.
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
  patternHint?: string;
}

/** An identifier-like string: no controls, bounded, optionally matching a pattern. */
export function token(value: unknown, field: string, rules: TokenRules = {}): string {
  if (typeof value === 'number' && Number.isFinite(value)) value = String(value);
  if (typeof value !== 'string') throw new AlertParseError(field, `expected a string, got ${describe(value)}`);
  const v = value.trim();
  if (v === '') throw new AlertParseError(field, 'is empty');
  const max = rules.max ?? MAX_ID;
  if (v.length > max) throw new AlertParseError(field, `longer than ${max} characters`);
  if (CONTROL_ANY.test(v)) throw new AlertParseError(field, 'contains control characters');
  if (rules.pattern && !rules.pattern.test(v)) throw new AlertParseError(field, `is not ${rules.patternHint ?? 'well-formed'}`);
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

/** A time as ISO 8601 text or epoch milliseconds. */
export function timeValue(value: unknown, field: string): Date {
  if (value === undefined || value === null || value === '') throw new AlertParseError(field, 'missing');
  let d: Date;
  if (typeof value === 'number') d = new Date(value);
  else if (typeof value === 'string') {
    if (value.length > 64) throw new AlertParseError(field, 'is not a time');
    d = /^\d{10,13}$/.test(value) ? new Date(Number(value) * (value.length === 10 ? 1000 : 1)) : new Date(value);
  } else throw new AlertParseError(field, `expected an ISO 8601 time, got ${describe(value)}`);
  if (Number.isNaN(d.getTime())) throw new AlertParseError(field, 'is not a valid time (use ISO 8601, e.g. 2026-01-31T12:00:00Z)');
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

export const IP_PATTERN = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*)$/;
export const ipRules: TokenRules = { max: 64, pattern: IP_PATTERN, patternHint: 'an IP address' };
