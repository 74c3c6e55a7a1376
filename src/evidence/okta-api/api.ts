// The Okta API through the official SDK: System Log, users and factors, with rate limits honoured.
import { Client, DefaultRequestExecutor } from '@okta/okta-sdk-nodejs';
import type { OktaDirectory, OktaEvent, OktaLogEvidence, OktaUserRef, Searched, TimeWindow } from '../ports.js';
import { SIGN_IN } from '../okta-events.js';
import { oktaEventFromApi } from './api-events.js';

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
}

// Okta user ids are alphanumeric: anything else is refused before a filter expression is built.
const OKTA_ID = /^[A-Za-z0-9]{1,64}$/;

type FetchRequest = Record<string, unknown>;
interface FetchResponse {
  status: number;
  headers: { get(name: string): string | null };
}

/**
 * The SDK's executor retries a 429 after X-Rate-Limit-Reset. This one also waits *before* a request
 * when the last response said the limit is spent (X-Rate-Limit-Remaining: 0), within the same budget.
 */
class RateLimitedExecutor extends DefaultRequestExecutor {
  private resumeAt = 0;

  constructor(private readonly budgetMs: number, maxRetries: number) {
    super({ maxRetries, requestTimeout: budgetMs });
  }

  override async fetch(request: FetchRequest): Promise<FetchResponse> {
    const wait = this.resumeAt - Date.now();
    if (wait > 0) {
      if (wait > this.budgetMs) throw new Error(`Okta rate limit: next window in ${Math.ceil(wait / 1000)} s exceeds the ${this.budgetMs / 1000} s budget`);
      await new Promise((r) => setTimeout(r, wait));
    }
    return (await super.fetch(request)) as FetchResponse;
  }

  override parseResponse(request: FetchRequest, response: FetchResponse): unknown {
    const remaining = response.headers.get('x-rate-limit-remaining');
    const reset = Number(response.headers.get('x-rate-limit-reset'));
    if (remaining === '0' && Number.isFinite(reset) && reset > 0) {
      const serverNow = Date.parse(response.headers.get('date') ?? '') || Date.now();
      this.resumeAt = Date.now() + Math.max(0, reset * 1000 - serverNow);
    }
    return super.parseResponse(request, response);
  }
}

export class OktaApi implements OktaLogEvidence, OktaDirectory {
  private readonly client: Client;
  private readonly maxEvents: number;
  private readonly readBudgetMs: number;

  constructor(opts: OktaApiOptions) {
    this.maxEvents = opts.maxEvents ?? 50_000;
    this.readBudgetMs = opts.readBudgetMs ?? 120_000;
    this.client = new Client({
      orgUrl: opts.orgUrl,
      token: opts.token,
      // Investigations must see the System Log as it is now, not a cached page.
      cacheMiddleware: null,
      requestExecutor: new RateLimitedExecutor(opts.budgetMs ?? 30_000, opts.maxRetries ?? 3),
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
   * Every event of the filter in the window, following every Link: rel="next" page, until `enough` says
   * so or the budget (events, time) is spent: then `cut` says what was not read.
   */
  private async readLog(filter: string, window: TimeWindow, enough: (events: OktaEvent[]) => boolean = () => false): Promise<{ events: OktaEvent[]; cut?: string }> {
    const deadline = Date.now() + this.readBudgetMs;
    const collection = await this.client.systemLogApi.listLogEvents({
      since: window.from.toISOString(),
      until: window.to.toISOString(),
      filter,
      limit: 1000,
      sortOrder: 'ASCENDING',
    });
    const events: OktaEvent[] = [];
    const range = `${window.from.toISOString()} – ${window.to.toISOString()}`;
    for await (const raw of collection) {
      const e = oktaEventFromApi(raw);
      if (e) events.push(e);
      if (enough(events)) return { events };
      if (events.length >= this.maxEvents) return { events, cut: `the Okta API holds more than ${this.maxEvents} matching events in ${range}: the rest were not read` };
      if (Date.now() > deadline) return { events, cut: `reading the Okta System Log for ${range} took longer than ${this.readBudgetMs / 1000} s: the rest was not read` };
    }
    return { events };
  }

  async userEvents(user: OktaUserRef, window: TimeWindow): Promise<Searched<OktaEvent[]>> {
    const id = await this.userId(user);
    if (!id) return { hasData: true, found: [] };
    const { events, cut } = await this.readLog(`actor.id eq "${id}"`, window);
    return { hasData: true, found: events, ...(cut ? { incomplete: [cut] } : {}) };
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
