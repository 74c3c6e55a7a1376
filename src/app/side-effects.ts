// One policy for the side effects of a button (Slack posts and updates, PagerDuty, audit records, suppression
// writes): each runs on its own, so one failing never stops the next; each outcome is logged and counted.
// The decision itself (recorded first, the first click wins) is not a side effect and is never run through here.
import type { Metrics } from '../ops/metrics.js';
import { publicReason } from '../ops/public-error.js';
import { slackError } from '../slack/errors.js';

/** Which button (or modal) caused the effect; a metric label, so our own words only. */
export type ButtonAction = 'escalate' | 'dismiss' | 'rerun' | 'lift_suppression';
/** What the effect was; a metric label, so our own words only. */
export type SideEffectKind = 'slack_post' | 'slack_update' | 'pagerduty' | 'audit' | 'suppression';

export type SideEffectOutcome = { ok: true } | { ok: false; reason: string };

export class SideEffects {
  constructor(
    private readonly metrics: Pick<Metrics, 'countButtonEffect'>,
    private readonly log: (level: 'info' | 'warn' | 'error', msg: string) => void,
  ) {}

  /**
   * Runs one side effect of `action` on `alertId`. A failure is logged (error), counted, and answered as a
   * reason fit to show the clicker (Slack's error code or a public reason, never a stack or a URL).
   */
  async run(action: ButtonAction, effect: SideEffectKind, alertId: string, step: () => Promise<unknown>): Promise<SideEffectOutcome> {
    try {
      await step();
      this.metrics.countButtonEffect(action, effect, 'ok');
      return { ok: true };
    } catch (err) {
      this.metrics.countButtonEffect(action, effect, 'failed');
      this.log('error', `${action} of ${alertId}: ${effect} failed: ${(err as Error | undefined)?.message ?? String(err)}`);
      return { ok: false, reason: slackError(err) ?? publicReason(err) };
    }
  }
}
