// The alert intake as one part: the message handler (shared by events and the catch-up) and the buffer that
// holds messages while Redis is away. Built once per app process.
import { WebClient } from '@slack/web-api';
import type { Queue } from 'bullmq';
import type { Audit } from '../audit/audit.js';
import type { MessageMarks } from '../queue/message-marks.js';
import type { InvestigationJob } from '../queue/queue.js';
import type { AlertStateStore } from '../queue/state.js';
import { AlertMessageHandler, type AlertMessageSettings } from './alert-message.js';
import { oneShotClientOptions, slackClientOptions } from '../slack/client.js';
import { IntakeBuffer } from './intake-buffer.js';

export interface AlertIntake {
  handler: AlertMessageHandler;
  buffer: IntakeBuffer;
}

export interface AlertIntakeDeps {
  queue: Queue<InvestigationJob>;
  state: AlertStateStore;
  audit?: Audit;
  /** On a connection that fails fast while Redis is away (no offline queue), so messages go to the buffer at once. */
  marks: MessageMarks;
  /** INTAKE_BUFFER_SIZE. */
  bufferSize?: number;
  log: (msg: string) => void;
  /** The Web API client to use (default: one of ours, with slackClientOptions). */
  client?: WebClient;
}

export function createAlertIntake(s: AlertMessageSettings, deps: AlertIntakeDeps): AlertIntake {
  const client = deps.client ?? new WebClient(s.botToken, slackClientOptions(s.apiUrl));
  // Posts are made once (Slack cannot de-duplicate them); see oneShotClientOptions.
  const postClient = new WebClient(s.botToken, oneShotClientOptions(slackClientOptions(s.apiUrl)));
  const handler = new AlertMessageHandler(s, { client, postClient, queue: deps.queue, state: deps.state, marks: deps.marks, log: deps.log, ...(deps.audit ? { audit: deps.audit } : {}) });
  // Events come filtered by Bolt (its own messages are dropped before listeners): no identity needed here.
  const buffer = new IntakeBuffer((msg, token) => handler.handle(msg, {}, token), { ...(deps.bufferSize ? { capacity: deps.bufferSize } : {}), log: deps.log });
  return { handler, buffer };
}
