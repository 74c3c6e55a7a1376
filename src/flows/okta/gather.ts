// Okta flow, gather: the user's System Log (Elasticsearch, else the Okta API), sessions A and B,
// company IPs and the user's sign-in history. Failures of a source are evidence too: they are recorded, not thrown.
import type { OktaTravelAlert } from '../../alerts/types.js';
import { sameIp } from '../../enrich/ip.js';
import { isPublicAddress } from '../../enrich/ip-class.js';
import { PrefixTable } from '../../enrich/prefix-trie.js';
import { isAuthentication, isFailure, isSuccess, passedMfaFactor, SIGN_IN, SSO } from '../../evidence/okta-events.js';
import type { AgentSightings, OktaDirectory, OktaEvent, OktaLogEvidence, OktaUserRef, Searched, TimeWindow } from '../../evidence/ports.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** A session found in the evidence: its sign-in (or, for B, the alerting event) and its events. */
export interface OktaSession {
  ip: string;
  /** The sign-in that opened it (session B: the alerting event). */
  signInTime: Date;
  sessionId?: string;
  /** The Okta user id of the session's events (actor.id), as the System Log wrote it: containment's target. */
  actorId?: string;
  /** Absent when none of its events carries one: unknown, never "different". */
  userAgent?: string;
  deviceFingerprint?: string;
  geo?: OktaEvent['geo'];
  /** Factor types of its successful MFA verifications; empty: it passed none. */
  mfaFactors: string[];
  /** The user's failed sign-in/authentication events from this IP in the hour before the first success. */
  failuresBefore: number;
  isProxy?: boolean;
  asOrg?: string;
  events: number;
  /** How the session was found. */
  foundBy: string;
}

export interface OktaEvidence {
  user: OktaUserRef;
  source: 'elasticsearch' | 'okta-api' | 'none';
  sourceError?: string;
  window: TimeWindow;
  /** Why the user's log in the window may lack events (a paging budget …). */
  logIncomplete?: string[];
  sessionA?: OktaSession;
  /** Why session A is not found (set when sessionA is absent). */
  sessionANotFound?: string;
  sessionB?: OktaSession;
  sessionBNotFound?: string;
  known: { ip: string; reason: string }[];
  /** Which of the sessions' user agents the user's earlier sign-ins carried. */
  history?: Searched<string[]>;
  historyWindow: TimeWindow;
  historyError?: string;
  enrolledFactors?: string[];
  notes: string[];
}

export interface OktaPorts {
  log: OktaLogEvidence;
  /** The Okta API, when configured: System Log fallback and user/factor enrichment. */
  api?: OktaLogEvidence & OktaDirectory;
  agents: AgentSightings;
  companyCidrs: string[];
}

/**
 * What failed, never where: the HTTP client's messages carry the org URL and the query (user ids), and this
 * text reaches Slack and the audit. Our own budget messages ("Okta rate limit: …") name no address and stay.
 */
export const describeOktaFailure = (err: unknown): string => {
  const e = err as { name?: string; status?: number; code?: string; message?: string; errorCode?: string };
  const text = typeof e.message === 'string' ? e.message : '';
  if (text.startsWith('Okta ') && !/https?:\/\//i.test(text)) return text.slice(0, 200);
  if (typeof e.status === 'number') return `HTTP ${e.status}${e.errorCode && /^E\d{10}$/.test(e.errorCode) ? ` (${e.errorCode})` : ''}`;
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || (e.name === 'FetchError' && /timeout/i.test(text)) || /timed? ?out/i.test(text)) return 'timed out';
  if (typeof e.code === 'string' && /^E[A-Z_]+$/.test(e.code)) return `unreachable (${e.code})`;
  return 'request failed';
};
const message = describeOktaFailure;
const iso = (d: Date) => d.toISOString();

function sessionEvents(anchor: OktaEvent, events: OktaEvent[]): OktaEvent[] {
  if (anchor.sessionId) return events.filter((e) => e.sessionId === anchor.sessionId);
  const t = anchor.time.getTime();
  return events.filter((e) => e.ip !== undefined && anchor.ip !== undefined && sameIp(e.ip, anchor.ip) && Math.abs(e.time.getTime() - t) <= HOUR);
}

