// THE list of flows. A flow is one folder under src/flows/ exporting a FlowPlugin (plugin.ts); adding a flow
// is adding it here (docs/adding-a-flow.md). Nothing outside a flow's folder and this file names a flow.
import type { Alert } from '../alerts/types.js';
import { awsFlow } from './aws/plugin.js';
import { emailFlow } from './email/plugin.js';
import { mfaFatigueFlow } from './mfa-fatigue/plugin.js';
import { oktaFlow } from './okta/plugin.js';
import type { AlertOf, EngineDeps, FlowPlugin } from './plugin.js';
import type { FlowVerdict } from './verdict-core.js';

export const FLOW_PLUGINS = [awsFlow, oktaFlow, emailFlow, mfaFatigueFlow] as const;

type Registered = (typeof FLOW_PLUGINS)[number];
export type FlowName = Registered['id'];

/** Each flow's facts type and alert type, by flow name (read off the plug-ins). */
type FactsByFlow = { [P in Registered as P['id']]: P extends FlowPlugin<P['id'], P['alertType'], infer F> ? F : never };
type AlertTypeByFlow = { [P in Registered as P['id']]: P['alertType'] };

export type FactsOf<K extends FlowName> = FactsByFlow[K];
/** The plug-in of the flow `K`, with its exact alert and facts types. */
export type PluginOf<K extends FlowName> = FlowPlugin<K, AlertTypeByFlow[K], FactsByFlow[K]>;
/**
 * The verdict of any of the flows `K`: a union discriminated on `flow`, each member carrying its flow's facts.
 * Written as a mapped type indexed by K so that, in a function generic over K, `pluginOf(v.flow)` and `v` stay
 * correlated (TypeScript checks `pluginOf(v.flow).keyFacts(v)` without a cast).
 */
export type VerdictOf<K extends FlowName = FlowName> = { [P in K]: FlowVerdict<P, FactsByFlow[P]> }[K];

const BY_NAME: { [K in FlowName]: PluginOf<K> } = { [awsFlow.id]: awsFlow, [oktaFlow.id]: oktaFlow, [emailFlow.id]: emailFlow, [mfaFatigueFlow.id]: mfaFatigueFlow };

/** The plug-in of a flow name known to be registered (a verdict's `flow`). */
export function pluginOf<K extends FlowName>(flow: K): PluginOf<K> {
  return BY_NAME[flow];
}

/** Whether the plug-in claims this alert (its alert type), narrowing the alert to that type. */
export function claims<K extends FlowName>(plugin: PluginOf<K>, alert: Alert): alert is AlertOf<AlertTypeByFlow[K]> {
  return alert.type === plugin.alertType;
}

/** The flow claiming the alert investigates it. Every alert type has one (a test checks), so none is a programming error. */
export async function investigateWithFlow(alert: Alert, deps: EngineDeps): Promise<VerdictOf> {
  for (const { id } of FLOW_PLUGINS) {
    const verdict = investigateWith(id, alert, deps);
    if (verdict) return verdict;
  }
  throw new Error(`no flow claims alerts of type ${alert.type}`);
}

function investigateWith<K extends FlowName>(flow: K, alert: Alert, deps: EngineDeps): Promise<VerdictOf<K>> | undefined {
  const plugin = pluginOf(flow);
  return claims(plugin, alert) ? plugin.investigate(alert, deps) : undefined;
}

/** A flow by its name (stored verdicts, suppressions, stats), or undefined for a name no flow has. */
export function flowNamed(id: string): Registered | undefined {
  return FLOW_PLUGINS.find((p) => p.id === id);
}
