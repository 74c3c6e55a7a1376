// Block Kit rendering of a verdict: verdict and score, summary, decision path, key facts, buttons.
import type { Verdict } from '../verdict.js';
import { cut, LIMITS, safe } from './escape.js';
import type { Decision } from '../queue/state.js';

export const ACTIONS = { escalate: 'triage_escalate', dismiss: 'triage_dismiss', rerun: 'triage_rerun' } as const;
export const DISMISS_VIEW = 'triage_dismiss_view';
export const DISMISS_REASONS = [
  ['false_positive', 'False positive'],
  ['benign_true_positive', 'Benign true positive'],
  ['duplicate', 'Duplicate'],
  ['other', 'Other'],
] as const;

export const VERDICT_STYLE: Record<Verdict['verdict'], { emoji: string; reaction: string; label: string }> = {
  malicious: { emoji: ':red_circle:', reaction: 'rotating_light', label: 'Malicious' },
  suspicious: { emoji: ':large_orange_circle:', reaction: 'warning', label: 'Suspicious' },
  benign: { emoji: ':large_green_circle:', reaction: 'white_check_mark', label: 'Benign' },
  inconclusive: { emoji: ':white_circle:', reaction: 'grey_question', label: 'Inconclusive' },
};

type Block = { type: string; [key: string]: unknown };

const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });

/** Key facts worth a glance; the full facts stay in the audit record. */
function keyFacts(v: Verdict): string[] {
  const f = v.facts;
  const lines: string[] = [];
  const ips = f['ips'] as Array<{ address: string; class: string; region: string | null; events: number }> | undefined;
  if (ips?.length) lines.push(`*IPs:* ${ips.slice(0, 8).map((i) => `${safe(i.address, 60)} (${i.class}${i.region ? ` ${safe(i.region, 20)}` : ''}, ${i.events} events)`).join(', ')}`);
  for (const key of ['session_a', 'session_b'] as const) {
    const s = f[key] as { ip: string; sign_in: string; geo?: { city?: string; country?: string } | null; user_agent?: string | null } | null | undefined;
    if (s) lines.push(`*Session ${key.slice(-1).toUpperCase()}:* ${safe(s.ip, 60)} at ${s.sign_in}${s.geo?.city ? `, ${safe(s.geo.city, 60)}` : ''}${s.user_agent ? ` — ${safe(s.user_agent, 120)}` : ''}`);
  }
  const travel = f['travel'] as { distance_km: number | null; minutes_between: number; speed_kmh: number | null } | undefined;
  if (travel?.distance_km !== undefined && travel.distance_km !== null) lines.push(`*Travel:* ${travel.distance_km} km in ${travel.minutes_between} min (${travel.speed_kmh ?? '∞'} km/h)`);
  const user = f['user'] as { id?: string; login?: string } | undefined;
  if (user) lines.push(`*User:* ${safe(user.login ?? user.id ?? '?', 120)}`);
  const recipients = f['recipients'] as string[] | undefined;
  if (recipients?.length) lines.push(`*Recipients:* ${recipients.slice(0, 10).map((r) => safe(r, 120)).join(', ')}`);
  for (const key of ['executions', 'clicks', 'domain_contacts', 'files_on_disk'] as const) {
    const hits = f[key] as Array<{ host: string | null; users: string[]; first: string }> | undefined;
    if (hits?.length) lines.push(`*${key.replace(/_/g, ' ')}:* ${hits.slice(0, 5).map((h) => `${safe(h.users.join(', ') || '?', 120)} on ${safe(h.host ?? '?', 80)} at ${h.first}`).join('; ')}`);
  }
  return lines;
}

export interface RenderInput {
  verdict: Verdict;
  alertTitle?: string;
  alertKey: string;
  decision?: Decision;
}

