// The names people read for each flow: Slack, the CLI's text output and the pictures show these;
// JSON output and the audit keep the ids (machines match on them).
import type { FlowName } from './verdict.js';

export const FLOW_TITLE: Record<FlowName, string> = {
  aws_instance_credentials: 'AWS stolen instance credentials',
  okta_impossible_travel: 'Okta impossible travel',
  okta_mfa_fatigue: 'Okta MFA push fatigue',
  malicious_email: 'Malicious e-mail',
};

/** A flow's human name. */
export const flowTitle = (flow: FlowName): string => FLOW_TITLE[flow];

/** A flow id read back from storage (any string): its human name when it is one of ours, else the id as stored. */
export function storedFlowTitle(flow: string): string {
  return Object.hasOwn(FLOW_TITLE, flow) ? FLOW_TITLE[flow as FlowName] : flow;
}
