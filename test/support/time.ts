/** Moves every ISO time string inside a value by `ms`. */
export function shiftTimes<T>(value: T, ms: number): T {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return new Date(new Date(value).getTime() + ms).toISOString() as T;
  if (Array.isArray(value)) return value.map((v) => shiftTimes(v, ms)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shiftTimes(v, ms)])) as T;
  return value;
}

export const DAY_MS = 24 * 3600_000;
