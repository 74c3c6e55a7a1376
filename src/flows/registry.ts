// THE list of flows. A flow is one folder under src/flows/ exporting a FlowPlugin (plugin.ts); adding a flow
// is adding it here (docs/adding-a-flow.md). Nothing outside a flow's folder and this file names a flow.
import type { Alert } from '../alerts/types.js';
import { awsFlow } from './aws/plugin.js';
import { emailFlow } from './email/plugin.js';
import { mfaFatigueFlow } from './mfa-fatigue/plugin.js';
import { oktaFlow } from './okta/plugin.js';
import type { AlertOf, FlowPlugin } from './plugin.js';

export const FLOW_PLUGINS = [awsFlow, oktaFlow, emailFlow, mfaFatigueFlow] as const;

/** Any registered flow, seen through the contract with its alert type left open. */
export type AnyFlowPlugin = FlowPlugin<(typeof FLOW_PLUGINS)[number]['id'], Alert['type']>;

/**
 * The flow that claims this alert. Every alert type has one (a test checks the registry covers them), so a
 * missing one is a programming error. The cast is the one place TypeScript cannot correlate a plug-in's
 * alert type with the alert it receives: the lookup by `alertType` is what makes it true.
 */
export function flowOf<T extends Alert['type']>(alert: AlertOf<T>): FlowPlugin<(typeof FLOW_PLUGINS)[number]['id'], T> {
  const plugin = FLOW_PLUGINS.find((p) => p.alertType === alert.type);
  if (!plugin) throw new Error(`no flow claims alerts of type ${alert.type}`);
  return plugin as unknown as FlowPlugin<(typeof FLOW_PLUGINS)[number]['id'], T>;
}

/** A flow by its name (stored verdicts, suppressions, stats), or undefined for a name no flow has. */
export function flowNamed(id: string): AnyFlowPlugin | undefined {
  return FLOW_PLUGINS.find((p) => p.id === id) as AnyFlowPlugin | undefined;
}
