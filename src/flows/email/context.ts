// What the e-mail flow's steps read (flows.md §3): the evidence seen through the alert's indicators — clicks the
// proxy let through or blocked, Proofpoint TAP clicks, domains reached rated by their prior popularity — and the
// verdict's facts. Built once, before M0; the steps only read it and write the path.
import type { EmailAlert } from '../../alerts/types.js';
import type { DomainContact, IndicatorHit, Searched, UrlHit } from '../../evidence/ports.js';
import type { ProofpointClick } from '../../evidence/proofpoint.js';
import { sameUrl } from '../../enrich/url.js';
import { sameDecodedUrl } from '../../enrich/url-decode.js';
import { DecisionPath } from '../decision-path.js';
import type { EmailEvidence } from './gather.js';
import { interactionFacts, iso, nothingFound, proofpointFacts } from './trace.js';
import type { EmailFacts } from './verdict-facts.js';

export interface EmailContext {
  alert: EmailAlert;
  ev: EmailEvidence;
  /** The recipients: the trace marks them among the users who interacted. */
  rc: string[];
  /** Proxy records on an indicator URL that the proxy let through (v4: a blocked one is never a click). */
  clicks: UrlHit[];
  proxyBlocked: UrlHit[];
  tapClicks: ProofpointClick[];
  tapBlocked: ProofpointClick[];
  /** Prior users per domain; undefined when the 30 days before delivery had no EDR network data or were not seen whole. */
  popularity: Record<string, number> | undefined;
  contacts: DomainContact[];
  rareContacts: DomainContact[];
  popularContacts: DomainContact[];
  /** Domains reached whose prior popularity is unknown. */
  unratedContacts: DomainContact[];
  executions: IndicatorHit[];
  onDisk: IndicatorHit[];
  hasAttachments: boolean;
  /** The domains' prior popularity in words (M3, M5, M5b). */
  priorText: string;
  /** What the EDR network search found for the domains, when it found none (M3, M5). */
  reached: ReturnType<typeof nothingFound>;
  facts: EmailFacts;
  path: DecisionPath;
  /** Steps answered `unknown`, and why: no benign verdict while there is one (M7, v3). */
  unknown: Array<{ step: string; why: string }>;
}

/** Records a step; an `unknown` answer is remembered with its reason (the evidence when none is given). */
export function record(ctx: EmailContext, step: string, question: string, answer: string, evidence: string, why?: string): void {
  ctx.path.record(step, question, answer, evidence);
  if (answer === 'unknown') ctx.unknown.push({ step, why: why ?? evidence });
}

export function emailContext(alert: EmailAlert, ev: EmailEvidence): EmailContext {
  const onUrl = (ev.proxy?.found ?? []).filter((h) => alert.urls.some((u) => sameUrl(u, h.url)));
  // Proofpoint logs the URL decoded (its pipeline's urldecode): the indicator is compared as written and decoded.
  const tapOnUrl = (ev.proofpoint?.found ?? []).filter((c) => alert.urls.some((u) => sameDecodedUrl(u, c.url)));
  // Prior popularity is known only where the 30 days before delivery had EDR network data and the search saw all of it.
  const popularity = ev.popularity?.hasData && !ev.popularity.incomplete?.length ? ev.popularity.found : undefined;
  const contacts = ev.contacts?.found ?? [];
  const priorWhy = !ev.popularity?.hasData ? 'no EDR network data in the 30 days before delivery' : ev.popularity.incomplete?.join('; ') ?? '';
  const ctx: Omit<EmailContext, 'facts'> = {
    alert,
    ev,
    rc: alert.recipients,
    clicks: onUrl.filter((h) => !h.blocked),
    proxyBlocked: onUrl.filter((h) => h.blocked),
    tapClicks: tapOnUrl.filter((c) => c.action === 'permitted'),
    tapBlocked: tapOnUrl.filter((c) => c.action === 'blocked'),
    popularity,
    contacts,
    rareContacts: popularity ? contacts.filter((c) => (popularity[c.domain] ?? 0) < ev.rareThreshold) : [],
    popularContacts: popularity ? contacts.filter((c) => (popularity[c.domain] ?? 0) >= ev.rareThreshold) : [],
    unratedContacts: popularity ? [] : contacts,
    executions: ev.processes?.found ?? [],
    onDisk: ev.files?.found ?? [],
    hasAttachments: alert.fileNames.length + alert.hashes.length > 0,
    priorText: popularity ? ev.domains.map((d) => `${d}: ${popularity[d] ?? 0} prior user(s)`).join(', ') : `prior popularity unknown (${priorWhy})`,
    reached: nothingFound(ev.contacts, 'no EDR network data since delivery', `no EDR network event to ${ev.domains.join(', ')} since delivery`),
    path: new DecisionPath(),
    unknown: [],
  };
  return { ...ctx, facts: emailFacts(ctx) };
}

/** The verdict's facts: what was looked for, in which windows, what was found and which datasets had data. */
function emailFacts(ctx: Omit<EmailContext, 'facts'>): EmailFacts {
  const { alert, ev, rc, popularity } = ctx;
  const searches: Record<string, Searched<unknown> | undefined> = { proxy: ev.proxy, proofpoint_tap: ev.proofpoint, edr_network: ev.contacts, edr_network_prior: ev.popularity, edr_process: ev.processes, edr_file: ev.files };
  return {
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
    clicks: [...ctx.clicks.map((h) => ({ url: h.url, source: 'proxy' as const, ...interactionFacts(h, rc) })), ...ctx.tapClicks.map((c) => proofpointFacts(c, rc))],
    blocked_clicks: [...ctx.proxyBlocked.map((h) => ({ url: h.url, source: 'proxy' as const, ...interactionFacts(h, rc) })), ...ctx.tapBlocked.map((c) => proofpointFacts(c, rc))],
    domain_contacts: ctx.contacts.map((c) => ({ domain: c.domain, names: c.names, prior_users: popularity?.[c.domain] ?? null, ...interactionFacts(c, rc) })),
    executions: ctx.executions.map((h) => ({ indicator: h.indicator, matched_by: h.matchedBy, examples: h.examples, ...interactionFacts(h, rc) })),
    files_on_disk: ctx.onDisk.map((h) => ({ indicator: h.indicator, matched_by: h.matchedBy, examples: h.examples, ...interactionFacts(h, rc) })),
    data: {
      proxy: ev.proxy?.hasData ?? null,
      proofpoint_tap: ev.proofpoint?.hasData ?? null,
      edr_network: ev.contacts?.hasData ?? null,
      edr_network_prior: ev.popularity?.hasData ?? null,
      edr_process: ev.processes?.hasData ?? null,
      edr_file: ev.files?.hasData ?? null,
    },
    incomplete: Object.fromEntries(Object.entries(searches).flatMap(([k, s]) => (s?.incomplete?.length ? [[k, s.incomplete]] : []))),
  };
}
