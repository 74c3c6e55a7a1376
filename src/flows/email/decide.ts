// Email flow, decide: steps M0–M7 of flows.md, pure. The first step that decides wins.
import type { EmailAlert } from '../../alerts/types.js';
import type { Interaction, Searched } from '../../evidence/ports.js';
import type { ProofpointClick, ProofpointClicksFound } from '../../evidence/proofpoint.js';
import { sameUrl } from '../../enrich/url.js';
import { sameDecodedUrl } from '../../enrich/url-decode.js';
import type { FlowVerdict, PathStep, VerdictClass } from '../verdict-core.js';
import type { EmailEvidence } from './gather.js';
import type { EmailFacts } from './verdict-facts.js';

/** This flow's verdict. */
export type EmailVerdict = FlowVerdict<'malicious_email', EmailFacts>;

const iso = (d: Date) => d.toISOString();

/** A user is a recipient when the address, or its local part, matches (case-insensitive). */
function isRecipient(user: string, recipients: string[]): boolean {
  const u = user.toLowerCase();
  return recipients.some((r) => {
    const rl = r.toLowerCase();
    return rl === u || rl.split('@')[0] === u.split('@')[0];
  });
}

function who(i: Interaction, recipients: string[]): string {
  const users = i.users.length ? i.users.map((u) => (isRecipient(u, recipients) ? `${u} (recipient)` : u)).join(', ') : 'unknown user';
  // Other spellings of the same people (one proxy record's user.name beside its user.email): never more users.
  const aka = i.otherNames?.length ? ` (also logged as ${i.otherNames.join(', ')})` : '';
  return `${users}${aka} on ${i.host ?? 'unknown host'} at ${iso(i.first)}${i.count > 1 ? ` (${i.count} events until ${iso(i.last)})` : ''}`;
}

/** A Proofpoint TAP click: who (the recipient whose rewritten link it was), from where, when. */
function clickedBy(c: ProofpointClick, recipients: string[]): string {
  const users = c.users.length ? c.users.map((u) => (isRecipient(u, recipients) ? `${u} (recipient)` : u)).join(', ') : 'unknown recipient';
  return `${users} from ${c.clickIps.join(', ') || 'unknown address'} at ${iso(c.first)}${c.count > 1 ? ` (${c.count} clicks until ${iso(c.last)})` : ''}`;
}

function proofpointFacts(c: ProofpointClick, recipients: string[]) {
  return { url: c.url, source: 'proofpoint_tap' as const, click_ips: c.clickIps, classifications: c.classifications, ...interactionFacts(c, recipients) };
}

/**
 * What Proofpoint TAP adds to M2 when it found no permitted click (v3). It is optional evidence: without data it
 * is named and nothing more; cut short, "no click" is unknown. Blocked clicks are named, never interactions.
 */
function proofpointSays(pp: ProofpointClicksFound | undefined, blocked: ProofpointClick[], recipients: string[]): { evidence: string[]; unknownWhy?: string } {
  if (!pp) return { evidence: [] };
  const evidence: string[] = [];
  let unknownWhy: string | undefined;
  if (!pp.hasData) evidence.push('Proofpoint TAP: no click data since delivery (optional evidence, not counted as missing)');
  else if (pp.incomplete?.length) {
    unknownWhy = `Proofpoint TAP: ${pp.incomplete.join('; ')}`;
    evidence.push(`no permitted Proofpoint TAP click found, but ${unknownWhy}`);
  } else evidence.push('no permitted Proofpoint TAP click on the indicator URLs since delivery');
  if (blocked.length) evidence.push(blockedText(blocked, recipients));
  if (pp.notes?.length) evidence.push(`Proofpoint TAP: ${pp.notes.join('; ')}`);
  return { evidence, ...(unknownWhy ? { unknownWhy } : {}) };
}

function blockedText(blocked: ProofpointClick[], recipients: string[]): string {
  return `blocked by Proofpoint TAP (not an interaction): ${blocked.map((c) => `${c.url}: ${clickedBy(c, recipients)}`).join('; ')}`;
}

function interactionFacts(i: Interaction, recipients: string[]) {
  return { host: i.host ?? null, users: i.users, ...(i.otherNames?.length ? { other_names: i.otherNames } : {}), recipients: i.users.filter((u) => isRecipient(u, recipients)), first: iso(i.first), last: iso(i.last), count: i.count };
}

/** A search's answer when it found nothing: "no", or "unknown" with why (no data, or what it could not see). */
function nothingFound(s: Searched<unknown> | undefined, noData: string, none: string): { answer: 'no' | 'unknown'; evidence: string; why?: string } {
  if (!s?.hasData) return { answer: 'unknown', evidence: noData, why: noData };
  if (s.incomplete?.length) {
    const why = s.incomplete.join('; ');
    return { answer: 'unknown', evidence: `${none}, but ${why}`, why };
  }
  return { answer: 'no', evidence: none };
}

