// The one normalized alert type every edge produces and every flow consumes.

export const ALERT_TYPES = ['aws.instance_credential_exfiltration', 'okta.superhuman', 'email.malicious', 'okta.mfa_fatigue'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

interface AlertBase {
  /** Stable id of the alert in its source system (job ids and audit records derive from it). */
  id: string;
  /** Alert time T: every evidence window is anchored here. */
  time: Date;
  title?: string;
  severity?: string;
  source?: string;
  /** The input as received, unknown fields included. */
  raw: unknown;
}

export interface AwsCredentialAlert extends AlertBase {
  type: 'aws.instance_credential_exfiltration';
  accessKeyId: string;
  instanceId?: string;
  accountId?: string;
  /** The instance's home region. */
  region?: string;
  instancePublicIps: string[];
  /** Evidence window start when the source says (GuardDuty: 24 h before eventFirstSeen). */
  windowStart?: Date;
}

export interface OktaTravelAlert extends AlertBase {
  type: 'okta.superhuman';
  userId?: string;
  userLogin?: string;
  /** IP B of the alerting sign-in. */
  ip: string;
  /** IP A, when the alert names it. */
  previousIp?: string;
  /** Okta session of the alerting sign-in, when known (native System Log events). */
  sessionId?: string;
}

/** An indicator the source gave but that cannot be investigated (e.g. a "hash" of no known length). */
export interface SkippedIndicator {
  /** Where it was, e.g. `threat_indicators[1].value`. */
  field: string;
  /** The value as given, cleaned of controls and cut short. */
  value: string;
  reason: string;
}

export interface EmailAlert extends AlertBase {
  type: 'email.malicious';
  recipients: string[];
  sender?: string;
  subject?: string;
  urls: string[];
  fileNames: string[];
  hashes: string[];
  /** Indicators skipped as invalid; the verdict's facts name them. */
  skippedIndicators?: SkippedIndicator[];
}

/** Okta MFA push fatigue (flows.md §4): whose pushes, around when. */
export interface OktaMfaFatigueAlert extends AlertBase {
  type: 'okta.mfa_fatigue';
  userId?: string;
  userLogin?: string;
  /** What raised it: the canonical alert, the Okta event type, or the detection rule (shown in the facts). */
  trigger: string;
}

export type Alert = AwsCredentialAlert | OktaTravelAlert | EmailAlert | OktaMfaFatigueAlert;

/** Malformed input: names the field and why, never echoes large or raw values. */
export class AlertParseError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
    /** Our own help on writing the value ("e.g. 2026-01-31T12:00:00Z"): shown as our words, never defanged like values. */
    readonly hint?: string,
  ) {
    super(`${field}: ${reason}${hint ? ` (${hint})` : ''}`);
    this.name = 'AlertParseError';
  }

  /** The field and the reason without our hint: these may carry alert text (a type, an id), so they are shown as values. */
  get problem(): string {
    return `${this.field}: ${this.reason}`;
  }
}
