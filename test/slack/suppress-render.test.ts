// What responders see of suppressions and of the track record: alert values only as rich text or plain text.
import { describe, expect, it } from 'vitest';
import { duration, suppressionBlocks, trackRecordBlocks, trackRecordText } from '../../src/app/analyst-views.js';
import { dismissModal } from '../../src/slack/dismiss-modal.js';
import { renderSuppressed, renderVerdict, LIFT_SUPPRESSION } from '../../src/slack/render.js';
import { assembleTrackRecord } from '../../src/audit/track-record.js';
import type { SimilarityKey } from '../../src/suppress/key.js';
import type { Suppression } from '../../src/suppress/store.js';
import type { Verdict } from '../../src/flows/verdict.js';
import { literalTexts, mrkdwnTexts, shownText } from '../support/blocks.js';
import { emailFacts } from '../support/facts.js';

const HOSTILE = 'evil.example <!channel> *VERDICT: benign*';
const suppression: Suppression = {
  id: 'a'.repeat(32),
  flow: 'malicious_email',
  kind: 'sender domain and indicator domains',
  parts: ['mailer.test', HOSTILE],
  by: 'U0RESPONDER',
  reason: 'false_positive',
  alertId: 'alert <!here>',
  createdAt: '2026-06-01T12:00:00.000Z',
  until: '2026-06-08T12:00:00.000Z',
};
const verdict: Verdict = { alert_id: 'e-1', flow: 'malicious_email', verdict: 'benign', score: 15, summary: 'No one interacted.', path: [], facts: emailFacts() };

describe('the quiet answer', () => {
  it('is one line: who suppressed, until when, what is similar (as a value), the verdict', () => {
    const m = renderSuppressed(verdict, suppression);
    expect(m.blocks).toHaveLength(1);
    expect(shownText(m.blocks)).toBe(':mute: Suppressed by <@U0RESPONDER> until 2026-06-08T12:00:00Z (similar — sender domain and indicator domains: mailer[.]test, evil[.]example <!channel> *VERDICT: benign*), verdict benign 15');
    expect(mrkdwnTexts(m.blocks)).toEqual([]);
    expect(m.text).toBe('Suppressed: verdict benign 15');
  });

  it('a malicious verdict in full names the suppression above it', () => {
    const m = renderVerdict({ verdict: { ...verdict, verdict: 'malicious', score: 90 }, alertKey: 'k'.repeat(32), suppression });
    expect(shownText(m.blocks)).toContain(':loud_sound: Similar alerts are suppressed by <@U0RESPONDER> until 2026-06-08T12:00:00Z');
    expect(mrkdwnTexts(m.blocks).join('\n')).not.toContain('<!channel>');
  });
});

describe('the Dismiss modal', () => {
  const similar: SimilarityKey = { id: 'b'.repeat(32), flow: 'malicious_email', kind: 'sender domain and indicator domains', parts: ['mailer.test', HOSTILE] };

  it('offers the suppression only with a similarity key; what is similar is plain text', () => {
    const without = dismissModal('k'.repeat(32)) as unknown as { blocks: Array<{ block_id: string }> };
    expect(without.blocks.map((b) => b.block_id)).toEqual(['reason', 'note']);
    const withKey = dismissModal('k'.repeat(32), similar) as unknown as { blocks: Array<Record<string, unknown>> };
    const block = withKey.blocks.find((b) => b['block_id'] === 'suppress')!;
    expect(literalTexts([block['hint']])[0]).toContain('Same flow and sender domain and indicator domains: mailer[.]test, evil[.]example <!channel>');
    expect(mrkdwnTexts(withKey.blocks)).toEqual([]);
  });
});

describe('the list of suppressions', () => {
  it('shows each with its values as rich text and a Lift button carrying only the key', () => {
    const blocks = suppressionBlocks([suppression], 20);
    expect(mrkdwnTexts(blocks).join('\n')).not.toMatch(/<!channel>|<!here>|mailer/);
    expect(literalTexts(blocks)).toContain('alert <!here>');
    const button = JSON.parse(JSON.stringify(blocks)).flatMap((b: { elements?: unknown[] }) => b.elements ?? []).find((e: { action_id?: string }) => e.action_id === LIFT_SUPPRESSION);
    expect(button.value).toBe(suppression.id);
  });

  it('stays within Slack’s block limits however many there are', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ ...suppression, id: i.toString(16).padStart(32, '0') }));
    const blocks = suppressionBlocks(many, 20);
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(shownText(blocks)).toContain('(60, the 20 ending soonest shown)');
  });
});

describe('the track record', () => {
  it('flags a flow below the minimum, in both the blocks and the notification text', () => {
    const aggs = (flow: string, verdictClass: string, alerts: number, actions: Array<[string, string, number]>) => ({
      windows: { buckets: Object.fromEntries(['d7', 'd30'].map((w) => [w, { flows: { buckets: [{ key: flow, doc_count: alerts, classes: { buckets: [{ key: verdictClass, doc_count: alerts, alerts: { value: alerts }, decided: { value: actions.reduce((n, a) => n + a[2], 0) }, actions: { buckets: actions.map(([a, r, n]) => ({ key: a, doc_count: n, reasons: { buckets: [{ key: r, doc_count: n }] } })) } }] } }] } }])) },
    });
    const record = assembleTrackRecord(aggs('okta_impossible_travel', 'benign', 4, []), aggs('okta_impossible_travel', 'benign', 0, [['escalate', '', 1], ['dismiss', 'other', 3]]), { now: new Date('2026-06-30T00:00:00Z'), minAgreement: 0.8 });
    const text = shownText(trackRecordBlocks(record));
    expect(text).toContain(':warning: *Okta impossible travel* — 4 alert(s) · agreement 75% *below the minimum* (3 agreed, 1 overruled, 0 excluded)');
    expect(text).toContain('*AWS stolen instance credentials* — 0 alert(s) · agreement n/a');
    expect(trackRecordText(record)).toBe('Track record: below 80% agreement — Okta impossible travel (7 d), Okta impossible travel (30 d)');
  });

  it('reads durations as people do', () => {
    expect([duration(null), duration(0.2), duration(42), duration(720), duration(3.5 * 3600), duration(2.1 * 86400)]).toEqual(['—', '<1 s', '42 s', '12 min', '3.5 h', '2.1 d']);
  });
});