export function decideEmail(alert: EmailAlert, ev: EmailEvidence): EmailVerdict {
  const path: PathStep[] = [];
  const unknown: Array<{ step: string; why: string }> = [];
  const rc = alert.recipients;
  const onUrl = (ev.proxy?.found ?? []).filter((h) => alert.urls.some((u) => sameUrl(u, h.url)));
  // v4: a record the proxy blocked is named, never a click.
  const clicks = onUrl.filter((h) => !h.blocked);
  const proxyBlocked = onUrl.filter((h) => h.blocked);
  // Proofpoint logs the URL decoded (its pipeline's urldecode): the indicator is compared as written and decoded.
  const tapOnUrl = (ev.proofpoint?.found ?? []).filter((c) => alert.urls.some((u) => sameDecodedUrl(u, c.url)));
  const tapClicks = tapOnUrl.filter((c) => c.action === 'permitted');
  const tapBlocked = tapOnUrl.filter((c) => c.action === 'blocked');
  // Prior popularity is known only where the 30 days before delivery had EDR network data and the search saw all of it.
  const popularity = ev.popularity?.hasData && !ev.popularity.incomplete?.length ? ev.popularity.found : undefined;
  const contacts = ev.contacts?.found ?? [];
  const rareContacts = popularity ? contacts.filter((c) => (popularity[c.domain] ?? 0) < ev.rareThreshold) : [];
  const popularContacts = popularity ? contacts.filter((c) => (popularity[c.domain] ?? 0) >= ev.rareThreshold) : [];
  const unratedContacts = popularity ? [] : contacts;
  const executions = ev.processes?.found ?? [];
  const onDisk = ev.files?.found ?? [];
  const hasAttachments = alert.fileNames.length + alert.hashes.length > 0;

  const facts: EmailFacts = {
    recipients: rc,
    sender: alert.sender ?? null,
    subject: alert.subject ?? null,
    delivered: iso(alert.time),
    windows: { after: { from: iso(ev.after.from), to: iso(ev.after.to) }, prior: { from: iso(ev.prior.from), to: iso(ev.prior.to) } },
    urls: ev.urls.map((u) => ({ url: u.url, domain: u.domain ?? null })),
    file_names: alert.fileNames,
    hashes: alert.hashes,
    domain_prior_users: popularity ?? null,
    rare_domain_user_threshold: ev.rareThreshold,
    clicks: [...clicks.map((h) => ({ url: h.url, source: 'proxy' as const, ...interactionFacts(h, rc) })), ...tapClicks.map((c) => proofpointFacts(c, rc))],
    blocked_clicks: [...proxyBlocked.map((h) => ({ url: h.url, source: 'proxy' as const, ...interactionFacts(h, rc) })), ...tapBlocked.map((c) => proofpointFacts(c, rc))],
    domain_contacts: contacts.map((c) => ({ domain: c.domain, names: c.names, prior_users: popularity?.[c.domain] ?? null, ...interactionFacts(c, rc) })),
    executions: executions.map((h) => ({ indicator: h.indicator, matched_by: h.matchedBy, examples: h.examples, ...interactionFacts(h, rc) })),
    files_on_disk: onDisk.map((h) => ({ indicator: h.indicator, matched_by: h.matchedBy, examples: h.examples, ...interactionFacts(h, rc) })),
    data: {
      proxy: ev.proxy?.hasData ?? null,
      proofpoint_tap: ev.proofpoint?.hasData ?? null,
      edr_network: ev.contacts?.hasData ?? null,
      edr_network_prior: ev.popularity?.hasData ?? null,
      edr_process: ev.processes?.hasData ?? null,
      edr_file: ev.files?.hasData ?? null,
    },
    incomplete: Object.fromEntries(
      Object.entries({ proxy: ev.proxy, proofpoint_tap: ev.proofpoint, edr_network: ev.contacts, edr_network_prior: ev.popularity, edr_process: ev.processes, edr_file: ev.files }).flatMap(([k, s]) => (s?.incomplete?.length ? [[k, s.incomplete]] : [])),
    ),
  };
  const done = (verdict: VerdictClass, score: number | null, summary: string): EmailVerdict => ({
    alert_id: alert.id,
    flow: 'malicious_email',
    verdict,
    score,
    summary,
    path,
    facts,
  });
  const push = (step: string, question: string, answer: string, evidence: string, why?: string) => {
    path.push({ step, question, answer, evidence });
    if (answer === 'unknown') unknown.push({ step, why: why ?? evidence });
  };

  // M0
  if (alert.urls.length + alert.fileNames.length + alert.hashes.length === 0) {
    push('M0', 'No URL, file name or hash in the alert?', 'yes', 'the alert carries no indicator to look for');
    return done('inconclusive', null, 'The alert names no URL, file name or hash: nothing to correlate.');
  }
  push('M0', 'No URL, file name or hash in the alert?', 'no', `${alert.urls.length} URL(s), ${alert.fileNames.length} file name(s), ${alert.hashes.length} hash(es)`);

  // M1
  const m1q = 'Was an attachment executed (process evidence)?';
  if (!hasAttachments) push('M1', m1q, 'no', 'no attachment indicator in the alert');
  else if (executions.length > 0) {
    push('M1', m1q, 'yes', executions.map((h) => `${h.indicator} (${h.matchedBy.replace('_', ' ')}): ${who(h, rc)}`).join('; '));
    return done('malicious', 98, `The attachment was executed: ${executions.map((h) => `${h.indicator} on ${h.host ?? 'unknown host'}`).join(', ')}.`);
  } else {
    const r = nothingFound(ev.processes, 'no EDR process data since delivery', 'no process start matches the attachments');
    push('M1', m1q, r.answer, r.evidence, r.why);
  }

  // M2 (v3: a permitted Proofpoint TAP click is a click too; Proofpoint is optional evidence)
  const m2q = 'Was the link clicked (a proxy hit on the exact URL that the proxy let through, or a permitted Proofpoint TAP click on it)?';
  const blockedByProxy = proxyBlocked.length ? [`blocked by the proxy (not an interaction): ${proxyBlocked.map((h) => `${h.url}: ${who(h, rc)}`).join('; ')}`] : [];
  if (alert.urls.length === 0) push('M2', m2q, 'no', 'no URL in the alert');
  else if (clicks.length + tapClicks.length > 0) {
    const seen = [
      ...clicks.map((h) => `${h.url}: ${who(h, rc)} (proxy)`),
      ...blockedByProxy,
      ...tapClicks.map((c) => `${c.url}: ${clickedBy(c, rc)} (Proofpoint TAP, permitted${c.classifications.length ? `, ${c.classifications.join(', ')}` : ''})`),
      ...(tapBlocked.length ? [blockedText(tapBlocked, rc)] : []),
    ];
    push('M2', m2q, 'yes', seen.join('; '));
    const names = [...clicks.map((h) => `${h.users.join(', ') || h.host || 'unknown'}`), ...tapClicks.map((c) => `${c.users.join(', ') || 'unknown recipient'} (Proofpoint TAP)`)];
    return done('malicious', 90, `The link was clicked: ${names.join('; ')}.`);
  } else {
    const none = proxyBlocked.length ? 'no proxy record the proxy let through on the indicator URLs since delivery' : 'no proxy event on the indicator URLs since delivery';
    const r = nothingFound(ev.proxy, 'no proxy data since delivery', none);
    const tap = proofpointSays(ev.proofpoint, tapBlocked, rc);
    const why = [r.why, tap.unknownWhy].filter((w): w is string => w !== undefined).join('; ');
    push('M2', m2q, r.answer === 'unknown' || tap.unknownWhy ? 'unknown' : 'no', [r.evidence, ...blockedByProxy, ...tap.evidence].join('; '), why || undefined);
  }

  // M3
  const m3q = `Was a domain reached (EDR) whose prior popularity is below ${ev.rareThreshold} users?`;
  const priorWhy = !ev.popularity?.hasData ? 'no EDR network data in the 30 days before delivery' : ev.popularity.incomplete?.join('; ') ?? '';
  const priorText = popularity ? ev.domains.map((d) => `${d}: ${popularity[d] ?? 0} prior user(s)`).join(', ') : `prior popularity unknown (${priorWhy})`;
  const reached = nothingFound(ev.contacts, 'no EDR network data since delivery', `no EDR network event to ${ev.domains.join(', ')} since delivery`);
  if (ev.domains.length === 0) push('M3', m3q, 'no', 'no domain to look for');
  else if (rareContacts.length > 0) {
    push('M3', m3q, 'yes', `${rareContacts.map((c) => `${c.domain} (${c.names.join(', ')}): ${who(c, rc)}`).join('; ')}; ${priorText}`);
    return done('malicious', 85, `A rare domain was reached after delivery: ${[...new Set(rareContacts.map((c) => c.domain))].join(', ')} (${rareContacts.map((c) => c.host ?? 'unknown host').join(', ')}).`);
  } else if (unratedContacts.length > 0) push('M3', m3q, 'unknown', `${unratedContacts.map((c) => `${c.domain}: ${who(c, rc)}`).join('; ')}; ${priorText}`, priorText);
  else if (contacts.length > 0) push('M3', m3q, reached.answer, `reached only popular domains; ${priorText}${reached.why && ev.contacts?.hasData ? `; ${reached.why}` : ''}`, reached.why);
  else push('M3', m3q, reached.answer, reached.evidence, reached.why);

  // M4
  const m4q = 'Was an attachment written to disk (hash or name)?';
  if (!hasAttachments) push('M4', m4q, 'no', 'no attachment indicator in the alert');
  else if (onDisk.length > 0) {
    push('M4', m4q, 'yes', onDisk.map((h) => `${h.indicator} (${h.matchedBy.replace('_', ' ')}): ${who(h, rc)}${h.examples.length ? ` — ${h.examples.join(', ')}` : ''}`).join('; '));
    return done('malicious', 80, `The attachment was written to disk: ${onDisk.map((h) => `${h.indicator} on ${h.host ?? 'unknown host'}`).join(', ')}.`);
  } else {
    const r = nothingFound(ev.files, 'no EDR file data since delivery', 'no file creation matches the attachments');
    push('M4', m4q, r.answer, r.evidence, r.why);
  }

  // M5
  const m5q = `Was a domain reached, but a popular one (≥ ${ev.rareThreshold} prior users)?`;
  if (popularContacts.length > 0) {
    push('M5', m5q, 'yes', `${popularContacts.map((c) => `${c.domain}: ${who(c, rc)}`).join('; ')}; ${priorText}`);
    return done('suspicious', 45, `A popular domain of the email was reached (${[...new Set(popularContacts.map((c) => c.domain))].join(', ')}): an analyst should check what was fetched.`);
  }
  if (unratedContacts.length > 0) push('M5', m5q, 'unknown', `a domain was reached, ${priorText}`, priorText);
  else if (ev.domains.length > 0 && reached.answer === 'unknown') push('M5', m5q, 'unknown', reached.evidence, reached.why);
  else push('M5', m5q, 'no', 'no domain of the email was reached');

  // M5b (v3): reached, but how common the domain was before the email is unknown.
  const m5bq = 'Was a domain reached whose prior popularity is unknown?';
  if (unratedContacts.length > 0) {
    push('M5b', m5bq, 'yes', `${unratedContacts.map((c) => `${c.domain} (${c.names.join(', ')}): ${who(c, rc)}`).join('; ')}; ${priorText}`);
    return done('suspicious', 60, `A domain of the email was reached after delivery (${[...new Set(unratedContacts.map((c) => c.domain))].join(', ')}), and how many users reached it before is unknown: an analyst must look.`);
  }
  push('M5b', m5bq, 'no', contacts.length ? 'every domain reached has a known prior popularity' : 'no domain of the email was reached');

  // M6: Proofpoint TAP is optional evidence, never a needed dataset (v3).
  const needed: Array<[string, boolean]> = [];
  if (alert.urls.length) needed.push(['proxy', ev.proxy?.hasData ?? false]);
  if (ev.domains.length) needed.push(['EDR network', ev.contacts?.hasData ?? false]);
  if (hasAttachments) {
    needed.push(['EDR process', ev.processes?.hasData ?? false]);
    needed.push(['EDR file', ev.files?.hasData ?? false]);
  }
  const missing = needed.filter(([, has]) => !has).map(([name]) => name);
  const m6q = 'Was any needed dataset without data?';
  if (missing.length > 0) {
    push('M6', m6q, 'yes', `without data: ${missing.join(', ')}${missing.length < needed.length ? `; with data: ${needed.filter(([, h]) => h).map(([n]) => n).join(', ')}` : ''}`);
    if (missing.length === needed.length) return done('inconclusive', null, `No data in any needed source (${missing.join(', ')}): cannot tell whether anyone interacted.`);
    return done('suspicious', 35, `No interaction found, but ${missing.join(', ')} had no data: an analyst must check.`);
  }
  push('M6', m6q, 'no', `data present in ${needed.map(([n]) => n).join(', ')}`);

  // M7: benign, unless a step before it could not be answered (v3).
  if (unknown.length > 0) {
    const names = unknown.map((u) => u.step).join(', ');
    push('M7', 'Otherwise: no interaction found', 'yes', `no click, no domain contact, no execution, no file on disk found; no benign verdict while ${names} could not be answered: inconclusive`);
    return done('inconclusive', null, `No interaction found, but ${unknown.map((u) => `${u.step} could not be answered (${u.why})`).join('; ')}.`);
  }
  push('M7', 'Otherwise: no interaction found', 'yes', `no click, no domain contact, no execution, no file on disk${tapBlocked.length ? '; Proofpoint TAP blocked the clicks it saw' : ''}`);
  const blockedNote = tapBlocked.length ? ` (Proofpoint TAP blocked ${tapBlocked.reduce((n, c) => n + c.count, 0)} click(s): ${[...new Set(tapBlocked.flatMap((c) => c.users))].join(', ') || 'unknown recipient'})` : '';
  return done('benign', 15, `No one interacted with the email${blockedNote}: recommend purging the message from all mailboxes.`);
}
