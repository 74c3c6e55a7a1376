// Which flow investigates an Elastic Security alert: by its detection rule's id (never its name, which changes
// between releases). Configuration (DETECTION_RULE_FLOWS) replaces the default map.
import type { FlowName } from '../verdict.js';

/** Elastic's prebuilt Okta push-bombing rule (flows.md §4). */
export const OKTA_MFA_BOMBING_RULE_ID = '97a8e584-fd3b-421f-9b9d-9c9d9e57e9d7';

/** Flows that can take an Elastic Security alert as their input. */
export const RULE_ROUTABLE_FLOWS: readonly FlowName[] = ['okta_mfa_fatigue'];

export const DEFAULT_DETECTION_RULE_FLOWS: Readonly<Record<string, FlowName>> = { [OKTA_MFA_BOMBING_RULE_ID]: 'okta_mfa_fatigue' };

/** A rule id as Kibana writes it: a UUID, or a custom rule's own id (letters, digits, "-", "_", "."). */
export const RULE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

let ruleFlows = new Map<string, FlowName>(Object.entries(DEFAULT_DETECTION_RULE_FLOWS));

/** Set once at start from the configuration; every recogniser in the process reads it. */
export function configureDetectionRuleFlows(map: Readonly<Record<string, FlowName>>): void {
  ruleFlows = new Map(Object.entries(map).map(([id, flow]) => [id.toLowerCase(), flow]));
}

export function flowOfRule(ruleId: string): FlowName | undefined {
  return ruleFlows.get(ruleId.toLowerCase());
}

/** "rule-id:flow,rule-id:flow" → map; problems named one by one. */
export function parseDetectionRuleFlows(text: string): { map: Record<string, FlowName>; problems: string[] } {
  const map: Record<string, FlowName> = {};
  const problems: string[] = [];
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [id, flow, extra] = item.split(':').map((s) => s.trim());
    if (extra !== undefined || !id || !flow) problems.push(`"${item.slice(0, 80)}" is not rule-id:flow`);
    else if (!RULE_ID.test(id)) problems.push(`"${id.slice(0, 80)}" is not a detection rule id`);
    else if (!(RULE_ROUTABLE_FLOWS as readonly string[]).includes(flow)) problems.push(`"${flow.slice(0, 60)}" is not a flow that takes Elastic Security alerts (${RULE_ROUTABLE_FLOWS.join(', ')})`);
    else map[id] = flow as FlowName;
  }
  return { map, problems };
}
