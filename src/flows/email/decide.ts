// Email flow, decide: steps M0–M7 of flows.md §3, one function each, in order, pure. The first step that decides
// wins; an `unknown` answer decides nothing and is remembered, and no benign verdict rests on one (v3).
import type { EmailAlert } from '../../alerts/types.js';
import type { FlowVerdict, VerdictClass } from '../verdict-core.js';
import { emailContext, record, type EmailContext } from './context.js';
import type { EmailEvidence } from './gather.js';
import type { EmailFacts } from './verdict-facts.js';
import { blockedText, clickedBy, nothingFound, proofpointSays, who } from './trace.js';

/** This flow's verdict. */
export type EmailVerdict = FlowVerdict<'malicious_email', EmailFacts>;

/** A step that decides: the verdict, its score and summary. */
interface Ending {
  verdict: VerdictClass;
  score: number | null;
  summary: string;
}

const ending = (verdict: VerdictClass, score: number | null, summary: string): Ending => ({ verdict, score, summary });
const hosts = (hits: Array<{ indicator: string; host?: string }>) => hits.map((h) => `${h.indicator} on ${h.host ?? 'unknown host'}`).join(', ');
const distinctDomains = (contacts: Array<{ domain: string }>) => [...new Set(contacts.map((c) => c.domain))].join(', ');

function m0NoIndicator(ctx: EmailContext): Ending | undefined {
  const { alert } = ctx;
  const q = 'No URL, file name or hash in the alert?';
  if (alert.urls.length + alert.fileNames.length + alert.hashes.length === 0) {
    ctx.path.record('M0', q, 'yes', 'the alert carries no indicator to look for');
    return ending('inconclusive', null, 'The alert names no URL, file name or hash: nothing to correlate.');
  }
  ctx.path.record('M0', q, 'no', `${alert.urls.length} URL(s), ${alert.fileNames.length} file name(s), ${alert.hashes.length} hash(es)`);
  return undefined;
}

function m1AttachmentExecuted(ctx: EmailContext): Ending | undefined {
  const q = 'Was an attachment executed (process evidence)?';
  const { executions, rc } = ctx;
  if (!ctx.hasAttachments) return void record(ctx, 'M1', q, 'no', 'no attachment indicator in the alert');
  if (executions.length > 0) {
    record(ctx, 'M1', q, 'yes', executions.map((h) => `${h.indicator} (${h.matchedBy.replace('_', ' ')}): ${who(h, rc)}`).join('; '));
    return ending('malicious', 98, `The attachment was executed: ${hosts(executions)}.`);
  }
  const r = nothingFound(ctx.ev.processes, 'no EDR process data since delivery', 'no process start matches the attachments');
  record(ctx, 'M1', q, r.answer, r.evidence, r.why);
  return undefined;
}

/** M2 (v3: a permitted Proofpoint TAP click is a click too; Proofpoint is optional evidence). */
function m2LinkClicked(ctx: EmailContext): Ending | undefined {
  const q = 'Was the link clicked (a proxy hit on the exact URL that the proxy let through, or a permitted Proofpoint TAP click on it)?';
  const { clicks, proxyBlocked, tapClicks, tapBlocked, rc } = ctx;
  const blockedByProxy = proxyBlocked.length ? [`blocked by the proxy (not an interaction): ${proxyBlocked.map((h) => `${h.url}: ${who(h, rc)}`).join('; ')}`] : [];
  if (ctx.alert.urls.length === 0) return void record(ctx, 'M2', q, 'no', 'no URL in the alert');
  if (clicks.length + tapClicks.length > 0) {
    const seen = [
      ...clicks.map((h) => `${h.url}: ${who(h, rc)} (proxy)`),
      ...blockedByProxy,
      ...tapClicks.map((c) => `${c.url}: ${clickedBy(c, rc)} (Proofpoint TAP, permitted${c.classifications.length ? `, ${c.classifications.join(', ')}` : ''})`),
      ...(tapBlocked.length ? [blockedText(tapBlocked, rc)] : []),
    ];
    record(ctx, 'M2', q, 'yes', seen.join('; '));
    const names = [...clicks.map((h) => `${h.users.join(', ') || h.host || 'unknown'}`), ...tapClicks.map((c) => `${c.users.join(', ') || 'unknown recipient'} (Proofpoint TAP)`)];
    return ending('malicious', 90, `The link was clicked: ${names.join('; ')}.`);
  }
  const none = proxyBlocked.length ? 'no proxy record the proxy let through on the indicator URLs since delivery' : 'no proxy event on the indicator URLs since delivery';
  const r = nothingFound(ctx.ev.proxy, 'no proxy data since delivery', none);
  const tap = proofpointSays(ctx.ev.proofpoint, tapBlocked, rc);
  const why = [r.why, tap.unknownWhy].filter((w): w is string => w !== undefined).join('; ');
  record(ctx, 'M2', q, r.answer === 'unknown' || tap.unknownWhy ? 'unknown' : 'no', [r.evidence, ...blockedByProxy, ...tap.evidence].join('; '), why || undefined);
  return undefined;
}

