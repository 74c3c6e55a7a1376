// What the Slack app is built from (settings and services), and what every listener is handed.
import type { Queue } from 'bullmq';
import type { KibanaSettings } from '../slack/kibana.js';
import type { WebClient } from '@slack/web-api';
import type { AlertLookup } from '../evidence/ports.js';
import type { Audit } from '../audit/audit.js';
import type { TrackRecord } from '../audit/track-record.js';
import type { Metrics } from '../ops/metrics.js';
import type { InvestigationJob } from '../queue/queue.js';
import type { AlertStateStore } from '../queue/state.js';
import type { AlertIntake } from './alert-intake.js';
import type { CatchUp } from './catch-up/catch-up.js';
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
  /** Bot, app or user ids whose messages in the alert channels are alerts; empty: integrations' only; ['*']: anyone's (see SECURITY.md). */
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
  /** The track record's gauges in /metrics (METRICS_TRACK_RECORD; off by default). */
  metricsTrackRecord?: boolean;
  /** KIBANA_URL is set: decision steps link to their search in Discover (also on reports updated by a click). */
  kibana?: KibanaSettings;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export interface SlackDeps {
  queue: Queue<InvestigationJob>;
  state: AlertStateStore;
  alerts: AlertLookup;
  audit: Audit;
  metrics: Metrics;
  log: (level: 'info' | 'warn' | 'error', msg: string) => void;
  /** Containment (CONTAINMENT_MODE not off), built with the approver check the app makes. */
  makeContainment?: (isApprover: (userId: string) => Promise<boolean>) => ContainmentService;
  /** How often expired containment requests are shown as such (default 30 s; 0: never). */
  containmentSweepEveryMs?: number;
  /** The alert intake shared with the catch-up; built by the app (marks on the state's connection) when not given. */
  intake?: AlertIntake;
  /** The catch-up, for /triage status. */
  catchUp?: CatchUp;
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
  intake: AlertIntake;
}
