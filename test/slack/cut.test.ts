// cut() shortens attacker-controlled text for Slack without producing broken characters.
import { describe, expect, it } from 'vitest';
import { cut } from '../../src/slack/escape.js';

/** True when every surrogate in the text belongs to a pair (the text is well-formed UTF-16). */
function wellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

describe('cut', () => {
  it('never splits a surrogate pair', () => {
    const text = 'ab😀😀😀😀';
    for (let max = 2; max <= text.length; max++) {
      const out = cut(text, max);
      expect(out.length, `max ${max}`).toBeLessThanOrEqual(max);
      expect(wellFormed(out), `max ${max}: ${JSON.stringify(out)}`).toBe(true);
    }
    expect(cut('ab😀cd', 4)).toBe('ab…');
    expect(cut('ab😀cd', 5)).toBe('ab😀…');
  });

  it('still keeps whole escape sequences and short text unchanged', () => {
    expect(cut('abc&amp;def', 6)).toBe('abc…');
    expect(cut('😀', 2)).toBe('😀');
  });
});
