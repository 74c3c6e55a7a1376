// The e-mail flow's sentences and facts about who interacted (flows.md §3): a proxy record or EDR event's users
// and host, a Proofpoint TAP click's recipient and address, and what a search that found nothing means.
import type { Interaction, Searched } from '../../evidence/ports.js';
import type { ProofpointClick, ProofpointClicksFound } from '../../evidence/proofpoint.js';

export const iso = (d: Date) => d.toISOString();

/** A user is a recipient when the address, or its local part, matches (case-insensitive). */
export function isRecipient(user: string, recipients: string[]): boolean {
  const u = user.toLowerCase();
  return recipients.some((r) => {
    const rl = r.toLowerCase();
    return rl === u || rl.split('@')[0] === u.split('@')[0];
  });
}

export function who(i: Interaction, recipients: string[]): string {
  const users = i.users.length ? i.users.map((u) => (isRecipient(u, recipients) ? `${u} (recipient)` : u)).join(', ') : 'unknown user';
  // Other spellings of the same people (one proxy record's user.name beside its user.email): never more users.
  const aka = i.otherNames?.length ? ` (also logged as ${i.otherNames.join(', ')})` : '';
  return `${users}${aka} on ${i.host ?? 'unknown host'} at ${iso(i.first)}${i.count > 1 ? ` (${i.count} events until ${iso(i.last)})` : ''}`;
}

/** A Proofpoint TAP click: who (the recipient whose rewritten link it was), from where, when. */
export function clickedBy(c: ProofpointClick, recipients: string[]): string {
  const users = c.users.length ? c.users.map((u) => (isRecipient(u, recipients) ? `${u} (recipient)` : u)).join(', ') : 'unknown recipient';
  return `${users} from ${c.clickIps.join(', ') || 'unknown address'} at ${iso(c.first)}${c.count > 1 ? ` (${c.count} clicks until ${iso(c.last)})` : ''}`;
}

export function blockedText(blocked: ProofpointClick[], recipients: string[]): string {
  return `blocked by Proofpoint TAP (not an interaction): ${blocked.map((c) => `${c.url}: ${clickedBy(c, recipients)}`).join('; ')}`;
}

/**
 * What Proofpoint TAP adds to M2 when it found no permitted click (v3). It is optional evidence: without data it
 * is named and nothing more; cut short, "no click" is unknown. Blocked clicks are named, never interactions.
 */
export function proofpointSays(pp: ProofpointClicksFound | undefined, blocked: ProofpointClick[], recipients: string[]): { evidence: string[]; unknownWhy?: string } {
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

export function interactionFacts(i: Interaction, recipients: string[]) {
  return { host: i.host ?? null, users: i.users, ...(i.otherNames?.length ? { other_names: i.otherNames } : {}), recipients: i.users.filter((u) => isRecipient(u, recipients)), first: iso(i.first), last: iso(i.last), count: i.count };
}

export function proofpointFacts(c: ProofpointClick, recipients: string[]) {
  return { url: c.url, source: 'proofpoint_tap' as const, click_ips: c.clickIps, classifications: c.classifications, ...interactionFacts(c, recipients) };
}

/** A search's answer when it found nothing: "no", or "unknown" with why (no data, or what it could not see). */
export function nothingFound(s: Searched<unknown> | undefined, noData: string, none: string): { answer: 'no' | 'unknown'; evidence: string; why?: string } {
  if (!s?.hasData) return { answer: 'unknown', evidence: noData, why: noData };
  if (s.incomplete?.length) {
    const why = s.incomplete.join('; ');
    return { answer: 'unknown', evidence: `${none}, but ${why}`, why };
  }
  return { answer: 'no', evidence: none };
}
