// What a worker process works with, and reading the stored alert back.
import type { WebClient } from '@slack/web-api';
import { UnrecoverableError } from 'bullmq';
import { AlertParseError, type Alert } from '../alerts/types.js';
import type { StoredAlert } from '../alerts/stored.js';
import { readStoredAlert } from '../flows/recognise.js';
import type { EngineDeps } from '../flows/engine.js';
import type { Audit } from '../audit/audit.js';
import type { AlertStateStore } from '../queue/state.js';
import type { PicturePoolOptions } from '../pictures/pool.js';
import type { KibanaSettings } from '../slack/kibana.js';

export interface WorkerDeps {
  engine: EngineDeps;
  /** Waits out Slack's rate limits (reactions, failure notes). */
  slack: WebClient;
  /** Refuses rate-limited calls at once, so held-back verdicts can be re-ordered by priority; defaults to `slack`. */
  slackDelivery?: WebClient;
  state: AlertStateStore;
  audit: Audit;
  /** Offer Contain… on malicious and suspicious verdicts (CONTAINMENT_MODE is not off). */
  offerContainment?: boolean;
  /** KIBANA_URL is set: decision steps link to their search in Discover. */
  kibana?: KibanaSettings;
  log?: (msg: string) => void;
  /** The picture renderers (PICTURE_* settings); their defaults otherwise. */
  pictures?: Partial<Omit<PicturePoolOptions, 'log'>>;
}

/** The run's alert: the one stored beside its body (parsed again only when older than the parser); a body that no longer parses is not worth retrying. */
export function storedAlert(body: Partial<StoredAlert> & { raw: string }): Alert {
  try {
    return readStoredAlert(body);
  } catch (err) {
    if (err instanceof AlertParseError) throw Object.assign(new UnrecoverableError(`the alert no longer parses (${err.message})`), { cause: err });
    throw err;
  }
}
