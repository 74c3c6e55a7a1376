// Who may run /triage, escalate, dismiss or re-run: members of the responder user group, or listed users.
import type { WebClient } from '@slack/web-api';

const CACHE_MS = 60_000;

export class Responders {
  private members: { at: number; ids: Set<string> } | undefined;

  constructor(
    private readonly client: WebClient,
    private readonly usergroup: string | undefined,
    private readonly users: string[],
  ) {}

  async isResponder(userId: string): Promise<boolean> {
    if (this.users.includes(userId)) return true;
    if (!this.usergroup) return false;
    if (!this.members || Date.now() - this.members.at > CACHE_MS) {
      const res = await this.client.usergroups.users.list({ usergroup: this.usergroup });
      this.members = { at: Date.now(), ids: new Set(res.users ?? []) };
    }
    return this.members.ids.has(userId);
  }
}
