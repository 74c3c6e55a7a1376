// The Okta API through the official SDK: System Log, users and factors, with rate limits honoured.
import { Client } from '@okta/okta-sdk-nodejs';
import type { OktaDirectory, OktaEvent, OktaLogEvidence, OktaUserRef, Searched, TimeWindow } from '../ports.js';
import { SIGN_IN } from '../okta-events.js';
import { sameIp } from '../../enrich/ip.js';
import { oktaEventFromApi } from './api-events.js';
import { GuardedExecutor, isBodyOverCap, OktaRequestRefused } from './executor.js';
import { oktaOrgUrlProblem } from '../../config.js';

export interface OktaApiOptions {
  orgUrl: string;
  token: string;
  /** Retries of a 429 (each after the reset time the response names). */
  maxRetries?: number;
  /** Total time one request may take, waits included. */
  budgetMs?: number;
  /** Most events read from the System Log for one question; beyond, the answer says it was cut. */
  maxEvents?: number;
  /** Longest time one System Log question may take, page after page; beyond, the answer says it was cut. */
  readBudgetMs?: number;
  /** Largest body of one answer (default 16 MiB: a full page of 1 000 events is about 3 MB). */
  maxPageBytes?: number;
  /** Most System Log pages read for one question (default 100: 100 000 events at 1 000 a page). */
  maxPages?: number;
  /** Empty pages in a row after which the reading stops (an Okta polling link never ends; default 3). */
  maxEmptyPages?: number;
}

const PAGE_LIMIT = 1000;

// Okta user ids are alphanumeric: anything else is refused before a filter expression is built.
const OKTA_ID = /^[A-Za-z0-9]{1,64}$/;
// Event types are the flows' own constants; checked all the same before they enter a filter expression.
const EVENT_TYPE = /^[a-z0-9_.]{1,128}$/;

export class OktaApi implements OktaLogEvidence, OktaDirectory {
  private readonly client: Client;
  private readonly maxEvents: number;
  private readonly readBudgetMs: number;
  private readonly maxPages: number;
  private readonly maxEmptyPages: number;
  private readonly maxPageBytes: number;

  constructor(opts: OktaApiOptions) {
    const problem = oktaOrgUrlProblem(opts.orgUrl);
    if (problem) throw new Error(`OKTA_ORG_URL ${problem}`);
    this.maxEvents = opts.maxEvents ?? 50_000;
    this.readBudgetMs = opts.readBudgetMs ?? 120_000;
    this.maxPages = opts.maxPages ?? 100;
    this.maxEmptyPages = opts.maxEmptyPages ?? 3;
    this.maxPageBytes = opts.maxPageBytes ?? 16 * 1024 * 1024;
    this.client = new Client({
      orgUrl: opts.orgUrl,
      token: opts.token,
      // Investigations must see the System Log as it is now, not a cached page.
      cacheMiddleware: null,
      requestExecutor: new GuardedExecutor(opts.orgUrl, { budgetMs: opts.budgetMs ?? 30_000, maxRetries: opts.maxRetries ?? 3, maxBodyBytes: this.maxPageBytes }),
    } as ConstructorParameters<typeof Client>[0]);
  }

  async resolveUser(user: OktaUserRef): Promise<{ id: string; login: string } | undefined> {
    const key = user.id ?? user.login;
    if (!key) return undefined;
    try {
      const found = await this.client.userApi.getUser({ userId: key });
      const login = (found.profile as { login?: string } | undefined)?.login;
      return found.id && login ? { id: found.id, login } : undefined;
    } catch (err) {
      if ((err as { status?: number }).status === 404) return undefined;
      throw err;
    }
  }

  async listFactors(userId: string): Promise<string[]> {
    const factors = await this.client.userFactorApi.listFactors({ userId });
    const types: string[] = [];
    for await (const f of factors) {
      const type = (f as { factorType?: string } | null)?.factorType;
      if (type && !types.includes(type)) types.push(type);
    }
    return types;
  }

  private async userId(user: OktaUserRef): Promise<string | undefined> {
    if (user.id && OKTA_ID.test(user.id)) return user.id;
    const resolved = await this.resolveUser(user);
    return resolved && OKTA_ID.test(resolved.id) ? resolved.id : undefined;
  }

