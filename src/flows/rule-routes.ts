// Elastic Security alerts go to a flow by their detection rule's id, never its name (names change between
// releases). The flows that take such alerts say so in their plug-in (`ruleRouted`, with default rule ids);
// DETECTION_RULE_FLOWS ("rule-id:flow,…") replaces those defaults, and is checked against them at start.
import { ConfigError } from '../config.js';
import type { JsonObject } from '../alerts/json.js';
import { kibanaRuleId } from '../alerts/kibana.js';
import { notAnAlert, type ParseOutcome } from '../alerts/documents.js';
import type { Alert } from '../alerts/types.js';
import { FLOW_PLUGINS } from './registry.js';
import type { RuleRouting } from './plugin.js';

interface RuleRoutedFlow {
  id: string;
  ruleRouted: RuleRouting<Alert>;
}

/** The registered flows that take Elastic Security alerts, in the registry's order. */
function ruleRoutedFlows(): RuleRoutedFlow[] {
  return FLOW_PLUGINS.flatMap((p): RuleRoutedFlow[] => (p.ruleRouted ? [{ id: p.id, ruleRouted: p.ruleRouted }] : []));
}

/** The routes when DETECTION_RULE_FLOWS is not set: each flow's own default rule ids ("rule-id:flow"). */
export function defaultRuleRoutes(): string[] {
  return ruleRoutedFlows().flatMap((f) => f.ruleRouted.defaultRuleIds.map((rule) => `${rule}:${f.id}`));
}

/**
 * Why these "rule-id:flow" items cannot be used (none: they can): a flow that takes no such alerts, a rule sent to
 * two flows. `flows`: the registered flows that take them.
 */
export function ruleRouteProblems(items: readonly string[], flows: ReadonlyArray<{ id: string }> = ruleRoutedFlows()): string[] {
  const valid = flows.map((f) => f.id).join(', ') || 'none';
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const item of items) {
    const cut = item.lastIndexOf(':');
    const rule = item.slice(0, cut).toLowerCase();
    const flow = item.slice(cut + 1);
    if (cut <= 0 || !flows.some((f) => f.id === flow)) problems.push(`DETECTION_RULE_FLOWS: "${item.slice(0, 80)}" names no flow that takes Elastic Security alerts (flows that do: ${valid})`);
    else if (seen.has(rule) && seen.get(rule) !== flow) problems.push(`DETECTION_RULE_FLOWS: rule ${rule.slice(0, 80)} is routed to two flows (${seen.get(rule)} and ${flow})`);
    else seen.set(rule, flow);
  }
  return problems;
}

/** "rule-id:flow" items → the flow of each rule id (lower-cased). Throws ConfigError on any problem. */
function routesFrom(items: readonly string[]): Map<string, RuleRoutedFlow> {
  const problems = ruleRouteProblems(items);
  if (problems.length) throw new ConfigError(problems);
  const flows = ruleRoutedFlows();
  return new Map(items.map((item) => [item.slice(0, item.lastIndexOf(':')).toLowerCase(), flows.find((f) => f.id === item.slice(item.lastIndexOf(':') + 1))!]));
}

let routes = routesFrom(defaultRuleRoutes());

/**
 * Set once at start, before any alert is read, from DETECTION_RULE_FLOWS (empty: the flows' defaults); every
 * recogniser in the process reads it. Throws ConfigError naming the flows that take such alerts.
 */
export function configureRuleRoutes(items: readonly string[]): void {
  routes = routesFrom(items.length ? items : defaultRuleRoutes());
}

/** The routes in force, as "rule-id:flow" items (rule ids lower-cased). */
export function ruleRoutesInForce(): string[] {
  return [...routes].map(([rule, flow]) => `${rule}:${flow.id}`);
}

/** An Elastic Security alert (dotted keys expanded): its rule decides, before any source shape it copies. */
export function recogniseRuleAlert(doc: JsonObject, raw: JsonObject): ParseOutcome {
  const ruleId = kibanaRuleId(doc);
  const flow = ruleId === undefined ? undefined : routes.get(ruleId.toLowerCase());
  if (ruleId !== undefined && flow) return { kind: 'alert', alert: flow.ruleRouted.parse(doc, raw, ruleId) };
  return notAnAlert(ruleId ? `Elastic Security alert of rule ${ruleId} (no flow is mapped to it: DETECTION_RULE_FLOWS)` : 'Elastic Security alert without a rule id');
}
