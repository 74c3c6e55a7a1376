// Wording people read (issue 22): a suppression names each part once, our own help text is never defanged like an
// alert value, and flows are named by their labels in /triage stats, the Home tab's lists and notices.
import { describe, expect, it } from 'vitest';
import type { EmailAlert } from '../../src/alerts/types.js';
import { AlertParseError } from '../../src/alerts/types.js';
import { recogniseAlert } from '../../src/flows/recognise.js';
import { recentBlock, suppressionBlocks, trackRecordBlocks, trackRecordText } from '../../src/app/analyst-views.js';
import { readAlertText } from '../../src/app/intake.js';
import type { TrackRecord } from '../../src/audit/track-record.js';
import { flowTitle } from '../../src/flows/flow-names.js';
import { FLOWS } from '../../src/flows/verdict.js';
import { renderNotice, renderSuppressed } from '../../src/slack/render.js';
import { problemWithHint } from '../../src/slack/rich-text.js';
import { describeKey, similarityKey } from '../../src/suppress/key.js';
import type { Suppression } from '../../src/suppress/store.js';
import { shownText } from '../support/blocks.js';
import { emailFacts, storedVerdictFor } from '../support/facts.js';

const T = new Date('2026-11-05T12:00:00Z');
const email = (extra: Partial<EmailAlert> = {}): EmailAlert => ({ id: 'e1', type: 'email.malicious', time: T, raw: {}, recipients: ['bob@example.com'], sender: 'hr@payroll-update.test', urls: [], fileNames: [], hashes: [], ...extra });

const suppression = (flow: string, kind: string, parts: string[]): Suppression =>
  ({ id: 'a'.repeat(32), flow, kind, parts, by: 'U0RESPONDER', reason: 'false_positive', alertId: 'inc-1', createdAt: T.toISOString(), until: '2026-11-12T12:00:00.000Z' }) as Suppression;

describe('a suppression names each part once', () => {
  it('a sender domain that is also the indicators’ domain is shown once (the key keeps both)', () => {
    const alert = email({ urls: ['https://payroll-update.test/login'] });
    const key = similarityKey(alert, storedVerdictFor(alert, {}))!;
    expect(key.parts).toEqual(['payroll-update.test', 'payroll-update.test']);
    expect(describeKey(key)).toBe('sender domain and indicator domains: payroll-update.test');
    const shown = shownText(renderSuppressed({ alert_id: 'inc-2', flow: 'malicious_email', verdict: 'benign', score: 10, summary: 's', path: [], facts: emailFacts() }, { ...suppression('malicious_email', key.kind, key.parts) }).blocks);
    expect(shown.match(/payroll-update\[\.\]test/g)).toHaveLength(1);
  });

  it('case, width, spaces and a trailing dot do not make another part; the first spelling is kept, order too', () => {
    expect(describeKey({ kind: 'sender domain and indicator domains', parts: ['Payroll-Update.test', ' payroll-update.TEST. ', 'ｐａｙｒｏｌｌ-update.test', 'evil.example', 'EVIL.example'] })).toBe(
      'sender domain and indicator domains: Payroll-Update.test, evil.example',
    );
    expect(describeKey({ kind: 'user and network', parts: ['sam@example.com', '203.0.113.0/24'] })).toBe('user and network: sam@example.com, 203.0.113.0/24');
  });

  it('"and N more" counts distinct parts', () => {
    const parts = ['a.test', 'A.test', ...Array.from({ length: 13 }, (_, i) => `d${i}.test`)];
    expect(describeKey({ kind: 'sender domain and indicator domains', parts })).toMatch(/, d10\.test and 2 more$/);
  });
});

