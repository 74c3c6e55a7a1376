// Block Kit rendering of a verdict: verdict and score, summary, decision path, key facts, buttons.
// Our own labels may be mrkdwn; every value from an alert or from evidence goes through rich-text.ts.
import type { Verdict } from '../flows/verdict.js';
import type { StoredVerdict } from '../flows/stored-verdict.js';
import { keyFactsOf } from '../flows/dispatch.js';
import type { FactPart } from '../flows/key-facts.js';
import { flowTitle } from '../flows/flow-names.js';
import { nextSteps } from '../flows/next-steps.js';
import { LIMITS, escapeSlack } from './escape.js';
import type { Decision } from '../queue/state.js';
import { describeKey } from '../suppress/key.js';
import { containButtonBlock } from './containment-render.js';
import type { Suppression } from '../suppress/store.js';
import { dateSpan, emoji, label, plain, plainText, richText, slackValue, spanLength, user, value, type Span } from './rich-text.js';
import type { KibanaSettings } from './kibana.js';
import { stepLines } from './path-lines.js';

export const ACTIONS = { escalate: 'triage_escalate', dismiss: 'triage_dismiss', rerun: 'triage_rerun' } as const;
/** The Lift button of a suppression (in /triage suppressions and the Home tab, never on a verdict). */
export const LIFT_SUPPRESSION = 'triage_lift_suppression';

export const VERDICT_STYLE: Record<Verdict['verdict'], { emoji: string; reaction: string; label: string }> = {
  malicious: { emoji: 'red_circle', reaction: 'rotating_light', label: 'Malicious' },
  suspicious: { emoji: 'large_orange_circle', reaction: 'warning', label: 'Suspicious' },
  benign: { emoji: 'large_green_circle', reaction: 'white_check_mark', label: 'Benign' },
  inconclusive: { emoji: 'white_circle', reaction: 'grey_question', label: 'Inconclusive' },
};

export type Block = { type: string; [key: string]: unknown };
export interface SlackMessage {
  /** Notification fallback: our own words only, never an alert value. */
  text: string;
  blocks: Block[];
}

const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
/** Room for one path block's text: Slack's section limit, which we also hold rich text to. */
const BLOCK_TEXT = LIMITS.sectionText;

/** Key facts worth a glance, one line each, as the verdict's flow declares them; the full facts stay in the audit record. */
function keyFacts(v: StoredVerdict): Span[][] {
  return keyFactsOf(v).map((line) => line.map(factSpan));
}

/** A flow's fact part as a span: our labels and words as they are, every value escaped, defanged and cut. */
function factSpan(part: FactPart): Span {
  switch (part.kind) {
    case 'label':
      return label(part.text);
    case 'plain':
      return plain(part.text);
    case 'value':
      return value(part.text, part.max);
  }
}

