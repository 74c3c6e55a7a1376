// What the Slack app is built from (settings and services), and what every listener is handed.
import type { Queue } from 'bullmq';
import type { WebClient } from '@slack/web-api';
import type { AlertLookup } from '../evidence/ports.js';
import type { Audit } from '../audit/audit.js';
import type { TrackRecord } from '../audit/track-record.js';
import type { Metrics } from '../ops/metrics.js';
import type { InvestigationJob } from '../queue/queue.js';
import type { AlertStateStore } from '../queue/state.js';
import type { Responders } from './responders.js';
import type { SideEffects } from './side-effects.js';
import type { ContainmentService } from '../containment/service.js';

export interface SlackSettings {
  mode: 'socket' | 'http';
  botToken: string;
  appToken?: string;
  signingSecret?: string;
  apiUrl?: string;
  alertChannels: string[];
  /** Bot, app or user ids whose messages in the alert channels are alerts; empty: anyone's (see SECURITY.md). */
  alertPosters: string[];
  escalationChannel?: string;
  oncallUsergroup?: string;
  responderUsergroup?: string;
  responderUsers: string[];
  pagerDuty?: { routingKey: string; baseUrl: string };
  /** Attached-file download timeout (default 10 s). */
  fileTimeoutMs?: number;
  /** A flow whose agreement with responders falls below this share is flagged (TRACK_RECORD_MIN_AGREEMENT, default 0.8). */
  trackRecordMinAgreement?: number;
  /** Who may request and approve containment; unset, the responders (CONTAINMENT_APPROVER_USERGROUP). */
  containmentApproverUsergroup?: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export interface SlackDeps {
  queue: Queue<InvestigationJob>;
  state: AlertStateStore;
  alerts: AlertLookup;
  audit: Audit;
  metrics: Metrics;
  /** Liveness of what the app depends on, for /healthz. */
  health: () => Promise<Record<string, boolean>>;
  log: (level: 'info' | 'warn' | 'error', msg: string) => void;
  /** Containment (CONTAINMENT_MODE not off), built with the approver check the app makes. */
  makeContainment?: (isApprover: (userId: string) => Promise<boolean>) => ContainmentService;
  /** How often expired containment requests are shown as such (default 30 s; 0: never). */
  containmentSweepEveryMs?: number;
}

/** Handed to every listener's register(app, deps). */
export interface ListenerDeps extends SlackDeps {
  settings: SlackSettings;
  /** The app's own client (retries, waits out rate limits). */
  client: WebClient;
  /** Makes each call once and never waits out a rate limit: for posts, and for views.open within a trigger's 3 s. */
  interactive: WebClient;
  responders: Responders;
  /** Every side effect of a button goes through here: guarded, logged, counted. */
  effects: SideEffects;
  readTrackRecord: () => Promise<TrackRecord>;
  /** Containment, when on: Contain… is offered on malicious and suspicious verdicts. */
  containment?: ContainmentService;
  offerContainment: boolean;
}
