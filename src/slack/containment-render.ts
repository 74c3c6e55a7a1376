// Block Kit for containment (issue 20): the Contain… button, the modal that shows exactly what will be done,
// the approval request in the thread and its outcome. Our words are mrkdwn; every target, API call and service
// answer goes through rich-text.ts as a value.
import { revokeOlderSessionsPolicy } from '../containment/aws-policy.js';
import type { ContainmentRequest } from '../containment/store.js';
import type { ContainmentMode, ContainmentPlan } from '../containment/types.js';
import { dateSpan, label, plain, richText, user, value, type Span } from './rich-text.js';

// The shapes of render.ts, repeated: render.ts imports this file for the Contain… button.
type Block = { type: string; [key: string]: unknown };
interface SlackMessage {
  text: string;
  blocks: Block[];
}

export const CONTAIN = {
  open: 'triage_contain',
  approve: 'triage_contain_approve',
  refuse: 'triage_contain_refuse',
  retry: 'triage_contain_retry',
  undo: 'triage_contain_undo',
} as const;
export const CONTAIN_VIEW = 'triage_contain_view';

const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const button = (action_id: string, text: string, val: string, style?: 'primary' | 'danger'): Block => ({ type: 'button', action_id, text: { type: 'plain_text', text }, value: val, ...(style ? { style } : {}) });

/** Offered on malicious and suspicious verdicts only, when containment is not off. */
export function containButtonBlock(alertKey: string): Block {
  return { type: 'actions', block_id: 'triage_contain', elements: [button(CONTAIN.open, 'Contain…', alertKey, 'danger')] };
}

/** The plan as lines of spans: the action, the target, where it came from, the call, the consequence. */
function planLines(plan: ContainmentPlan, now: Date): Span[][] {
  const target = plan.target;
  const targetText = target.kind === 'okta_clear_sessions' ? `Okta user ${target.oktaUserId}` : target.kind === 'aws_revoke_role_sessions' ? `IAM role ${target.roleArn}` : `Cyren case ${target.caseId} (incident ${target.incidentId})`;
  return [
    [label('Action: '), plain(plan.action)],
    [label('Target: '), value(targetText, 400)],
    [label('Taken from: '), plain(plan.targetFrom)],
    [label('API call: '), value(plan.apiCall.split(' PolicyDocument=')[0]!, 600, { code: true })],
    ...(target.kind === 'aws_revoke_role_sessions' ? [[label('Policy (aws:TokenIssueTime is set when the call is made): '), value(revokeOlderSessionsPolicy(now), 1000, { code: true })]] : []),
    [label('Consequence: '), plain(plan.consequence)],
  ];
}

const modeNote = (mode: ContainmentMode): string => (mode === 'live' ? '' : ' *Dry run:* nothing will be called; every step is shown and audited.');

export function containModal(alertKey: string, plan: ContainmentPlan, mode: ContainmentMode, ttlMinutes: number, now = new Date()): Block {
  return {
    type: 'modal',
    callback_id: CONTAIN_VIEW,
    // Only the alert: the plan is made again from the stored verdict on submit, never read back from the view.
    private_metadata: alertKey,
    title: { type: 'plain_text', text: 'Contain' },
    submit: { type: 'plain_text', text: 'Request approval' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: mrkdwn(`This asks a *second responder* to approve, within ${ttlMinutes} min, exactly this:${modeNote(mode)}`) },
      richText(planLines(plan, now)),
    ],
  };
}

/** The request in the thread, with Approve/Refuse while it waits. */
export function approvalRequestMessage(r: ContainmentRequest, now = new Date()): SlackMessage {
  const minutes = Math.max(0, Math.round((r.expiresAt - now.getTime()) / 60_000));
  const lead = `:lock: *Containment requested* — a different responder must approve within ${minutes} min.${modeNote(r.mode)}`;
  return {
    text: 'Containment requested: approval needed',
    blocks: [
      { type: 'section', text: mrkdwn(lead) },
      richText([[label('Requested by '), user(r.requestedBy), plain(' at '), dateSpan(r.requestedAt)], ...planLines(r.plan, now)]),
      { type: 'actions', block_id: 'triage_contain_decide', elements: [button(CONTAIN.approve, 'Approve', r.id, 'danger'), button(CONTAIN.refuse, 'Refuse', r.id)] },
    ],
  };
}

const STATUS_LEAD: Record<ContainmentRequest['status'], string> = {
  pending: ':lock: *Containment requested*',
  executing: ':hourglass: *Containment approved* — calling',
  done: ':white_check_mark: *Containment done*',
  failed: ':x: *Containment failed*',
  refused: ':no_entry_sign: *Containment refused*',
  expired: ':alarm_clock: *Containment request expired* — not approved in time; request it again if still needed',
  undoing: ':hourglass: *Undoing containment*',
  undone: ':leftwards_arrow_with_hook: *Containment undone*',
};

/** The request after a step: who approved or refused, the service's answer, Retry or Undo where they apply. */
export function requestStatusMessage(r: ContainmentRequest): SlackMessage {
  const who: Span[][] = [[label('Requested by '), user(r.requestedBy), plain(' at '), dateSpan(r.requestedAt)]];
  if (r.approvedBy) who.push([label('Approved by '), user(r.approvedBy), plain(` at ${r.approvedAt ?? ''}`)]);
  if (r.refusedBy) who.push([label('Refused by '), user(r.refusedBy)]);
  if (r.undoneBy) who.push([label('Undone by '), user(r.undoneBy)]);
  const answer: Span[][] = r.result ? [[label(r.result.ok ? 'Answer: ' : 'Why: '), value(r.result.ok ? r.result.answer : r.result.reason, 600)]] : [];
  const buttons: Block[] = [];
  if (r.status === 'failed') buttons.push(button(CONTAIN.retry, 'Retry', r.id, 'primary'), button(CONTAIN.refuse, 'Give up', r.id));
  if (r.status === 'done' && r.plan.undoable) buttons.push(button(CONTAIN.undo, 'Undo', r.id));
  const lead = `${STATUS_LEAD[r.status]}${r.mode === 'live' ? '' : ' (dry run: nothing was called)'}`;
  return {
    text: lead.replace(/:[a-z_]+:/g, '').replace(/[*_]/g, '').trim(),
    blocks: [
      { type: 'section', text: mrkdwn(lead) },
      richText([...who, [label('Target: '), value(targetOf(r.plan), 400)], [label('API call: '), value(r.plan.apiCall.split(' PolicyDocument=')[0]!, 600, { code: true })], ...answer]),
      ...(buttons.length ? [{ type: 'actions', block_id: 'triage_contain_next', elements: buttons }] : []),
    ],
  };
}

function targetOf(plan: ContainmentPlan): string {
  const t = plan.target;
  return t.kind === 'okta_clear_sessions' ? t.oktaUserId : t.kind === 'aws_revoke_role_sessions' ? t.roleArn : t.caseId;
}