/** Lines split over as few rich_text blocks as fit Slack's per-block text size. */
function chunked(lines: Span[][]): Span[][][] {
  const chunks: Span[][][] = [];
  let current: Span[][] = [];
  let size = 0;
  for (const line of lines) {
    const n = spanLength(line);
    if (current.length && size + n > BLOCK_TEXT) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(line);
    size += n;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

export interface RenderInput {
  /** A fresh verdict, or one read back from the alert record (whose facts may have been unreadable). */
  verdict: StoredVerdict;
  alertTitle?: string;
  /** The alert's time, as parsed and verified at intake: shown in each reader's time zone. */
  alertTime?: Date;
  alertKey: string;
  decision?: Decision;
  /** A one-line note of ours above the verdict (e.g. a failed re-run that left this verdict standing). */
  note?: string;
  /** Similar alerts are suppressed, yet this verdict is shown in full (it is malicious): the suppression is named. */
  suppression?: Suppression;
  /** Offer Contain… (CONTAINMENT_MODE is not off); shown on malicious and suspicious verdicts only, decided or not. */
  contain?: boolean;
  /** KIBANA_URL is set: steps resting on a search link to it in Discover. */
  kibana?: KibanaSettings;
}

/** "suppressed by @x until … (similar: instance i-0abc)": the parts are values, the end a date in the reader's zone. */
function suppressionSpans(s: Suppression): Span[] {
  return [plain('by '), user(s.by), plain(' until '), dateSpan(s.until), plain(' (similar — '), value(describeKey(s), 300), plain(')')];
}

/** Slack refuses a message whose blocks exceed about 12 000 characters of JSON (msg_blocks_too_long); we keep a margin. */
export const MESSAGE_BLOCKS_BUDGET = 11_500;
const size = (blocks: Block[]) => JSON.stringify(blocks).length;

export function headline(v: Pick<Verdict, 'verdict' | 'score'>): string {
  const style = VERDICT_STYLE[v.verdict];
  return `${style.label} (${v.score === null ? 'no score' : `score ${v.score}`})`;
}

/** How much of the head and facts a message keeps: fuller first; leaner when the path would not fit otherwise. */
const COMPACTION = [
  { summary: 1500, title: 300, factLines: Infinity },
  { summary: 600, title: 200, factLines: 4 },
  { summary: 300, title: 100, factLines: 0 },
] as const;

export function renderVerdict({ verdict: v, alertTitle, alertTime, alertKey, decision, note, suppression, contain, kibana }: RenderInput): SlackMessage {
  const style = VERDICT_STYLE[v.verdict];
  const head = (c: (typeof COMPACTION)[number]): Block[] => [
    ...(note ? [{ type: 'context', elements: [{ type: 'plain_text', text: note.slice(0, 300), emoji: true }] }] : []),
    ...(suppression ? [richText([[emoji('loud_sound'), plain(' Similar alerts are suppressed '), ...suppressionSpans(suppression), plain(', but this verdict is malicious: shown in full.')]], 'triage_suppression')] : []),
    { type: 'section', text: mrkdwn(`:${style.emoji}: *${headline(v)}* — ${flowTitle(v.flow)}`) },
    richText([
      [label('Alert: '), value(v.alert_id, 200), ...(alertTitle ? [plain(' — '), value(alertTitle, c.title)] : []), ...(alertTime ? [plain(' — raised '), dateSpan(alertTime)] : [])],
      [value(v.summary, c.summary)],
    ]),
  ];
  // With links first; the same steps without them when the links would crowd steps out of the message.
  const stepsWith = kibana ? [stepLines(v.path, kibana), stepLines(v.path)] : [stepLines(v.path)];
  const facts = keyFacts(v);
  const tail = (c: (typeof COMPACTION)[number]): Block[] => {
    const out: Block[] = [];
    const kept = facts.slice(0, c.factLines);
    if (kept.length) out.push(richText(chunked(kept)[0]!, 'triage_facts'));
    // Our own words (never defanged): what to do now, in the thread with the verdict.
    out.push(richText([[label('Next steps')], ...nextSteps(v).map((t) => [plain(`• ${t}`)])], 'triage_next_steps'));
    out.push(decision ? decisionBlock(decision) : actionsBlock(alertKey));
    if (contain && (v.verdict === 'malicious' || v.verdict === 'suspicious')) out.push(containButtonBlock(alertKey));
    return out;
  };
  // The path takes what room is left within Slack's 50 blocks and total size, whole steps at a time;
  // the audit record has all of it.
  const cutNote = (n: number): Span[] => [{ type: 'text', text: `… ${n} more step(s) of the decision path: see the audit record in Elasticsearch.`, style: { italic: true } }];
  const assemble = (c: (typeof COMPACTION)[number], k: number, steps: Span[][]): Block[] => {
    const top = head(c);
    const bottom = tail(c);
    const lines = [[label('Decision path')], ...steps.slice(0, k), ...(k < steps.length ? [cutNote(steps.length - k)] : [])];
    const chunks = chunked(lines).map((ch) => richText(ch)).slice(0, LIMITS.blocks - top.length - bottom.length);
    return [...top, ...chunks, ...bottom];
  };
  const fits = (b: Block[]) => size(b) <= MESSAGE_BLOCKS_BUDGET && b.length <= LIMITS.blocks;
  // For each compaction, the most steps that fit (size grows with the steps shown: a binary search); the
  // fullest message that shows the most steps wins.
  let best: Block[] | undefined;
  let bestSteps = -1;
  search: for (const c of COMPACTION) {
    for (const steps of stepsWith) {
      if (!fits(assemble(c, 0, steps))) continue;
      let lo = 0;
      let hi = steps.length;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (fits(assemble(c, mid, steps))) lo = mid;
        else hi = mid - 1;
      }
      if (lo > bestSteps) {
        best = assemble(c, lo, steps);
        bestSteps = lo;
      }
      if (lo === steps.length) break search;
    }
  }
  // Values are bounded, so the leanest head always fits; this is a last resort, never expected.
  return { text: notificationText(v), blocks: best ?? [head(COMPACTION[2])[0]!, ...tail(COMPACTION[2])] };
}

/** The notification (fallback) text: verdict, flow and the alert's id, the id escaped and defanged like every alert value. */
export function notificationText(v: StoredVerdict): string {
  return `${headline(v)} — ${flowTitle(v.flow)} — alert ${escapeSlack(slackValue(v.alert_id, 100))}`;
}

function actionsBlock(alertKey: string): Block {
  return {
    type: 'actions',
    block_id: 'triage_actions',
    elements: [
      {
        type: 'button',
        action_id: ACTIONS.escalate,
        style: 'danger',
        text: { type: 'plain_text', text: 'Escalate to on-call' },
        value: alertKey,
        confirm: {
          title: { type: 'plain_text', text: 'Escalate to on-call?' },
          text: { type: 'plain_text', text: 'This pages the on-call responders for this alert.' },
          confirm: { type: 'plain_text', text: 'Escalate' },
          deny: { type: 'plain_text', text: 'Cancel' },
        },
      },
      { type: 'button', action_id: ACTIONS.dismiss, text: { type: 'plain_text', text: 'Dismiss' }, value: alertKey },
      { type: 'button', action_id: ACTIONS.rerun, text: { type: 'plain_text', text: 'Re-run' }, value: alertKey },
    ],
  };
}

/** Who decided and why; the note is a responder's free text, shown as a value. */
function decisionBlock(d: Decision): Block {
  const what = d.kind === 'escalated' ? 'Escalated to on-call' : 'Dismissed';
  const line: Span[] = [emoji(d.kind === 'escalated' ? 'rotating_light' : 'no_bell'), plain(' '), label(what), plain(' by '), user(d.by), plain(' at '), dateSpan(d.at)];
  if (d.reason) line.push(plain(' — '), value(d.reason, 100));
  if (d.note) line.push(plain(': '), value(d.note, 500));
  if (d.outcome && d.outcome !== d.kind) line.push(plain(' — '), { type: 'text', text: d.outcome.slice(0, 300), style: { italic: true } });
  if (d.suppressedUntil) line.push(plain(' — similar alerts suppressed until '), dateSpan(d.suppressedUntil));
  return richText([line], 'triage_decision');
}

/**
 * The quiet answer to a suppressed alert that is not malicious: one line in its thread, no buttons (lift the
 * suppression and re-run to act on it). The notification text is ours only.
 */
export function renderSuppressed(v: StoredVerdict, s: Suppression): SlackMessage {
  const verdictText = `verdict ${v.verdict}${v.score === null ? '' : ` ${v.score}`}`;
  return {
    text: `Suppressed: ${verdictText}`,
    blocks: [richText([[emoji('mute'), plain(' Suppressed '), ...suppressionSpans(s), plain(`, ${verdictText}`)]], 'triage_suppressed')],
  };
}

export function renderInvestigating(alertId: string, note = 'Investigating…'): SlackMessage {
  return {
    text: `${note} alert`,
    blocks: [{ type: 'context', elements: [mrkdwn(`:hourglass_flowing_sand: ${note} alert`), plainText(alertId, 200)] }],
  };
}

/** After the last retry: why it failed (a service's name, never internals), and a Re-run button. */
export function renderFailure(alertId: string, reason: string, alertKey: string, attempts: number): SlackMessage {
  return {
    text: `Could not investigate the alert after ${attempts} attempt(s)`,
    blocks: [
      { type: 'section', text: mrkdwn(`:x: *Could not investigate* after ${attempts} attempt(s)`) },
      richText([[label('Alert: '), value(alertId, 200)], [label('Reason: '), value(reason, 500)]]),
      { type: 'actions', block_id: 'triage_actions', elements: [{ type: 'button', action_id: ACTIONS.rerun, text: { type: 'plain_text', text: 'Re-run' }, value: alertKey }] },
    ],
  };
}

/** A short notice of ours with values beside it: a mrkdwn lead-in, the values as rich text. */
export function renderNotice(lead: string, lines: Span[][]): SlackMessage {
  return { text: lead.replace(/:[a-z_]+:/g, '').replace(/[*_]/g, '').trim(), blocks: [{ type: 'section', text: mrkdwn(lead) }, ...(lines.length ? [richText(lines)] : [])] };
}
