// Which flow investigates an Elastic Security alert: by its detection rule's id (never its name, which changes
// between releases). Configuration (DETECTION_RULE_FLOWS, "rule-id:flow" items checked in config.ts) replaces
// the default map.
import { OKTA_MFA_BOMBING_RULE_ID } from '../config.js';

/** Flows that can take an Elastic Security alert as their input. */
export type RuleRoutableFlow = 'okta_mfa_fatigue';

export const DEFAULT_DETECTION_RULE_FLOWS: readonly string[] = [`${OKTA_MFA_BOMBING_RULE_ID}:okta_mfa_fatigue`];

let ruleFlows = new Map<string, RuleRoutableFlow>();

/** Set once at start from the configuration ("rule-id:flow" items); every recogniser in the process reads it. */
export function configureDetectionRuleFlows(items: readonly string[]): void {
  ruleFlows = new Map(
    items.flatMap((item) => {
      const [id, flow] = item.split(':');
      return id && flow === 'okta_mfa_fatigue' ? [[id.toLowerCase(), flow] as const] : [];
    }),
  );
}
configureDetectionRuleFlows(DEFAULT_DETECTION_RULE_FLOWS);

export function flowOfRule(ruleId: string): RuleRoutableFlow | undefined {
  return ruleFlows.get(ruleId.toLowerCase());
}
