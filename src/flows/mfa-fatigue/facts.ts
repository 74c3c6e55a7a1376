// MFA push fatigue: the evidence decide() reads, gathered by gather.ts (or built by hand in tests).
import type { OktaUserRef, TimeWindow } from '../../evidence/ports.js';
import type { MfaActivity } from './activity.js';

/**
 * Whether a requesting IP is known (flows.md §4: company CIDRs, company agents' sightings of a device's own
 * address in [T − 30d, T], the user's successful sign-ins in [T − 90d, T − 24h)), and why. `unknown`: the
 * evidence cannot tell (no agent data in the window and in neither the CIDRs nor the history; a failed lookup).
 */
export interface IpStatus {
  ip: string;
  status: 'known' | 'not_known' | 'unknown';
  reason: string;
}

export interface MfaFatigueEvidence {
  user: OktaUserRef;
  source: 'elasticsearch' | 'okta-api' | 'none';
  /** Why no System Log could be read. */
  sourceError?: string;
  window: TimeWindow;
  /** The System Log had any event at all in the window (absence of data is not evidence of absence). */
  hasData: boolean;
  /** Why the user's MFA events in the window may be incomplete (a paging budget …). */
  logIncomplete?: string[];
  activity: MfaActivity;
  /** Every requesting IP of a push or an approval. */
  ips: IpStatus[];
  /** N: rejections that make an approval a fatigue approval (MFA_FATIGUE_MIN_REJECTIONS). */
  minRejections: number;
  notes: string[];
}
