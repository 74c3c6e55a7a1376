import { describe, expect, it } from 'vitest';
import { alertCandidate, readAlertText } from '../../src/app/intake.js';
import { cut, escapeSlack, safe, slackTextToPlain } from '../../src/slack/escape.js';
import { renderVerdict } from '../../src/slack/render.js';
import type { Verdict } from '../../src/flows/verdict.js';
import { mrkdwnTexts } from '../support/blocks.js';
import { blockProblem } from '../fakes/slack-rules.js';
import { fixture, fixtureText } from '../support/fixtures.js';
import { emailFacts } from '../support/facts.js';

describe('reading alerts out of Slack message text', () => {
  it('undoes Slack link markup and entity escaping before parsing', () => {
    const text =
      '```{"id":"e-1","type":"email.malicious","time":"2026-11-01T08:00:00Z","recipients":["<mailto:bob@example.com|bob@example.com>"],' +
      '"urls":["<https://login.evil.co.uk/a?x=1&amp;y=2|login.evil.co.uk/a?x=1&amp;y=2>"],"subject":"R&amp;D &lt;urgent&gt;"}```';
    const intake = readAlertText(alertCandidate(text));
    const alert = intake.kind === 'alerts' ? intake.alerts[0] : undefined;
    if (alert?.type !== 'email.malicious') throw new Error(`not read: ${JSON.stringify(intake)}`);
    expect(alert.urls).toEqual(['https://login.evil.co.uk/a?x=1&y=2']);
    expect(alert.recipients).toEqual(['bob@example.com']);
    expect(alert.subject).toBe('R&D <urgent>');
  });

  it('keeps typed brackets that only look like links', () => {
    expect(slackTextToPlain('&lt;https://not-a-link&gt; and <https://a.test/x|a.test/x>')).toBe('<https://not-a-link> and https://a.test/x');
  });

  it('finds JSON in a code block or in prose, and ignores text without an alert', () => {
    expect(alertCandidate('New alert:\n```json\n{"a":1}\n``` thanks')).toBe('{"a":1}');
    expect(alertCandidate('alert {"a":1} end')).toBe('{"a":1}');
    expect(alertCandidate('no braces here')).toBeUndefined();
    expect(readAlertText(alertCandidate('what is {this}?'))).toEqual({ kind: 'ignored' });
    expect(readAlertText('{"hello": "world"}')).toEqual({ kind: 'ignored' });
  });

  it('reads every alert a message carries: get-findings output, an Event Hook delivery, a JSON list in a code block', () => {
    const ids = (text: string) => {
      const intake = readAlertText(alertCandidate(text));
      return intake.kind === 'alerts' ? intake.alerts.map((a) => a.id) : intake;
    };
    expect(ids(`GuardDuty:\n\`\`\`${fixtureText('guardduty/get-findings.json')}\`\`\``)).toEqual(['5b4a3c2d1e0f9a8b7c6d5e4f3a2b1c0d', '6c5b4a3d2e1f0a9b8c7d6e5f4a3b2c1d']);
    expect(ids(fixtureText('okta-alerts/event-hook.json'))).toEqual(['f1a2b3c4-0b1c-11f1-9a01-fixture00004', 'f1a2b3c4-0b1c-11f1-9a01-fixture00006']);
    const list = JSON.stringify([fixture('cyren/incident.json'), fixture('guardduty/sample-finding.json')]);
    expect(ids(`two alerts [urgent]:\n\`\`\`json\n${list}\n\`\`\``)).toEqual(['inc-fixture-0001', '0ac6f2b1d9e84c7a8b3f5e1d2c4a6b8e']);
    // Outside a code block brackets are chatter: the first object is the candidate, as before.
    expect(alertCandidate('[prod] alert {"a":1} [end]')).toBe('{"a":1}');
    const many = JSON.stringify({ Findings: Array.from({ length: 101 }, (_, i) => ({ ...fixture('guardduty/finding-camelcase.json'), id: `f-${i}` })) });
    expect(readAlertText(many)).toEqual({ kind: 'malformed', problem: 'Findings: more than 100 alerts in one document' });
  });

  it('reports malformed alert-looking JSON with the field and the reason', () => {
    expect(readAlertText('{"id": "x", "type": "okta.superhuman", "time": "2026-01-01T00:00:00Z"}')).toEqual({ kind: 'malformed', problem: 'user_id: missing (give user_id or user_login)' });
    expect(readAlertText('{"id": "x", "type": ')).toMatchObject({ kind: 'malformed' });
  });
});

describe('escaping and limits', () => {
  it('neutralises mentions and links', () => {
    expect(escapeSlack('<!channel> <@U1> <https://x|y> & co')).toBe('&lt;!channel&gt; &lt;@U1&gt; &lt;https://x|y&gt; &amp; co');
  });

  it('never cuts inside an escape sequence', () => {
    expect(cut('abc&amp;def', 6)).toBe('abc…');
    expect(safe('x'.repeat(50), 10)).toHaveLength(10);
  });

  it('keeps a verdict with a huge path within Slack’s block limits', () => {
    const v: Verdict = {
      alert_id: 'a'.repeat(5000),
      flow: 'malicious_email',
      verdict: 'malicious',
      score: 90,
      summary: '<!everyone> '.repeat(1000),
      path: Array.from({ length: 200 }, (_, i) => ({ step: `M${i}`, question: 'q'.repeat(500), answer: 'yes', evidence: '<@U1> '.repeat(300) })),
      facts: emailFacts(),
    };
    const { blocks, text } = renderVerdict({ verdict: v, alertKey: 'k'.repeat(32) });
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(blocks.at(-1)!['type']).toBe('actions');
    expect(JSON.stringify(blocks)).toContain('more step(s) of the decision path');
    // What Slack itself would refuse (the fake's rules): over 50 blocks, 3000 a section, 12 000 in all.
    expect(blockProblem(blocks)).toBeUndefined();
    expect(JSON.stringify(blocks).length).toBeLessThanOrEqual(12_000);
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(mrkdwnTexts(blocks).join('\n')).not.toMatch(/<!everyone>|<@U1>/);
  });
});
