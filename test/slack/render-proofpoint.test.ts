// Proofpoint TAP clicks in a verdict's key facts: who clicked, via Proofpoint, from where (no host), and blocked ones apart.
import { describe, expect, it } from 'vitest';
import { renderVerdict } from '../../src/slack/render.js';
import type { Verdict } from '../../src/flows/verdict.js';
import { shownText } from '../support/blocks.js';
import { emailFacts } from '../support/facts.js';

const click = (users: string[], ip: string, first: string) => ({ url: 'https://login.evil.test/x', source: 'proofpoint_tap' as const, click_ips: [ip], classifications: ['phish'], host: null, users, recipients: users, first, last: first, count: 1 });

describe('key facts of a verdict with Proofpoint TAP clicks', () => {
  it('names the recipient and the address a click came from, and lists blocked clicks apart', () => {
    const v: Verdict = {
      alert_id: 'mail-1',
      flow: 'malicious_email',
      verdict: 'malicious',
      score: 90,
      summary: 'The link was clicked: bob@example.com (Proofpoint TAP).',
      path: [{ step: 'M2', question: 'Was the link clicked?', answer: 'yes', evidence: 'a permitted Proofpoint TAP click' }],
      facts: emailFacts({
        clicks: [click(['bob@example.com'], '198.51.100.23', '2026-10-01T08:20:00.000Z')],
        blocked_clicks: [click(['frank@example.com'], '198.51.100.64', '2026-10-01T09:30:00.000Z')],
      }),
    };
    const shown = shownText(renderVerdict({ verdict: v, alertKey: 'k' }).blocks);
    expect(shown).toContain('clicks: bob[@]example[.]com via Proofpoint TAP from 198[.]51[.]100[.]23 at 2026-10-01T08:20:00.000Z');
    expect(shown).toContain('blocked clicks: frank[@]example[.]com via Proofpoint TAP from 198[.]51[.]100[.]64 at 2026-10-01T09:30:00.000Z');
  });
});