  /**
   * Every event of the filter in the window, page by page (Link: rel="next"), until `enough` says so or a budget
   * (events, pages, empty pages in a row, time) is spent, or a page cannot be read safely (too large, a link to
   * another host): then `cut` says what was not read, and the caller's answer is incomplete, never a "no".
   */
  private async readLog(filter: string, window: TimeWindow, enough: (events: OktaEvent[]) => boolean = () => false): Promise<{ events: OktaEvent[]; cut?: string }> {
    const deadline = Date.now() + this.readBudgetMs;
    // A TimeWindow includes its end (as Elasticsearch's lte); Okta's `until` excludes it: ask 1 ms past the end.
    const until = new Date(window.to.getTime() + 1).toISOString();
    const collection = await this.client.systemLogApi.listLogEvents({ since: window.from.toISOString(), until, filter, limit: PAGE_LIMIT, sortOrder: 'ASCENDING' });
    const events: OktaEvent[] = [];
    const range = `${window.from.toISOString()} – ${window.to.toISOString()}`;
    const rest = `the Okta System Log for ${range} was not read to the end`;
    let pages = 0;
    let emptyInARow = 0;
    // Pages are fetched here rather than through the collection's iterator, so each one is counted.
    while (collection.nextUri) {
      if (pages >= this.maxPages) return { events, cut: `${rest}: more than ${this.maxPages} pages` };
      if (emptyInARow >= this.maxEmptyPages) return { events, cut: `${rest}: ${emptyInARow} empty pages in a row, each linking to another` };
      if (Date.now() > deadline) return { events, cut: `reading the Okta System Log for ${range} took longer than ${this.readBudgetMs / 1000} s: the rest was not read` };
      let page: unknown[];
      try {
        page = await collection.getNextPage();
      } catch (err) {
        if (err instanceof OktaRequestRefused) return { events, cut: `${rest}: ${err.message}` };
        if (isBodyOverCap(err)) return { events, cut: `${rest}: a page was larger than ${this.maxPageBytes} bytes` };
        throw err;
      }
      pages++;
      emptyInARow = page.length === 0 ? emptyInARow + 1 : 0;
      for (const raw of page) {
        const e = oktaEventFromApi(raw);
        if (e) events.push(e);
        if (enough(events)) return { events };
        if (events.length >= this.maxEvents) return { events, cut: `the Okta API holds more than ${this.maxEvents} matching events in ${range}: the rest were not read` };
      }
    }
    return { events };
  }

  async userEvents(user: OktaUserRef, window: TimeWindow): Promise<Searched<OktaEvent[]>> {
    const id = await this.userId(user);
    if (!id) return { hasData: true, found: [] };
    const { events, cut } = await this.readLog(`actor.id eq "${id}"`, window);
    return { hasData: true, found: events, ...(cut ? { incomplete: [cut] } : {}) };
  }

  async userEventsOfTypes(user: OktaUserRef, eventTypes: readonly string[], window: TimeWindow): Promise<Searched<OktaEvent[]>> {
    const id = await this.userId(user);
    const types = eventTypes.filter((t) => EVENT_TYPE.test(t));
    if (!id || types.length === 0) return { hasData: true, found: [] };
    const { events, cut } = await this.readLog(`actor.id eq "${id}" and (${types.map((t) => `eventType eq "${t}"`).join(' or ')})`, window);
    // Okta may log one event twice across pages; the flow counts each uuid once.
    return { hasData: true, found: events.filter((e) => types.includes(e.eventType)), ...(cut ? { incomplete: [cut] } : {}) };
  }

  async signInsFrom(user: OktaUserRef, ips: string[], window: TimeWindow): Promise<Searched<string[]>> {
    const id = await this.userId(user);
    if (!id || ips.length === 0) return { hasData: true, found: [] };
    const seen = new Set<string>();
    // The IPs are compared here, never written into a filter expression.
    const { cut } = await this.readLog(`actor.id eq "${id}" and eventType eq "${SIGN_IN}" and outcome.result eq "SUCCESS"`, window, (events) => {
      const from = events.at(-1)?.ip;
      if (from) for (const ip of ips) if (sameIp(ip, from)) seen.add(ip);
      return seen.size === ips.length;
    });
    const found = ips.filter((ip) => seen.has(ip));
    return { hasData: true, found, ...(cut && found.length < ips.length ? { incomplete: [cut] } : {}) };
  }

  async userAgentsSeen(user: OktaUserRef, userAgents: string[], window: TimeWindow): Promise<Searched<string[]>> {
    const id = await this.userId(user);
    if (!id) return { hasData: true, found: [] };
    const seen = new Set<string>();
    // The user agents are compared here, never written into a filter expression (they come from the log, attacker-controlled).
    const { cut } = await this.readLog(`actor.id eq "${id}" and eventType eq "${SIGN_IN}" and outcome.result eq "SUCCESS"`, window, (events) => {
      const ua = events.at(-1)?.userAgent;
      if (ua && userAgents.includes(ua)) seen.add(ua);
      return seen.size === userAgents.length;
    });
    const found = userAgents.filter((ua) => seen.has(ua));
    return { hasData: true, found, ...(cut && found.length < userAgents.length ? { incomplete: [cut] } : {}) };
  }
}