function summarise(anchor: OktaEvent & { ip: string }, events: OktaEvent[], foundBy: string): OktaSession {
  const session = sessionEvents(anchor, events);
  const inSession = session.length ? session : [anchor];
  const ip = anchor.ip;
  const firstSuccess = inSession.filter(isSuccess).map((e) => e.time.getTime()).sort((a, b) => a - b)[0] ?? anchor.time.getTime();
  const failuresBefore = events.filter(
    (e) => isAuthentication(e) && isFailure(e) && e.ip !== undefined && sameIp(e.ip, ip) && e.time.getTime() < firstSuccess && e.time.getTime() >= firstSuccess - HOUR,
  ).length;
  // "first one on any event of the session"
  const first = <K extends keyof OktaEvent>(key: K): OktaEvent[K] | undefined => anchor[key] ?? inSession.find((e) => e[key] !== undefined)?.[key];
  return {
    ip,
    signInTime: anchor.time,
    ...(anchor.sessionId ? { sessionId: anchor.sessionId } : {}),
    ...(first('actorId') ? { actorId: first('actorId')! } : {}),
    userAgent: first('userAgent'),
    deviceFingerprint: first('deviceFingerprint'),
    geo: first('geo'),
    mfaFactors: [...new Set(inSession.flatMap((e) => passedMfaFactor(e) ?? []))].sort(),
    failuresBefore,
    isProxy: first('isProxy'),
    asOrg: first('asOrg'),
    events: inSession.length,
    foundBy,
  };
}

const withIp = (e: OktaEvent | undefined): (OktaEvent & { ip: string }) | undefined => (e?.ip !== undefined ? (e as OktaEvent & { ip: string }) : undefined);

function findAlerting(alert: OktaTravelAlert, events: OktaEvent[]): OktaEvent | undefined {
  const byUuid = events.find((e) => e.uuid === alert.id);
  if (byUuid) return byUuid;
  const t = alert.time.getTime();
  const near = events.filter((e) => e.ip !== undefined && sameIp(e.ip, alert.ip) && Math.abs(e.time.getTime() - t) <= 5 * MIN);
  const rank = (e: OktaEvent) => (e.eventType === SIGN_IN ? 0 : 2) + (isSuccess(e) ? 0 : 1);
  return near.sort((a, b) => rank(a) - rank(b) || Math.abs(a.time.getTime() - t) - Math.abs(b.time.getTime() - t))[0];
}

/** The user as the alert names them, completed (id and login) through the Okta API when one is configured. */
export async function resolveUserRef(alert: Pick<OktaTravelAlert, 'userId' | 'userLogin'>, ports: Pick<OktaPorts, 'api'>, notes: string[]): Promise<OktaUserRef> {
  const user: OktaUserRef = { ...(alert.userId ? { id: alert.userId } : {}), ...(alert.userLogin ? { login: alert.userLogin } : {}) };
  if (!ports.api || (user.id && user.login)) return user;
  try {
    const resolved = await ports.api.resolveUser(user);
    if (resolved) return resolved;
    notes.push('Okta API: user not found');
  } catch (err) {
    notes.push(`Okta API user lookup failed: ${message(err)}`);
  }
  return user;
}

interface UserLog {
  source: OktaEvidence['source'];
  sourceError?: string;
  /** Where the log was read: its history is asked of the same source. */
  logSource?: OktaLogEvidence;
  log: Searched<OktaEvent[]>;
}

/** The user's System Log in the window: from Elasticsearch when it holds okta.system data, else from the Okta API. */
async function readUserLog(user: OktaUserRef, window: TimeWindow, ports: OktaPorts): Promise<UserLog> {
  const fromEs = await ports.log.userEvents(user, window);
  if (fromEs.hasData) return { source: 'elasticsearch', logSource: ports.log, log: fromEs };
  const none = { source: 'none' as const, log: { hasData: false, found: [] } };
  if (!ports.api) return { ...none, sourceError: 'no okta.system data in Elasticsearch for the window, and no Okta API configured' };
  try {
    return { source: 'okta-api', logSource: ports.api, log: await ports.api.userEvents(user, window) };
  } catch (err) {
    return { ...none, sourceError: `Okta System Log API failed: ${message(err)}` };
  }
}