function m3RareDomainReached(ctx: EmailContext): Ending | undefined {
  const { ev, rc, rareContacts, unratedContacts, contacts, priorText, reached } = ctx;
  const q = `Was a domain reached (EDR) whose prior popularity is below ${ev.rareThreshold} users?`;
  if (ev.domains.length === 0) return void record(ctx, 'M3', q, 'no', 'no domain to look for');
  if (rareContacts.length > 0) {
    record(ctx, 'M3', q, 'yes', `${rareContacts.map((c) => `${c.domain} (${c.names.join(', ')}): ${who(c, rc)}`).join('; ')}; ${priorText}`);
    return ending('malicious', 85, `A rare domain was reached after delivery: ${distinctDomains(rareContacts)} (${rareContacts.map((c) => c.host ?? 'unknown host').join(', ')}).`);
  }
  if (unratedContacts.length > 0) record(ctx, 'M3', q, 'unknown', `${unratedContacts.map((c) => `${c.domain}: ${who(c, rc)}`).join('; ')}; ${priorText}`, priorText);
  else if (contacts.length > 0) record(ctx, 'M3', q, reached.answer, `reached only popular domains; ${priorText}${reached.why && ev.contacts?.hasData ? `; ${reached.why}` : ''}`, reached.why);
  else record(ctx, 'M3', q, reached.answer, reached.evidence, reached.why);
  return undefined;
}

function m4AttachmentOnDisk(ctx: EmailContext): Ending | undefined {
  const q = 'Was an attachment written to disk (hash or name)?';
  const { onDisk, rc } = ctx;
  if (!ctx.hasAttachments) return void record(ctx, 'M4', q, 'no', 'no attachment indicator in the alert');
  if (onDisk.length > 0) {
    record(ctx, 'M4', q, 'yes', onDisk.map((h) => `${h.indicator} (${h.matchedBy.replace('_', ' ')}): ${who(h, rc)}${h.examples.length ? ` — ${h.examples.join(', ')}` : ''}`).join('; '));
    return ending('malicious', 80, `The attachment was written to disk: ${hosts(onDisk)}.`);
  }
  const r = nothingFound(ctx.ev.files, 'no EDR file data since delivery', 'no file creation matches the attachments');
  record(ctx, 'M4', q, r.answer, r.evidence, r.why);
  return undefined;
}

function m5PopularDomainReached(ctx: EmailContext): Ending | undefined {
  const { ev, rc, popularContacts, unratedContacts, priorText, reached } = ctx;
  const q = `Was a domain reached, but a popular one (≥ ${ev.rareThreshold} prior users)?`;
  if (popularContacts.length > 0) {
    record(ctx, 'M5', q, 'yes', `${popularContacts.map((c) => `${c.domain}: ${who(c, rc)}`).join('; ')}; ${priorText}`);
    return ending('suspicious', 45, `A popular domain of the email was reached (${distinctDomains(popularContacts)}): an analyst should check what was fetched.`);
  }
  if (unratedContacts.length > 0) record(ctx, 'M5', q, 'unknown', `a domain was reached, ${priorText}`, priorText);
  else if (ev.domains.length > 0 && reached.answer === 'unknown') record(ctx, 'M5', q, 'unknown', reached.evidence, reached.why);
  else record(ctx, 'M5', q, 'no', 'no domain of the email was reached');
  return undefined;
}

