// The alert's record as the buttons and the modal use it: answering the clicker, showing a decision on the
// report, and which alerts are similar to it.
import type { WebClient } from '@slack/web-api';
import { isSlackId } from '../config.js';
import type { AlertState, AlertStateStore, Decision } from '../queue/state.js';
import { renderVerdict } from '../slack/render.js';
import { dateToken } from '../slack/rich-text.js';
import type { KibanaSettings } from '../slack/kibana.js';
import { similarityKey, type SimilarityKey } from '../suppress/key.js';

/** An ephemeral answer to a click, in the alert's thread when the verdict lives in one. */
export const tellClicker = (client: WebClient, state: AlertState, user: string, text: string) =>
  client.chat.postEphemeral({ channel: state.channel, user, text, ...(state.messageTs && state.threadTs !== state.messageTs ? { thread_ts: state.threadTs } : {}) });

export const describeDecision = (d: Decision) => `${d.kind} by <@${isSlackId(d.by) ? d.by : 'unknown'}> at ${dateToken(d.at)}`;

/** Which alerts are similar to this one (none without a verdict, or when the flow can name no entity). */
export function similarOf(state: AlertState): SimilarityKey | undefined {
  // A stored body that no longer parses: dismissing still works, suppressing is not offered.
  return state.verdict && state.alert ? similarityKey(state.alert, state.verdict) : undefined;
}

/** The report updated to show the decision (nothing to update without a report or a verdict). */
export async function showDecision(client: WebClient, states: AlertStateStore, key: string, decision: Decision, contain = false, kibana?: KibanaSettings): Promise<void> {
  const state = await states.get(key);
  if (!state?.messageTs || !state.verdict) return;
  const title = state.alert?.title;
  const message = renderVerdict({ verdict: state.verdict, alertKey: key, decision, ...(title ? { alertTitle: title } : {}), ...(state.alert ? { alertTime: state.alert.time } : {}), contain, ...(kibana ? { kibana } : {}) });
  await client.chat.update({ channel: state.channel, ts: state.messageTs, text: message.text, blocks: message.blocks as never });
}
