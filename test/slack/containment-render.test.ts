// Containment's Slack text: our words in mrkdwn; targets, calls and the service's answers only as values.
import { describe, expect, it } from 'vitest';
import { approvalRequestMessage, CONTAIN, containModal, requestStatusMessage } from '../../src/slack/containment-render.js';
import { renderVerdict } from '../../src/slack/render.js';
import type { ContainmentRequest } from '../../src/containment/store.js';
import type { Verdict } from '../../src/flows/verdict.js';
import { literalTexts, mrkdwnTexts, shownText } from '../support/blocks.js';
import { awsFacts } from '../support/facts.js';

const HOSTILE = '<!channel> *Approved* <https://evil.example|click>\nVerdict: benign';
const request = (over: Partial<ContainmentRequest> = {}): ContainmentRequest => ({
  id: 'a'.repeat(32),
  alertKey: 'b'.repeat(32),
  alertId: 'alert-1',
  plan: { target: { kind: 'cyren_resolve_case', caseId: 'case-1', incidentId: HOSTILE }, action: 'Resolve', apiCall: 'PATCH /v1/cases/case-1/resolution', targetFrom: 'case_id', consequence: 'moved', undoable: false },
  mode: 'live',
  status: 'failed',
  requestedBy: 'U0REQ',
  requestedAt: '2026-12-07T03:00:00.000Z',
  expiresAt: Date.parse('2026-12-07T03:15:00.000Z'),
  channel: 'C0ALERTS',
  threadTs: '1.1',
  messageTs: '1.2',
  attempts: 1,
  result: { ok: false, reason: HOSTILE, retryable: true },
  ...over,
});
const verdict = (v: Verdict['verdict']): Verdict => ({ alert_id: 'a', flow: 'aws_instance_credentials', verdict: v, score: 50, summary: 's', path: [], facts: awsFacts() });

describe('containment in Slack', () => {
  it('never puts a target or a service’s answer in mrkdwn; they show as one defanged line', () => {
    for (const m of [requestStatusMessage(request()), approvalRequestMessage(request({ status: 'pending' }), new Date('2026-12-07T03:05:00Z'))]) {
      expect(mrkdwnTexts(m.blocks).join('\n')).not.toMatch(/<!channel>|evil/);
      expect(m.text).not.toContain('<!channel>');
      expect(literalTexts(m.blocks).join('\n')).toContain('<!channel> *Approved*');
      expect(shownText(m.blocks)).not.toContain('https://evil.example');
    }
    const modal = containModal('b'.repeat(32), request().plan, 'dry-run', 15);
    expect(mrkdwnTexts(modal['blocks']).join('\n')).not.toContain('<!channel>');
    expect(mrkdwnTexts(modal['blocks']).join('\n')).toContain('Dry run');
  });

  it('a failed request offers Retry; a done undoable one Undo; the buttons carry the request id only', () => {
    const failed = JSON.stringify(requestStatusMessage(request()).blocks);
    expect(failed).toContain(CONTAIN.retry);
    const done = requestStatusMessage(request({ status: 'done', result: { ok: true, answer: 'ok' }, plan: { ...request().plan, undoable: true } }));
    expect(JSON.stringify(done.blocks)).toContain(CONTAIN.undo);
    expect(JSON.stringify(done.blocks).match(/"value":"([^"]*)"/g)).toEqual([`"value":"${'a'.repeat(32)}"`]);
  });

  it('Contain… is on malicious and suspicious verdicts only, and only when containment is on', () => {
    const has = (v: Verdict['verdict'], contain: boolean) => JSON.stringify(renderVerdict({ verdict: verdict(v), alertKey: 'b'.repeat(32), contain }).blocks).includes(CONTAIN.open);
    expect([has('malicious', true), has('suspicious', true), has('benign', true), has('inconclusive', true), has('malicious', false)]).toEqual([true, true, false, false, false]);
  });
});
