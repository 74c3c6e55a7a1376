// Who may run /triage, escalate, dismiss, re-run or lift a suppression: members of the responder user group, or
// listed users. One check, as Bolt middleware in front of every listener that acts (onlyResponders), and as a
// question for the Home tab, which shows responders more.
import type { AllMiddlewareArgs, Middleware } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { isSlackId } from '../config.js';

const CACHE_MS = 60_000;

export class Responders {
  private members: { at: number; ids: Set<string> } | undefined;

  constructor(
    private readonly client: WebClient,
    private readonly usergroup: string | undefined,
    private readonly users: string[],
  ) {}

  /** An id not shaped like a Slack id is nobody's: it is never looked up, listed or not. */
  async isResponder(userId: string): Promise<boolean> {
    if (!isSlackId(userId)) return false;
    if (this.users.includes(userId)) return true;
    if (!this.usergroup) return false;
    if (!this.members || Date.now() - this.members.at > CACHE_MS) {
      const res = await this.client.usergroups.users.list({ usergroup: this.usergroup });
      this.members = { at: Date.now(), ids: new Set(res.users ?? []) };
    }
    return this.members.ids.has(userId);
  }
}

export const NOT_A_RESPONDER = ':no_entry: Only SOC responders may do that.';

export interface ResponderGate<Args, Ctx> {
  /** The acting user, as the payload names them. */
  user: (args: Args) => string;
  /** Answers someone who is not a responder (the listener itself never runs). */
  deny: (args: Args & AllMiddlewareArgs<Ctx>) => Promise<unknown>;
  /** Requests anyone may make (/triage help). */
  exempt?: (args: Args) => boolean;
}

/** Bolt listener middleware: the listener after it runs for responders only. */
export function onlyResponders<Args, Ctx = object>(responders: Responders, gate: ResponderGate<Args, Ctx>): Middleware<Args, Ctx> {
  return async (args) => {
    if (gate.exempt?.(args) || (await responders.isResponder(gate.user(args)))) return void (await args.next());
    await gate.deny(args);
  };
}
