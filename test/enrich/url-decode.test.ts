// URLs as Elastic's urldecode processor (Java's URLDecoder) stores them: Proofpoint's url.full.
import { describe, expect, it } from 'vitest';
import { sameDecodedUrl, urlDecodedLikeElastic, withDecodedSpellings } from '../../src/enrich/url-decode.js';

describe('urlDecodedLikeElastic', () => {
  it('decodes %XX escapes as UTF-8 and "+" as a space', () => {
    expect(urlDecodedLikeElastic('https://a.test/verify?u=bob%40example.com&lang=en+GB')).toBe('https://a.test/verify?u=bob@example.com&lang=en GB');
    expect(urlDecodedLikeElastic('https://a.test/caf%C3%A9%2Fmenu')).toBe('https://a.test/café/menu');
  });

  it('replaces bytes that are no UTF-8 with U+FFFD, as Java does', () => {
    expect(urlDecodedLikeElastic('https://a.test/%FF')).toBe('https://a.test/\uFFFD');
  });

  it('refuses a broken escape, as Java throws on it', () => {
    expect(urlDecodedLikeElastic('https://a.test/100%')).toBeUndefined();
    expect(urlDecodedLikeElastic('https://a.test/%zz')).toBeUndefined();
  });

  it('adds the decoded form of each spelling, once', () => {
    expect(withDecodedSpellings(['https://a.test/x?q=a+b', 'https://a.test/y', 'https://a.test/100%'])).toEqual(['https://a.test/x?q=a+b', 'https://a.test/x?q=a b', 'https://a.test/y', 'https://a.test/100%']);
  });
});

describe('sameDecodedUrl', () => {
  it('matches the indicator as written or as the pipeline decoded it, path case kept', () => {
    expect(sameDecodedUrl('https://Login.Evil.test/v?u=bob%40x.test', 'https://login.evil.test/v?u=bob@x.test')).toBe(true);
    expect(sameDecodedUrl('https://login.evil.test/v?u=bob%40x.test', 'https://login.evil.test/v?u=bob%40x.test')).toBe(true);
    expect(sameDecodedUrl('https://login.evil.test/V?u=bob%40x.test', 'https://login.evil.test/v?u=bob@x.test')).toBe(false);
    expect(sameDecodedUrl('https://login.evil.test/v?u=alice%40x.test', 'https://login.evil.test/v?u=bob@x.test')).toBe(false);
  });
});
