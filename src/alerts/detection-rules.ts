// Which flow investigates an Elastic Security alert: by its detection rule's id (never its name, which changes
// between releases). Configuration (DETECTION_RULE_FLOWS, validated in config.ts) replaces the default map.
import { DEFAULT_DETECTION_RULE_FLOWS, type RuleRoutableFlow } from '../config.js';

export { DEFAULT_DETECTION_RULE_FLOWS, parseDetectionRuleFlows, OKTA_MFA_BOMBING_RULE_ID } from '../config.js';

let ruleFlows = new Map<string, RuleRoutableFlow>(Object.entries(DEFAULT_DETECTION_RULE_FLOWS));

/** Set once at start from the configuration; every recogniser in the process reads it. */
export function configureDetectionRuleFlows(map: Readonly<Record<string, RuleRoutableFlow>>): void {
  ruleFlows = new Map(Object.entries(map).map(([id, flow]) => [id.toLowerCase(), flow]));
}

export function flowOfRule(ruleId: string): RuleRoutableFlow | undefined {
  return ruleFlows.get(ruleId.toLowerCase());
}
