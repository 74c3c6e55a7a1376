// People read flows by name ("AWS stolen instance credentials"), never by id; the notification text names the
// alert and its verdict, with the alert id (attacker text) escaped and defanged like every alert value.
import { describe, expect, it } from 'vitest';
import { flowTitle, storedFlowTitle } from '../../src/flows/flow-names.js';
import { FLOWS, type FlowName, type Verdict } from '../../src/flows/verdict.js';
import { notificationText, renderVerdict } from '../../src/slack/render.js';
import { renderText } from '../../src/cli/render.js';
import { nextSteps } from '../../src/flows/next-steps.js';
import { verdictOf as anyVerdictOf } from '../support/facts.js';

const verdictOf = (flow: FlowName, alertId = 'alert-1'): Verdict =>
  anyVerdictOf(flow, {
    alert_id: alertId,
    verdict: 'malicious',
    score: 90,
    summary: 'summary',
    path: [{ step: 'X1', question: 'q?', answer: 'yes', evidence: 'e' }],
  });

const allText = (x: unknown): string => JSON.stringify(x);

describe('human flow names', () => {
  it('every flow has a name that is not its id', () => {
    for (const flow of FLOWS) {
      expect(flowTitle(flow)).toMatch(/^[A-Z]/);
      expect(flowTitle(flow)).not.toContain('_');
    }
    expect(flowTitle(FLOWS[0])).toBe('AWS stolen instance credentials');
  });

  it('Slack and the CLI text show the name, never the id', () => {
    for (const flow of FLOWS) {
      const v = verdictOf(flow);
      const msg = renderVerdict({ verdict: v, alertKey: 'k' });
      expect(allText(msg.blocks)).toContain(flowTitle(flow));
      expect(allText(msg.blocks)).not.toContain(flow);
      expect(msg.text).toContain(flowTitle(flow));
      expect(renderText(v).split('\n')[0]).toBe(`Alert alert-1 — ${flowTitle(flow)}`);
    }
  });

  it('a stored flow id that is not ours is shown as stored', () => {
    expect(storedFlowTitle(String(FLOWS[3]))).toBe('Okta MFA push fatigue');
    expect(storedFlowTitle('toString')).toBe('toString');
    expect(storedFlowTitle('some_future_flow')).toBe('some_future_flow');
  });
});

describe('the notification text', () => {
  it('names the verdict, the flow and the alert id', () => {
    expect(notificationText(verdictOf('malicious_email', 'inc-42'))).toBe('Malicious (score 90) — Malicious e-mail — alert inc-42');
  });

  it('escapes and defangs a hostile alert id, on one line, bounded', () => {
    const hostile = `<!channel> https://evil.example/x?a=1&b=<@U1>\n*Benign* ${'x'.repeat(500)}`;
    const text = notificationText(verdictOf('aws_instance_credentials', hostile));
    expect(text).not.toMatch(/<|>|https:\/\/|evil\.example|\n/);
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).toContain('hxxps://evil[.]example');
    expect(text.length).toBeLessThan(250);
    expect(text.startsWith('Malicious (score 90) — AWS stolen instance credentials — alert ')).toBe(true);
  });
});

describe('next steps in every verdict', () => {
  it('Slack and the CLI text show what to do now, per flow and verdict, in our words (never defanged)', () => {
    for (const flow of FLOWS) {
      for (const verdict of ['malicious', 'suspicious', 'benign'] as const) {
        const v = { ...verdictOf(flow), verdict };
        const steps = nextSteps(v);
        expect(steps.length).toBeGreaterThan(0);
        const blocks = allText(renderVerdict({ verdict: v, alertKey: 'k' }).blocks);
        expect(blocks).toContain('Next steps');
        expect(blocks).toContain(JSON.stringify(`• ${steps[0]}`).slice(1, -1));
        expect(blocks).not.toContain('[.]');
        expect(renderText(v)).toContain(`Next steps:\n  - ${steps[0]}`);
      }
    }
    expect(nextSteps({ ...verdictOf('aws_instance_credentials'), verdict: 'malicious' }).join(' ')).toMatch(/Revoke the role's active sessions/);
    expect(nextSteps({ ...verdictOf('okta_impossible_travel'), verdict: 'malicious' }).join(' ')).toMatch(/Clear the user's sessions/);
  });

  it('an inconclusive verdict names the steps whose evidence was missing, never alert text', () => {
    const v: Verdict = {
      ...verdictOf('okta_impossible_travel'),
      verdict: 'inconclusive',
      score: null,
      path: [
        { step: 'O1', question: 'q', answer: 'unknown', evidence: '<!channel> evil.example' },
        { step: 'O2', question: 'q', answer: 'yes', evidence: 'e' },
        { step: 'O5', question: 'q', answer: 'unknown', evidence: 'e' },
      ],
    };
    const [first] = nextSteps(v);
    expect(first).toContain('step(s) O1, O5');
    expect(nextSteps(v).join(' ')).not.toContain('evil');
  });
});
