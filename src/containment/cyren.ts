// Cyren Inbox Security: resolve the case as phishing and soft-delete the message, the way Cyren's public
// integration does (demisto/content, Packs/CyrenInboxSecurity): a client-credentials token from
// POST /v1/token, then PATCH /v1/cases/{case_id}/resolution. Plain fetch with timeouts; an expired token is
// fetched again once.
import { z } from 'zod';
import type { ActionOutcome, ContainmentExecutor, ContainmentTarget } from './types.js';

export interface CyrenContainmentOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
}

export const CYREN_RESOLUTION = { resolution: 'phishing', resolution_reason: 'Identified phishing URL', resolution_reason_text: 'Contained from the SOC triage bot after a second responder’s approval', actions: ['SOFT_DELETE'] } as const;

const TokenAnswer = z.object({ data: z.object({ access_token: z.string().min(1).max(8192) }) });
const ResolutionAnswer = z.object({ data: z.object({ status: z.string().max(200) }).passthrough() });

class CyrenHttpError extends Error {
  constructor(readonly status: number, readonly step: 'token' | 'resolution') {
    super(`Cyren ${step} HTTP ${status}`);
  }
}

export class CyrenContainment implements ContainmentExecutor {
  private token: string | undefined;
  private readonly base: string;

  constructor(private readonly opts: CyrenContainmentOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '');
  }

  private async fetchJson(url: string, init: RequestInit, step: 'token' | 'resolution'): Promise<unknown> {
    const res = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(this.opts.timeoutMs ?? 15_000) });
    if (!res.ok) {
      await res.body?.cancel();
      throw new CyrenHttpError(res.status, step);
    }
    const text = await res.text();
    if (text.length > 100_000) throw new Error('Cyren answer too large');
    return JSON.parse(text) as unknown;
  }

  private async newToken(): Promise<string> {
    // The integration sends the credentials as query parameters of the token call.
    const q = new URLSearchParams({ client_id: this.opts.clientId, client_secret: this.opts.clientSecret, grant_type: 'client_credentials' });
    const answer = TokenAnswer.safeParse(await this.fetchJson(`${this.base}/v1/token?${q.toString()}`, { method: 'POST' }, 'token'));
    if (!answer.success) throw new Error('Cyren token answer has no access_token');
    this.token = answer.data.data.access_token;
    return this.token;
  }

  private async resolve(caseId: string, token: string): Promise<string> {
    const url = `${this.base}/v1/cases/${encodeURIComponent(caseId)}/resolution`;
    const answer = ResolutionAnswer.safeParse(
      await this.fetchJson(url, { method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(CYREN_RESOLUTION) }, 'resolution'),
    );
    if (!answer.success) throw new Error('Cyren resolution answer has no status');
    return answer.data.data.status;
  }

  async execute(target: ContainmentTarget, _at?: Date): Promise<ActionOutcome> {
    if (target.kind !== 'cyren_resolve_case') return { ok: false, reason: 'not a Cyren action', retryable: false };
    try {
      let status: string;
      try {
        status = await this.resolve(target.caseId, this.token ?? (await this.newToken()));
      } catch (err) {
        // An expired token: one new token, one more try.
        if (!(err instanceof CyrenHttpError && err.status === 401 && err.step === 'resolution')) throw err;
        status = await this.resolve(target.caseId, await this.newToken());
      }
      return { ok: true, answer: `Cyren resolved the case as phishing and soft-deleted the message (status: ${status.replace(/[^\w .:-]/g, '').slice(0, 40)})` };
    } catch (err) {
      return cyrenFailure(err);
    }
  }
}

/** In words; never the token, the secret or the URL (it carries the credentials on the token call). */
export function cyrenFailure(err: unknown): ActionOutcome {
  if (err instanceof CyrenHttpError) {
    if (err.step === 'token') return { ok: false, reason: `Cyren refused the bot’s client credentials (HTTP ${err.status})`, retryable: err.status >= 500 };
    if (err.status === 404) return { ok: false, reason: 'Cyren does not know this case (HTTP 404): nothing was remediated', retryable: false };
    if (err.status === 401) return { ok: false, reason: 'Cyren refused a freshly issued token (HTTP 401)', retryable: true };
    return { ok: false, reason: `Cyren answered HTTP ${err.status}`, retryable: err.status === 429 || err.status >= 500 };
  }
  const name = (err as { name?: string } | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return { ok: false, reason: 'Cyren did not answer in time', retryable: true };
  if (name === 'SyntaxError') return { ok: false, reason: 'Cyren’s answer could not be read', retryable: true };
  return { ok: false, reason: 'Cyren could not be reached or answered unexpectedly', retryable: true };
}
