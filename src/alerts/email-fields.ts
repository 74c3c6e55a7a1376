// Email indicators: hashes validated as hex of a known length, the rest kept as given.
import { AlertParseError } from './types.js';

export const HASH_LENGTHS: Record<number, 'md5' | 'sha1' | 'sha256'> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };

export function isHash(value: string): boolean {
  return /^[0-9a-f]+$/i.test(value) && HASH_LENGTHS[value.length] !== undefined;
}

/**
 * The spellings a hash is searched under: hex in lower case (Elastic Defend, the Sysmon pipeline) or upper case
 * (as Windows tools print it). Exact terms, where a case-insensitive one walks every segment's hash dictionary.
 */
export function hashSpellings(hash: string): string[] {
  return [...new Set([hash.toLowerCase(), hash.toUpperCase()])];
}

/**
 * URLs one e-mail alert may name. Each becomes several case-insensitive spellings in the proxy query, so a
 * sender who stuffs a message with links could make one alert cost Elasticsearch tens of seconds.
 */
export const MAX_URLS = 50;

export function emailIndicators(input: { urls: string[]; fileNames: string[]; hashes: string[] }) {
  if (input.urls.length > MAX_URLS) throw new AlertParseError('urls', `more than ${MAX_URLS} distinct URLs (a phishing alert names a few; investigate a mass mailing by its domain)`);
  input.hashes.forEach((h, i) => {
    if (!isHash(h)) throw new AlertParseError(`hashes[${i}]`, 'is not an MD5, SHA-1 or SHA-256 hex digest');
  });
  return {
    urls: input.urls,
    fileNames: input.fileNames,
    hashes: [...new Set(input.hashes.map((h) => h.toLowerCase()))],
  };
}
