// URLs as Elastic's `urldecode` ingest processor stores them. The proofpoint_tap pipelines write
// `url.full` through it (Java's URLDecoder, UTF-8): "+" becomes a space and %XX sequences their
// characters, so a clicked URL is logged decoded and an indicator must be compared in that form too.
import { sameUrl } from './url.js';

const utf8 = new TextDecoder('utf-8');
const HEX = /^[0-9a-fA-F]{2}$/;

/** The URL decoded as `URLDecoder.decode(s, UTF_8)` does; undefined where Java refuses it (a broken % escape). */
export function urlDecodedLikeElastic(s: string): string | undefined {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '+') {
      out += ' ';
      i++;
    } else if (c === '%') {
      // Consecutive escapes are one byte sequence (a multi-byte UTF-8 character); malformed bytes become U+FFFD.
      const bytes: number[] = [];
      while (i < s.length && s[i] === '%') {
        const hex = s.slice(i + 1, i + 3);
        if (!HEX.test(hex)) return undefined;
        bytes.push(Number.parseInt(hex, 16));
        i += 3;
      }
      out += utf8.decode(new Uint8Array(bytes));
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The spellings and their decoded forms: a search over url.full as a urldecode processor wrote it. */
export function withDecodedSpellings(spellings: string[]): string[] {
  return [...new Set(spellings.flatMap((s) => [s, urlDecodedLikeElastic(s) ?? s]))];
}

/** The same URL as flows.md defines it (sameUrl), the indicator read as written or as the pipeline decodes it. */
export function sameDecodedUrl(indicator: string, logged: string): boolean {
  if (sameUrl(indicator, logged)) return true;
  const decoded = urlDecodedLikeElastic(indicator);
  return decoded !== undefined && decoded !== indicator && sameUrl(decoded, logged);
}
