// Finding the alert JSON in a message costs time linear in the message.
import { describe, expect, it } from 'vitest';
import { alertCandidate } from '../../src/app/intake.js';

/** Fastest of several runs of `rounds` calls, in milliseconds: the least noisy estimate of the cost. */
function fastest(text: string, rounds: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 5; run++) {
    const start = performance.now();
    for (let i = 0; i < rounds; i++) alertCandidate(text);
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

describe('code fences', () => {
  it('reads the same fences as before', () => {
    expect(alertCandidate('New alert:\n```json\n{"a":1}\n``` thanks')).toBe('{"a":1}');
    expect(alertCandidate('```{"a":1}```')).toBe('{"a":1}');
    expect(alertCandidate('```json{"a":1}```')).toBe('{"a":1}');
    expect(alertCandidate('before {"outside":1} ```\n{"inside":2}\n``` after {"later":3}')).toBe('{"inside":2}');
    expect(alertCandidate('two ```{"first":1}``` and ```{"second":2}```')).toBe('{"first":1}');
    // An unclosed fence is no fence: the braces in the whole text count.
    expect(alertCandidate('```json {"a":1}')).toBe('{"a":1}');
    expect(alertCandidate('````{"a":1}```')).toBe('{"a":1}');
    expect(alertCandidate('``` ```{"a":1}')).toBeUndefined();
    expect(alertCandidate('&lt;b&gt; ```{"u":"<https://x.test/a|x.test/a>"}```')).toBe('{"u":"https://x.test/a"}');
  });

  it('scans an unclosed fence followed by whitespace in linear time', () => {
    // The old regex backtracked: ``` + 40 000 spaces took 0.8 s. Growing the input 8× must not cost ~64×.
    const small = `\`\`\`${' '.repeat(2_000)}`;
    const large = `\`\`\`${' '.repeat(16_000)}`;
    // Enough calls that the small input takes a measurable time (a few ms), whatever the machine.
    let rounds = 1;
    while (rounds < 100_000 && fastest(small, rounds) < 3) rounds *= 4;
    const ratio = fastest(large, rounds) / fastest(small, rounds);
    expect(ratio).toBeLessThan(30);
  });
});
