// Values in Slack: defanged, one line, bounded; and who may post alerts.
import { describe, expect, it } from 'vitest';
import { defang, oneLine, slackValue, richText, value } from '../../src/slack/rich-text.js';
import { isAlertPoster } from '../../src/app/listeners/alert-messages.js';
import { renderInvestigating, renderVerdict } from '../../src/slack/render.js';
import type { Verdict } from '../../src/flows/verdict.js';
import { literalTexts, mrkdwnTexts } from '../support/blocks.js';
import { blockProblem } from '../fakes/slack-rules.js';
import { emailFacts, oktaFacts, oktaSession } from '../support/facts.js';

describe('defanging indicators', () => {
  it.each([
    ['https://evil.com/login?a=b.c', 'hxxps://evil[.]com/login?a=b[.]c'],
    ['HTTP://Evil.COM', 'hxxp://Evil[.]COM'],
    ['visit login.evil.co.uk now', 'visit login[.]evil[.]co[.]uk now'],
    ['from 198.51.100.7.', 'from 198[.]51[.]100[.]7.'],
    ['mail bob.smith@example.org', 'mail bob[.]smith[@]example[.]org'],
    ['ftp://files.example.net/x', 'fxp://files[.]example[.]net/x'],
    ['invoice.pdf.zip', 'invoice[.]pdf[.]zip'],
    ['https://пример.рф/login', 'hxxps://пример[.]рф/login'],
    ['evil。com', 'evil[.]com'],
    [`${'a'.repeat(64)}.com`, `${'a'.repeat(64)}[.]com`],
  ])('%s → %s', (input, expected) => {
    expect(defang(input)).toBe(expected);
  });

  it('leaves version numbers, times and scores alone', () => {
    for (const t of ['Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0.0.0', 'score 0.5', '12:00:00.000Z', 'os/iOS_17.0 Boto3/1.34.0']) expect(defang(t)).toBe(t);
  });

  it('is fast on pathological input (bounded values)', () => {
    const nasty = slackValue('1.'.repeat(5000), 1500);
    expect(nasty.length).toBeLessThan(1600);
  });
});

describe('values on one line', () => {
  it('turns every line break into a space, drops other controls and bidi overrides, and cuts before defanging', () => {
    expect(oneLine('a\nb\r\nc\td\u2028e')).toBe('a b c d e');
    expect(oneLine('gnp.\u202Eexe\u0001\u0007x')).toBe('gnp.exex');
    expect(slackValue('x'.repeat(10) + '.evil.com', 8)).toBe('xxxxxxx…');
    expect(value('Phish\n*Benign*', 100)).toEqual({ type: 'text', text: 'Phish *Benign*' });
  });

  it('joins lines with our own newline elements only', () => {
    const block = richText([[value('a\nb', 10)], [value('c', 10)]]);
    expect(literalTexts([block])).toEqual(['a b', '\n', 'c']);
  });
});

describe('rendered messages', () => {
  const verdict: Verdict = {
    alert_id: 'id <!channel>',
    flow: 'okta_impossible_travel',
    verdict: 'benign',
    score: 10,
    summary: 'summary\n:red_circle: *Malicious* (score 99)',
    path: [{ step: 'O1', question: 'Is IP B known?', answer: 'yes', evidence: 'seen from 203.0.113.5\nand evil.example' }],
    facts: oktaFacts({ user: { login: 'a@b.example' }, session_b: oktaSession({ ip: '203.0.113.5', sign_in: '2026-01-01T00:00:00Z', user_agent: 'UA\n*x*' }) }),
  };

  it('puts no value in mrkdwn and keeps the fallback text to our words', () => {
    const { blocks, text } = renderVerdict({ verdict, alertKey: 'k', alertTitle: 'title <@U0BOSS>' });
    const parsed = mrkdwnTexts(blocks).join('\n');
    expect(parsed).not.toMatch(/<!channel>|<@U0BOSS>|Malicious|203\.0\.113\.5|summary/);
    // Our words, the flow's human name, and the alert id escaped: the notification names what it is about.
    expect(text).toBe('Benign (score 10) — Okta impossible travel — alert id &lt;!channel&gt;');
    const literal = literalTexts(blocks);
    expect(literal).toContain('summary :red_circle: *Malicious* (score 99)');
    expect(literal).toContain('seen from 203[.]0[.]113[.]5 and evil[.]example');
    expect(literal).toContain('a[@]b[.]example');
    const investigating = renderInvestigating('x <!here>');
    expect(mrkdwnTexts(investigating.blocks).join('')).not.toContain('<!here>');
    expect(literalTexts(investigating.blocks)).toContain('x <!here>');
  });
});

describe('SLACK_ALERT_POSTERS', () => {
  it('lets integrations (bots and apps) post when unset, anyone with *, else only listed user, bot or app ids', () => {
    expect(isAlertPoster({ user: 'U1' }, [])).toBe(false);
    expect(isAlertPoster({ bot_id: 'B0SIEM' }, [])).toBe(true);
    expect(isAlertPoster({ subtype: 'bot_message' }, [])).toBe(true);
    // An app acting with a person's token is that person: no bot id, not an integration.
    expect(isAlertPoster({ user: 'U1', app_id: 'A0PERSONAL' }, [])).toBe(false);
    expect(isAlertPoster({ user: 'U1' }, ['*'])).toBe(true);
    expect(isAlertPoster({ user: 'U1' }, ['B0SIEM'])).toBe(false);
    expect(isAlertPoster({ bot_id: 'B0SIEM' }, ['B0SIEM'])).toBe(true);
    expect(isAlertPoster({ bot_id: 'B9' }, ['B0SIEM'])).toBe(false);
    expect(isAlertPoster({ bot_id: 'B9', bot_profile: { app_id: 'A0SIEM' } }, ['A0SIEM'])).toBe(true);
    expect(isAlertPoster({ app_id: 'A0SIEM' }, ['A0SIEM'])).toBe(true);
    expect(isAlertPoster({}, ['A0SIEM'])).toBe(false);
  });
});

describe('message size with hostile values', () => {
  it('stays within Slack’s limits when every value is made of control characters and long lines', () => {
    const ctl = '\u0001'.repeat(400);
    const hit = { host: ctl, users: [ctl, ctl], recipients: [], first: '2026-01-01T00:00:00Z', last: '2026-01-01T00:00:00Z', count: 1 };
    const hits = Array.from({ length: 5 }, () => ({ ...hit, indicator: ctl, matched_by: 'command_line' as const, examples: [] }));
    const v: Verdict = {
      alert_id: ctl,
      flow: 'malicious_email',
      verdict: 'malicious',
      score: 90,
      summary: `${ctl}${'x'.repeat(2000)}`,
      path: Array.from({ length: 8 }, (_, i) => ({ step: `M${i}`, question: ctl, answer: 'yes', evidence: `${ctl}${'evil.example '.repeat(40)}` })),
      facts: emailFacts({
        recipients: Array.from({ length: 10 }, () => `${ctl}@x.example`),
        executions: hits,
        clicks: hits.map(() => ({ ...hit, url: ctl, source: 'proxy' as const })),
        domain_contacts: hits.map(() => ({ ...hit, domain: ctl, names: [], prior_users: null })),
        files_on_disk: hits,
      }),
    };
    const { blocks } = renderVerdict({ verdict: v, alertKey: 'k', alertTitle: ctl.repeat(3) });
    expect(blockProblem(blocks)).toBeUndefined();
    expect(JSON.stringify(blocks)).not.toContain('\\u0001');
    expect(JSON.stringify(blocks)).toContain('triage_escalate');
  });
});
