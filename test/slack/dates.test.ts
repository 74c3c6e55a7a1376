// Our own times reach Slack as dates each reader sees in their own time zone (rich text's date element, or the
// `<!date^…>` token in mrkdwn), with the ISO time in UTC as the fallback; alert text never becomes a date.
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/flows/verdict.js';
import { describeDecision } from '../../src/app/alert-record.js';
import { recentBlock, suppressionBlocks } from '../../src/app/analyst-views.js';
import { renderSuppressed, renderVerdict } from '../../src/slack/render.js';
import { DATE_FORMAT, dateSpan, dateToken } from '../../src/slack/rich-text.js';
import type { Suppression } from '../../src/suppress/store.js';
import { blockProblem } from '../fakes/slack-rules.js';
import { mrkdwnTexts, shownText } from '../support/blocks.js';
import { awsFacts } from '../support/facts.js';

type Node = Record<string, unknown>;
/** Every rich-text date element in the blocks. */
function dates(blocks: unknown): Node[] {
  const out: Node[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    if ((n as Node)['type'] === 'date') out.push(n as Node);
    Object.values(n as Node).forEach(walk);
  };
  walk(blocks);
  return out;
}

const AT = new Date('2026-11-05T12:00:00Z');
const EPOCH = AT.getTime() / 1000;
const verdict: Verdict = { alert_id: 'a-1', flow: 'aws_instance_credentials', verdict: 'malicious', score: 90, summary: 's', path: [{ step: 'A1', question: 'q', answer: 'yes', evidence: 'e' }], facts: awsFacts() };
const suppression: Suppression = { id: 'b'.repeat(32), flow: 'aws_instance_credentials', kind: 'instance', parts: ['i-0abc'], by: 'U0RESPONDER', reason: 'false_positive', alertId: 'a-0', createdAt: AT.toISOString(), until: '2026-11-12T12:00:00.000Z' };

describe('a time of ours', () => {
  it('is a date element: epoch seconds, our format, the ISO time in UTC as fallback', () => {
    expect(dateSpan(AT)).toEqual({ type: 'date', timestamp: EPOCH, format: '{date_short_pretty} {time}', fallback: '2026-11-05T12:00:00Z' });
    expect(dateSpan('2026-11-05T13:00:00.250+01:00')).toMatchObject({ timestamp: EPOCH, fallback: '2026-11-05T12:00:00Z' });
  });

  it('is a date token in mrkdwn', () => {
    expect(dateToken(AT)).toBe(`<!date^${EPOCH}^${DATE_FORMAT}|2026-11-05T12:00:00Z>`);
    expect(describeDecision({ kind: 'dismissed', by: 'U0RESPONDER', at: AT.toISOString() })).toBe(`dismissed by <@U0RESPONDER> at <!date^${EPOCH}^{date_short_pretty} {time}|2026-11-05T12:00:00Z>`);
  });

  it('a string that is not a well-formed time is never a date: a value (escaped by rich text, defanged), or "an unknown time" in mrkdwn', () => {
    for (const hostile of ['<!channel>|x>', '2026-11-05T12:00:00Z|<!here>', 'yesterday', '2026-13-45T99:99:99Z', `2026-11-05T12:00:00Z${'\n'.repeat(3)}*x*`]) {
      const span = dateSpan(hostile);
      expect(span.type).toBe('text');
      expect(dateToken(hostile)).toBe('an unknown time');
    }
    expect(dateSpan('see evil.example at 2026-11-05T12:00:00Z')).toEqual({ type: 'text', text: 'see evil[.]example at 2026-11-05T12:00:00Z' });
  });
});

describe('where our times are shown', () => {
  it('the verdict: the alert’s time beside its id, the decision’s time; Slack accepts the blocks', () => {
    const m = renderVerdict({ verdict, alertKey: 'k', alertTitle: 'Raised at 2026-01-01T00:00:00Z by evil.example', alertTime: AT, decision: { kind: 'dismissed', by: 'U0RESPONDER', at: '2026-11-05T12:30:00.000Z', suppressedUntil: suppression.until } });
    expect(dates(m.blocks).map((d) => d['fallback'])).toEqual(['2026-11-05T12:00:00Z', '2026-11-05T12:30:00Z', '2026-11-12T12:00:00Z']);
    expect(shownText(m.blocks)).toContain('Alert: a-1 — Raised at 2026-01-01T00:00:00Z by evil[.]example — raised 2026-11-05T12:00:00Z');
    expect(blockProblem(m.blocks)).toBeUndefined();
  });

  it('a verdict without the alert’s time (a record whose body no longer parses) shows none', () => {
    expect(dates(renderVerdict({ verdict, alertKey: 'k' }).blocks)).toEqual([]);
  });

  it('a suppression’s end, in the quiet answer and the lists; the last verdicts’ times', () => {
    const quiet = renderSuppressed({ ...verdict, verdict: 'benign', score: 10 }, suppression);
    expect(dates(quiet.blocks)).toEqual([{ type: 'date', timestamp: Date.parse(suppression.until) / 1000, format: DATE_FORMAT, fallback: '2026-11-12T12:00:00Z' }]);
    const views = [...suppressionBlocks([suppression], 5), ...recentBlock([{ alertId: 'a-1', flow: verdict.flow, verdict: 'malicious', score: 90, at: AT.toISOString() }])];
    expect(dates(views).map((d) => d['timestamp'])).toEqual([Date.parse(suppression.until) / 1000, EPOCH]);
    expect(mrkdwnTexts(views).join('')).not.toContain('2026');
  });
});