/** M5b (v3): reached, but how common the domain was before the email is unknown. */
function m5bUnratedDomainReached(ctx: EmailContext): Ending | undefined {
  const { rc, unratedContacts, priorText } = ctx;
  const q = 'Was a domain reached whose prior popularity is unknown?';
  if (unratedContacts.length > 0) {
    record(ctx, 'M5b', q, 'yes', `${unratedContacts.map((c) => `${c.domain} (${c.names.join(', ')}): ${who(c, rc)}`).join('; ')}; ${priorText}`);
    return ending('suspicious', 60, `A domain of the email was reached after delivery (${distinctDomains(unratedContacts)}), and how many users reached it before is unknown: an analyst must look.`);
  }
  record(ctx, 'M5b', q, 'no', ctx.contacts.length ? 'every domain reached has a known prior popularity' : 'no domain of the email was reached');
  return undefined;
}

/** M6: Proofpoint TAP is optional evidence, never a needed dataset (v3). */
function m6NeededDataMissing(ctx: EmailContext): Ending | undefined {
  const { alert, ev } = ctx;
  const needed: Array<[string, boolean]> = [];
  if (alert.urls.length) needed.push(['proxy', ev.proxy?.hasData ?? false]);
  if (ev.domains.length) needed.push(['EDR network', ev.contacts?.hasData ?? false]);
  if (ctx.hasAttachments) {
    needed.push(['EDR process', ev.processes?.hasData ?? false]);
    needed.push(['EDR file', ev.files?.hasData ?? false]);
  }
  const missing = needed.filter(([, has]) => !has).map(([name]) => name);
  const q = 'Was any needed dataset without data?';
  if (missing.length === 0) return void record(ctx, 'M6', q, 'no', `data present in ${needed.map(([n]) => n).join(', ')}`);
  record(ctx, 'M6', q, 'yes', `without data: ${missing.join(', ')}${missing.length < needed.length ? `; with data: ${needed.filter(([, h]) => h).map(([n]) => n).join(', ')}` : ''}`);
  if (missing.length === needed.length) return ending('inconclusive', null, `No data in any needed source (${missing.join(', ')}): cannot tell whether anyone interacted.`);
  return ending('suspicious', 35, `No interaction found, but ${missing.join(', ')} had no data: an analyst must check.`);
}

/** M7: benign, unless a step before it could not be answered (v3). */
function m7NoInteraction(ctx: EmailContext): Ending {
  const { unknown, tapBlocked } = ctx;
  const q = 'Otherwise: no interaction found';
  if (unknown.length > 0) {
    const names = unknown.map((u) => u.step).join(', ');
    record(ctx, 'M7', q, 'yes', `no click, no domain contact, no execution, no file on disk found; no benign verdict while ${names} could not be answered: inconclusive`);
    return ending('inconclusive', null, `No interaction found, but ${unknown.map((u) => `${u.step} could not be answered (${u.why})`).join('; ')}.`);
  }
  record(ctx, 'M7', q, 'yes', `no click, no domain contact, no execution, no file on disk${tapBlocked.length ? '; Proofpoint TAP blocked the clicks it saw' : ''}`);
  const blockedNote = tapBlocked.length ? ` (Proofpoint TAP blocked ${tapBlocked.reduce((n, c) => n + c.count, 0)} click(s): ${[...new Set(tapBlocked.flatMap((c) => c.users))].join(', ') || 'unknown recipient'})` : '';
  return ending('benign', 15, `No one interacted with the email${blockedNote}: recommend purging the message from all mailboxes.`);
}

/** Steps M0–M7, in the order of flows.md §3; M7 always decides. */
const STEPS: Array<(ctx: EmailContext) => Ending | undefined> = [
  m0NoIndicator,
  m1AttachmentExecuted,
  m2LinkClicked,
  m3RareDomainReached,
  m4AttachmentOnDisk,
  m5PopularDomainReached,
  m5bUnratedDomainReached,
  m6NeededDataMissing,
  m7NoInteraction,
];

export function decideEmail(alert: EmailAlert, ev: EmailEvidence): EmailVerdict {
  const ctx = emailContext(alert, ev);
  for (const step of STEPS) {
    const end = step(ctx);
    if (end) return { alert_id: alert.id, flow: 'malicious_email', verdict: end.verdict, score: end.score, summary: end.summary, path: ctx.path.steps, facts: ctx.facts };
  }
  throw new Error('e-mail flow: no step decided'); // M7 always decides
}
