// The containment workflow, independent of Slack: request, approve (a different approver, in time), execute
// exactly once, refuse, expire, retry, undo — every step audited with who and when.
import type { ContainmentAuditEvent } from '../audit/audit.js';
import type { ContainmentStore, ContainmentRequest } from './store.js';
import type { ActionOutcome, ContainmentMode, ContainmentPlan, ContainmentTarget, Executors } from './types.js';

export interface ContainmentSettings {
  mode: ContainmentMode;
  approvalTtlMs: number;
  /** One person may request and approve: only when the operator says so (CONTAINMENT_SINGLE_APPROVER). */
  singleApprover: boolean;
}

export interface ContainmentDeps {
  store: ContainmentStore;
  executors: Executors;
  audit: { containment(e: ContainmentAuditEvent): Promise<void> };
  /** Members of the approver group (default: the responders). */
  isApprover: (userId: string) => Promise<boolean>;
  settings: ContainmentSettings;
  now?: () => Date;
  log?: (msg: string) => void;
}

/** What a step did: the request as it now stands, or why nothing was done. */
export type StepResult = { done: true; request: ContainmentRequest } | { done: false; reason: string; request?: ContainmentRequest };

/** The target in one line, for the audit and the thread. */
export function targetName(t: ContainmentTarget): string {
  switch (t.kind) {
    case 'okta_clear_sessions':
      return t.oktaUserId;
    case 'aws_revoke_role_sessions':
      return t.roleArn;
    case 'cyren_resolve_case':
      return t.caseId;
  }
}

export class ContainmentService {
  private readonly now: () => Date;

