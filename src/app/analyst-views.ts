// Block Kit for responders: the suppressions in force (each with a Lift button) and the bot's track record.
// Suppressions carry values from alerts (rich text); the track record is our words and numbers only.
import { storedFlowTitle } from '../flows/flow-names.js';
import { describeKey } from '../suppress/key.js';
import type { Suppression } from '../suppress/store.js';
import type { FlowRecord, Tally, TrackRecord, WindowRecord } from '../audit/track-record.js';
import { LIFT_SUPPRESSION, type Block } from '../slack/render.js';
import { dateSpan, label, plain, richText, user, value, type Span } from '../slack/rich-text.js';
import type { RecentVerdict } from '../queue/state.js';

export const USAGE = [
  '*/triage <alert-id>* — investigate an alert now: the verdict goes to the alert’s own thread when it has one (you get a link), else here.',
  '*/triage <alert-id> here* — the same, with the verdict posted in this channel.',
  '*/triage status* — queue depth, active workers, last verdicts.',
  '*/triage suppressions* — similar alerts suppressed by a dismissal, with a button to lift each.',
  '*/triage stats* — the bot’s track record: how often responders agreed with it, per flow, over 7 and 30 days.',
  '*/triage help* — this text.',
].join('\n');

/** Suppressions shown: two blocks each, within Slack's 50 blocks of a message and 100 of the Home tab. */
export const SUPPRESSIONS_IN_MESSAGE = 20;
export const SUPPRESSIONS_IN_HOME = 15;

/** One line of "last verdicts", for /triage status and the Home tab: the alert id is a value. */
function recentLine(r: RecentVerdict): Span[] {
  return [plain('• '), value(r.alertId, 120), plain(` — ${r.verdict}${r.score === null ? '' : ` (${r.score})`} ${storedFlowTitle(r.flow)} at `), dateSpan(r.at)];
}
export const recentBlock = (recent: RecentVerdict[]): Block[] => (recent.length ? [richText(recent.map(recentLine))] : []);

const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text } });

/** /triage suppressions, and the same list answered after a Lift: `note` is a line of ours on top. */
export function suppressionsMessage(list: Suppression[], note?: string): { text: string; blocks: Block[] } {
  return {
    text: `${list.length} suppression(s) in force`,
    blocks: [...(note ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: note }] }] : []), ...suppressionBlocks(list, SUPPRESSIONS_IN_MESSAGE)],
  };
}

/** Suppressions in force, at most `max` shown (two blocks each: Slack allows 50 blocks in a message, 100 in a view). */
export function suppressionBlocks(list: Suppression[], max: number): Block[] {
  if (list.length === 0) return [section('*Suppressions in force*\nnone')];
  const shown = list.slice(0, max);
  const blocks: Block[] = [section(`*Suppressions in force* (${list.length}${list.length > max ? `, the ${max} ending soonest shown` : ''})`)];
  for (const s of shown) {
    blocks.push(
      richText([
        [label(`${storedFlowTitle(s.flow)} `), value(describeKey(s), 400)],
        [plain('by '), user(s.by), plain(' until '), dateSpan(s.until), plain(', from the dismissal of '), value(s.alertId, 120), plain(` (${s.reason.replace(/_/g, ' ').slice(0, 40)})`)],
      ]),
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: LIFT_SUPPRESSION,
            text: { type: 'plain_text', text: 'Lift' },
            value: s.id,
            confirm: {
              title: { type: 'plain_text', text: 'Lift this suppression?' },
              text: { type: 'plain_text', text: 'Similar alerts are answered in full again from now on.' },
              confirm: { type: 'plain_text', text: 'Lift' },
              deny: { type: 'plain_text', text: 'Cancel' },
            },
          },
        ],
      },
    );
  }
  return blocks;
}

/** 42 s, 12 min, 3.5 h, 2.1 d. */
export function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 1) return '<1 s';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 36 * 3600) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}

const percent = (x: number) => `${Math.round(x * 100)}%`;
const counts = (t: Tally) => `${t.agreed} agreed, ${t.overruled} overruled, ${t.excluded} excluded`;

function flowLines(f: FlowRecord): string[] {
  const head = `${f.flagged ? ':warning: ' : ''}*${storedFlowTitle(f.flow)}* — ${f.alerts} alert(s) · agreement ${f.agreement === null ? 'n/a' : percent(f.agreement)}${f.flagged ? ' *below the minimum*' : ''} (${counts(f)}) · median to verdict ${duration(f.medianToVerdict)}, to decision ${duration(f.medianToDecision)}`;
  const classes = f.classes.filter((c) => c.alerts > 0 || c.agreed + c.overruled > 0).map((c) => `        ${c.verdict} ${c.alerts}: ${counts(c)} · ${duration(c.medianToVerdict)} to verdict, ${duration(c.medianToDecision)} to decision`);
  return [head, ...classes];
}

function windowText(w: WindowRecord, minAgreement: number): string {
  return [`*Track record — last ${w.days} days* (agreement = agreed ÷ (agreed + overruled); flagged below ${percent(minAgreement)})`, ...w.flows.flatMap(flowLines)].join('\n');
}

/** One section per window (each well under Slack's 3 000 characters: three flows, four classes). */
export function trackRecordBlocks(record: TrackRecord): Block[] {
  return record.windows.map((w) => section(windowText(w, record.minAgreement)));
}

/** Plain text of the same, for a notification fallback. */
export function trackRecordText(record: TrackRecord): string {
  const flagged = record.windows.flatMap((w) => w.flows.filter((f) => f.flagged).map((f) => `${storedFlowTitle(f.flow)} (${w.days} d)`));
  return `Track record${flagged.length ? `: below ${percent(record.minAgreement)} agreement — ${flagged.join(', ')}` : ''}`;
}