describe('our own help text is never defanged; the alert’s text still is', () => {
  it('a canonical alert with an unreadable time: the hint keeps "e.g." and its example time', () => {
    const intake = readAlertText(JSON.stringify({ id: 'a-1', type: 'aws.instance_credential_exfiltration', time: 'yesterday', access_key_id: 'ASIAX', instance_id: 'i-0abc' }));
    expect(intake).toMatchObject({ kind: 'malformed', problem: 'time: is not a valid time' });
    if (intake.kind !== 'malformed') throw new Error('not malformed');
    const shown = shownText(renderNotice(':warning: This looks like an alert but cannot be read:', [problemWithHint(intake.problem, 500, intake.hint)]).blocks);
    expect(shown).toContain('e.g. 2026-01-31T12:00:00Z');
    expect(shown).not.toContain('[.]');
  });

  it('the access key example and the list of alert types are our words too', () => {
    const bad = () => recogniseAlert({ id: 'a-2', type: 'aws.instance_credential_exfiltration', time: '2026-11-05T12:00:00Z', access_key_id: 'ASIA-not/a key', instance_id: 'i-0abc' });
    expect(bad).toThrow('access_key_id: is not an AWS access key id (e.g. ASIA…)');
    try {
      bad();
    } catch (err) {
      expect((err as AlertParseError).hint).toBe('e.g. ASIA…');
      expect((err as AlertParseError).problem).toBe('access_key_id: is not an AWS access key id');
    }
    const unknown = readAlertText(JSON.stringify({ id: 'a-3', type: 'evil.example' }));
    expect(unknown).toMatchObject({ kind: 'malformed', problem: 'type: unknown alert type', hint: expect.stringContaining('okta.superhuman') });
  });

  it('a hostile problem beside a hint stays a defanged value on one line', () => {
    const spans = problemWithHint('rule https://evil.example/x <!channel>\n*Benign*', 500, 'e.g. 2026-01-31T12:00:00Z');
    const text = spans.map((s) => (s.type === 'text' ? s.text : '')).join('');
    expect(text).toContain('hxxps://evil[.]example/x');
    expect(text).not.toContain('\n');
    expect(text.endsWith(' (e.g. 2026-01-31T12:00:00Z)')).toBe(true);
  });

  it('a hint is our words, yet bounded', () => {
    const [, hint] = problemWithHint('p', 50, 'h'.repeat(5000));
    expect(hint?.type === 'text' && hint.text.length).toBeLessThan(310);
  });

  it('errors re-thrown for a part of a document keep their hint', () => {
    const intake = readAlertText(JSON.stringify([{ id: 'a-4', type: 'aws.instance_credential_exfiltration', time: 'later', access_key_id: 'ASIAX', instance_id: 'i-0abc' }]));
    expect(intake).toMatchObject({ kind: 'malformed', problem: '[0].time: is not a valid time', hint: expect.stringContaining('e.g.') });
  });
});

describe('flows are named by their labels where people read them', () => {
  const record: TrackRecord = {
    at: T.toISOString(),
    minAgreement: 0.8,
    windows: [{ days: 7, from: T.toISOString(), flows: FLOWS.map((flow) => ({ flow, alerts: 3, agreed: 1, overruled: 2, excluded: 0, medianToVerdict: 40, medianToDecision: 600, agreement: 1 / 3, flagged: true, classes: [] })) }],
  };

  it('/triage stats and its notification text', () => {
    const text = `${shownText(trackRecordBlocks(record))} ${trackRecordText(record)}`;
    for (const flow of FLOWS) {
      expect(text).toContain(flowTitle(flow));
      expect(text).not.toContain(flow);
    }
  });

  it('the last verdicts (status, Home tab) and the suppressions in force', () => {
    const shown = shownText([
      ...recentBlock(FLOWS.map((flow, i) => ({ alertId: `alert-${i}`, flow, verdict: 'benign', score: 10, at: T.toISOString() }))),
      ...suppressionBlocks(FLOWS.map((flow) => suppression(flow, 'user', ['sam@example.com'])), 10),
    ]);
    for (const flow of FLOWS) {
      expect(shown).toContain(flowTitle(flow));
      expect(shown).not.toContain(flow);
    }
  });
});