export function renderVerdict({ verdict: v, alertTitle, alertKey, decision }: RenderInput): { text: string; blocks: Block[] } {
  const style = VERDICT_STYLE[v.verdict];
  const score = v.score === null ? 'no score' : `score ${v.score}`;
  const headline = `${style.emoji} *${style.label}* (${score}) — ${safe(v.flow, 40)}`;
  const blocks: Block[] = [
    { type: 'section', text: mrkdwn(cut(`${headline}\n*Alert:* ${safe(v.alert_id, 200)}${alertTitle ? ` — ${safe(alertTitle, 300)}` : ''}\n${safe(v.summary, 1500)}`, LIMITS.sectionText)) },
  ];
  const steps = v.path.map((p) => `*${safe(p.step, 8)}* ${safe(p.question, 200)} → *${safe(p.answer, 80)}*\n      ${safe(p.evidence, 400)}`);
  // Several sections, each under Slack's 3000-character limit; room is kept for facts, decision and buttons.
  const maxPathBlocks = LIMITS.blocks - 4;
  const chunks: string[] = [];
  let chunk = '*Decision path*';
  for (const s of steps) {
    if (chunk.length + s.length + 1 > LIMITS.sectionText) {
      chunks.push(chunk);
      chunk = '';
    }
    chunk += `\n${s}`;
  }
  chunks.push(cut(chunk, LIMITS.sectionText));
  if (chunks.length > maxPathBlocks) {
    const dropped = chunks.length - maxPathBlocks + 1;
    chunks.splice(maxPathBlocks - 1, chunks.length, `_… ${dropped} more part(s) of the path: see the audit record in Elasticsearch._`);
  }
  for (const c of chunks) blocks.push({ type: 'section', text: mrkdwn(c) });
  const facts = keyFacts(v);
  if (facts.length) blocks.push({ type: 'context', elements: [mrkdwn(cut(facts.join('\n'), LIMITS.contextText))] });
  if (decision) {
    const what = decision.kind === 'escalated' ? ':rotating_light: Escalated to on-call' : ':no_bell: Dismissed';
    const why = decision.reason ? ` — ${safe(decision.reason, 100)}${decision.note ? `: ${safe(decision.note, 500)}` : ''}` : '';
    blocks.push({ type: 'context', elements: [mrkdwn(`${what} by <@${decision.by}> at ${decision.at}${why}`)] });
  } else {
    blocks.push({
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
            text: mrkdwn('This pages the on-call responders for this alert.'),
            confirm: { type: 'plain_text', text: 'Escalate' },
            deny: { type: 'plain_text', text: 'Cancel' },
          },
        },
        { type: 'button', action_id: ACTIONS.dismiss, text: { type: 'plain_text', text: 'Dismiss' }, value: alertKey },
        { type: 'button', action_id: ACTIONS.rerun, text: { type: 'plain_text', text: 'Re-run' }, value: alertKey },
      ],
    });
  }
  return { text: cut(`${style.label} (${score}): ${safe(v.summary, 500)}`, LIMITS.messageText), blocks };
}

export function renderInvestigating(alertId: string, note = 'Investigating…'): { text: string; blocks: Block[] } {
  const text = `:hourglass_flowing_sand: ${note} alert ${safe(alertId, 200)}`;
  return { text, blocks: [{ type: 'context', elements: [mrkdwn(text)] }] };
}

/** After the last retry: why it failed, and a Re-run button. */
export function renderFailure(alertId: string, reason: string, alertKey: string, attempts: number): { text: string; blocks: Block[] } {
  const text = `:x: Could not investigate alert ${safe(alertId, 200)} after ${attempts} attempt(s): ${safe(reason, 500)}`;
  return {
    text,
    blocks: [
      { type: 'section', text: mrkdwn(cut(text, LIMITS.sectionText)) },
      { type: 'actions', block_id: 'triage_actions', elements: [{ type: 'button', action_id: ACTIONS.rerun, text: { type: 'plain_text', text: 'Re-run' }, value: alertKey }] },
    ],
  };
}

export function dismissModal(alertKey: string): Block {
  return {
    type: 'modal',
    callback_id: DISMISS_VIEW,
    private_metadata: alertKey,
    title: { type: 'plain_text', text: 'Dismiss alert' },
    submit: { type: 'plain_text', text: 'Dismiss' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: 'reason',
        label: { type: 'plain_text', text: 'Reason' },
        element: {
          type: 'static_select',
          action_id: 'value',
          options: DISMISS_REASONS.map(([value, text]) => ({ value, text: { type: 'plain_text', text } })),
        },
      },
      {
        type: 'input',
        block_id: 'note',
        optional: true,
        label: { type: 'plain_text', text: 'Note' },
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 1000 },
      },
    ],
  };
}
