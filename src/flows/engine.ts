// investigate(alert): the registry picks the flow that claims it; the flow gathers through the ports and decides.
import type { Alert } from '../alerts/types.js';
import { investigateWithFlow } from './registry.js';
import type { Verdict } from './verdict.js';

export type { EvidenceSources } from '../evidence/evidence-sources.js';
export { DEFAULT_MFA_FATIGUE_MIN_REJECTIONS, DEFAULT_SETTINGS, type EngineDeps, type EngineSettings } from './plugin.js';
import type { EngineDeps } from './plugin.js';

export async function investigate(alert: Alert, deps: EngineDeps): Promise<Verdict> {
  return investigateWithFlow(alert, deps);
}