export async function gatherOkta(alert: OktaTravelAlert, ports: OktaPorts): Promise<OktaEvidence> {
  const T = alert.time.getTime();
  const notes: string[] = [];
  const user = await resolveUserRef(alert, ports, notes);
  // A's sign-in may be 24 h before T, its failures an hour before that; B's session may run an hour past T.
  const window = { from: new Date(T - DAY - HOUR), to: new Date(T + HOUR) };
  const historyWindow = { from: new Date(T - 90 * DAY), to: new Date(T - DAY - 1) };
  const { source, sourceError, logSource, log } = await readUserLog(user, window, ports);
  const events = log.found;

  // Session B: the alerting event, in the evidence (v3: never an empty stand-in).
  const alerting = withIp(findAlerting(alert, events));
  const sessionB = alerting && summarise(alerting, events, alerting.uuid === alert.id ? 'the alerting event' : 'the user’s sign-in from IP B within ±5 min of T');
  // Session A: the user's most recent successful sign-in from another IP (the alert's previous IP, when named) in [T − 24h, T).
  const successesElsewhere = events.filter(
    (e) => isSuccess(e) && e.ip !== undefined && e.time.getTime() >= T - DAY && e.time.getTime() < T && !sameIp(e.ip, alert.ip) && (!alert.previousIp || sameIp(e.ip, alert.previousIp)),
  );
  // A sign-in opens a session; where the log holds only SSO events from that IP, they stand in for it.
  const sessionStarts = successesElsewhere.filter((e) => e.eventType === SIGN_IN);
  const candidates = sessionStarts.length ? sessionStarts : successesElsewhere.filter((e) => e.eventType === SSO);
  const lastA = withIp(candidates.sort((a, b) => b.time.getTime() - a.time.getTime())[0]);
  const sessionA = lastA && summarise(lastA, events, alert.previousIp ? 'the user’s last sign-in from the alert’s previous IP' : 'the user’s most recent successful sign-in from another IP in the 24 h before T');
  const range = `${iso(new Date(T - DAY))} – ${iso(alert.time)}`;
  const sessionANotFound = sessionA
    ? undefined
    : alert.previousIp
      ? `no successful sign-in of the user from the previous IP ${alert.previousIp} in ${range}`
      : `no successful sign-in of the user from another IP in ${range}`;
  const sessionBNotFound = sessionB ? undefined : `the alerting sign-in (IP ${alert.ip} within ±5 min of ${iso(alert.time)}) is not in the System Log`;

  const ips = [...(sessionB ? [sessionB.ip] : []), ...(sessionA ? [sessionA.ip] : [])];
  const company = PrefixTable.fromCidrs(ports.companyCidrs);
  const known: OktaEvidence['known'] = [];
  for (const ip of ips) {
    const cidr = company.lookup(ip);
    if (cidr) known.push({ ip, reason: `company CIDR ${cidr}` });
  }
  const scored = Boolean(logSource && sessionA && sessionB);
  const agents = [...new Set([sessionA?.userAgent, sessionB?.userAgent].flatMap((ua) => (ua ? [ua] : [])))];
  const [agentIps, history, enrolledFactors] = await Promise.all([
    // A device's own public address only (v3): a private one says nothing about who signed in.
    scored ? ports.agents.seenFrom(ips.filter((ip) => isPublicAddress(ip) && !known.some((k) => k.ip === ip)), { from: new Date(T - 30 * DAY), to: alert.time }) : [],
    scored && agents.length ? logSource!.userAgentsSeen(user, agents, historyWindow).catch((err: unknown) => ({ error: message(err) })) : undefined,
    scored && ports.api && user.id
      ? ports.api.listFactors(user.id).catch((err: unknown) => {
          notes.push(`Okta API factor list failed: ${message(err)}`);
          return undefined;
        })
      : undefined,
  ]);
  for (const ip of agentIps) known.push({ ip, reason: 'company agents recorded it as a device’s own address in the last 30 days' });
  const historyOk = history && !('error' in history) ? history : undefined;
  return {
    user,
    source,
    ...(sourceError ? { sourceError } : {}),
    window,
    ...(log.incomplete?.length ? { logIncomplete: log.incomplete } : {}),
    ...(sessionA ? { sessionA } : { sessionANotFound }),
    ...(sessionB ? { sessionB } : { sessionBNotFound }),
    known,
    ...(historyOk ? { history: historyOk } : {}),
    historyWindow,
    ...(history && 'error' in history ? { historyError: history.error } : {}),
    ...(enrolledFactors ? { enrolledFactors } : {}),
    notes,
  };
}