  constructor(private readonly deps: ContainmentDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  get mode(): ContainmentMode {
    return this.deps.settings.mode;
  }

  get ttlMs(): number {
    return this.deps.settings.approvalTtlMs;
  }

  /** Whether the user is in the approver group (may request, approve, refuse, retry, undo). */
  mayAct(userId: string): Promise<boolean> {
    return this.deps.isApprover(userId);
  }

  get(id: string): Promise<ContainmentRequest | undefined> {
    return this.deps.store.get(id);
  }

  /** The approval request's message in the thread: clicks on any other message are refused. */
  setMessage(id: string, messageTs: string): Promise<void> {
    return this.deps.store.setMessage(id, messageTs);
  }

  /** Whether an action of this kind can run here (a dry run needs no adapter). */
  available(plan: ContainmentPlan): boolean {
    return this.mode === 'dry-run' || Boolean(this.deps.executors[plan.target.kind]);
  }

  private async audit(step: ContainmentAuditEvent['step'], actor: string, r: ContainmentRequest | undefined, outcome?: string): Promise<void> {
    const e: ContainmentAuditEvent = {
      step,
      actor,
      at: this.now().toISOString(),
      ...(r ? { alertId: r.alertId, requestId: r.id, kind: r.plan.target.kind, target: targetName(r.plan.target), mode: r.mode } : {}),
      ...(outcome ? { outcome: outcome.slice(0, 2000) } : {}),
    };
    // The audit must not stop the action it records; a failed write is logged, loudly.
    await this.deps.audit.containment(e).catch((err: unknown) => this.deps.log?.(`containment audit (${step}) not written: ${(err as Error).message}`));
  }

  /** Records a refused click (unknown request, not an approver, wrong thread …) with who and why. */
  async deny(actor: string, reason: string, request?: ContainmentRequest): Promise<StepResult> {
    await this.audit('denied', actor, request, reason);
    return { done: false, reason, ...(request ? { request } : {}) };
  }

  async request(r: { alertKey: string; alertId: string; plan: ContainmentPlan; by: string; channel: string; threadTs: string }): Promise<StepResult> {
    if (this.mode === 'off') return this.deny(r.by, 'containment is off (CONTAINMENT_MODE=off)');
    if (!(await this.deps.isApprover(r.by))) return this.deny(r.by, 'only members of the approver group may request containment');
    if (!this.available(r.plan)) return this.deny(r.by, `the ${r.plan.target.kind} action is not configured`);
    const now = this.now();
    const request = await this.deps.store.create({
      alertKey: r.alertKey,
      alertId: r.alertId,
      plan: r.plan,
      mode: this.mode,
      requestedBy: r.by,
      requestedAt: now.toISOString(),
      expiresAt: now.getTime() + this.deps.settings.approvalTtlMs,
      channel: r.channel,
      threadTs: r.threadTs,
    });
    await this.audit('request', r.by, request, `${r.plan.action}; ${r.plan.apiCall}`);
    return { done: true, request };
  }

  async approve(id: string, by: string): Promise<StepResult> {
    const request = await this.deps.store.get(id);
    if (!request) return this.deny(by, 'no such containment request');
    if (!(await this.deps.isApprover(by))) return this.deny(by, 'only members of the approver group may approve', request);
    const outcome = await this.deps.store.approve(id, by, this.now(), this.deps.settings.singleApprover);
    if (outcome === 'requester') return this.deny(by, 'the requester cannot approve their own request: a second responder must', request);
    if (outcome === 'expired') {
      await this.audit('expire', by, request, 'approval came after the request expired');
      return { done: false, reason: 'the request expired before it was approved; request it again', request: { ...request, status: 'expired' } };
    }
    if (outcome !== 'ok') return this.deny(by, outcome === 'missing' ? 'no such containment request' : `the request is already ${request.status}: nothing was called again`, request);
    await this.audit('approve', by, request);
    return this.run({ ...request, status: 'executing', approvedBy: by, approvedAt: this.now().toISOString() }, by);
  }

  async refuse(id: string, by: string): Promise<StepResult> {
    const request = await this.deps.store.get(id);
    if (!request) return this.deny(by, 'no such containment request');
    if (!(await this.deps.isApprover(by))) return this.deny(by, 'only members of the approver group may refuse', request);
    const moved = await this.deps.store.transition(id, ['pending', 'failed'], 'refused', { refusedBy: by });
    if (!moved.ok) return this.deny(by, `the request is already ${moved.from}`, request);
    await this.audit('refuse', by, request);
    return { done: true, request: { ...request, status: 'refused', refusedBy: by } };
  }

  /** A failed call again, on the approval already given. */
  async retry(id: string, by: string): Promise<StepResult> {
    const request = await this.deps.store.get(id);
    if (!request) return this.deny(by, 'no such containment request');
    if (!(await this.deps.isApprover(by))) return this.deny(by, 'only members of the approver group may retry', request);
    const moved = await this.deps.store.transition(id, ['failed'], 'executing', { attempts: String(request.attempts + 1) });
    if (!moved.ok) return this.deny(by, `the request is ${moved.from}, not failed: nothing was called again`, request);
    return this.run({ ...request, status: 'executing', attempts: request.attempts + 1 }, by);
  }

  async undo(id: string, by: string): Promise<StepResult> {
    const request = await this.deps.store.get(id);
    if (!request) return this.deny(by, 'no such containment request');
    if (!(await this.deps.isApprover(by))) return this.deny(by, 'only members of the approver group may undo', request);
    if (!request.plan.undoable) return this.deny(by, 'this action cannot be undone from here', request);
    const moved = await this.deps.store.transition(id, ['done'], 'undoing');
    if (!moved.ok) return this.deny(by, `the request is ${moved.from}: only a done action can be undone`, request);
    await this.audit('undo', by, request);
    const outcome = await this.call(request, 'undo');
    await this.audit('undo_answer', by, request, describe(outcome));
    const to = outcome.ok ? 'undone' : 'done';
    await this.deps.store.transition(id, ['undoing'], to, { result: JSON.stringify(outcome), ...(outcome.ok ? { undoneBy: by } : {}) });
    return outcome.ok ? { done: true, request: { ...request, status: 'undone', result: outcome, undoneBy: by } } : { done: false, reason: `undo failed: ${outcome.reason}`, request: { ...request, result: outcome } };
  }

  /** Pending requests past their time: expired and audited, once each. */
  async expireDue(): Promise<ContainmentRequest[]> {
    const expired = await this.deps.store.expireDue(this.now());
    for (const r of expired) await this.audit('expire', 'system', r, 'not approved in time');
    return expired;
  }

  /** The call, made by whoever won the move to executing; its answer recorded and audited. */
  private async run(request: ContainmentRequest, by: string): Promise<StepResult> {
    const at = this.now();
    await this.audit('call', by, request, `${request.mode === 'live' ? '' : 'dry run, not called: '}${request.plan.apiCall}`);
    const outcome = await this.call(request, 'execute', at);
    await this.audit('answer', by, request, describe(outcome));
    const to = outcome.ok ? 'done' : 'failed';
    await this.deps.store.transition(request.id, ['executing'], to, { result: JSON.stringify(outcome), executedAt: at.toISOString() });
    return { done: true, request: { ...request, status: to, result: outcome, executedAt: at.toISOString() } };
  }

  private async call(request: ContainmentRequest, what: 'execute' | 'undo', at = this.now()): Promise<ActionOutcome> {
    if (request.mode !== 'live') return { ok: true, answer: `dry run: nothing was called (${what === 'undo' ? 'undo' : request.plan.apiCall.split(' ')[0]})` };
    const executor = this.deps.executors[request.plan.target.kind];
    if (!executor) return { ok: false, reason: `the ${request.plan.target.kind} action is not configured`, retryable: false };
    try {
      if (what === 'execute') return await executor.execute(request.plan.target, at);
      if (!executor.undo) return { ok: false, reason: 'this action cannot be undone', retryable: false };
      return await executor.undo(request.plan.target);
    } catch (err) {
      // Adapters answer in words; anything else thrown is named by kind only (its message may carry a URL or token).
      this.deps.log?.(`containment ${what} threw: ${(err as Error).name}`);
      return { ok: false, reason: 'the call failed unexpectedly', retryable: true };
    }
  }
}

const describe = (o: ActionOutcome): string => (o.ok ? `ok: ${o.answer}` : `failed: ${o.reason}${o.retryable ? ' (retry possible)' : ''}`);
