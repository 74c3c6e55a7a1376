// What the layers above ask of a verdict's own flow — its key facts, its similar alerts, its picture — answered
// by the flow's plug-in with the verdict's exact facts type. A verdict read back without readable facts
// (stored-verdict.ts) gets none of them, and the key facts say why.
import type { Alert } from '../alerts/types.js';
import { FactsShapeError } from './fact-types.js';
import { label, plain, type KeyFactLine } from './key-facts.js';
import type { FlowDrawing } from './plugin.js';
import { claims, pluginOf, type FactsOf, type FlowName, type VerdictOf } from './registry.js';
import type { Similarity } from './similarity.js';
import type { StoredVerdict } from './stored-verdict.js';

/** The verdict's key facts for Slack, from its flow. */
export function keyFactsOf(v: StoredVerdict): KeyFactLine[] {
  if (v.facts === null) return [[label('Key facts: '), plain(`not shown — ${v.facts_problem}.`)]];
  return flowKeyFacts(v);
}

function flowKeyFacts<K extends FlowName>(v: VerdictOf<K>): KeyFactLine[] {
  return pluginOf(v.flow).keyFacts(v);
}

/**
 * What makes other alerts similar to this one, by the verdict's flow; undefined when the flow names nothing safe
 * or when the alert is not one the verdict's flow claims. Facts that did not read back count as none: the flow
 * falls back on the alert's own values, as it does for a fact the evidence did not give.
 */
export function similarityOf(alert: Alert, v: StoredVerdict): { flow: FlowName; similarity: Similarity } | undefined {
  return v.facts === null ? flowSimilarity(alert, v.flow, undefined) : flowSimilarity(alert, v.flow, v.facts);
}

function flowSimilarity<K extends FlowName>(alert: Alert, flow: K, facts: FactsOf<K> | undefined): { flow: K; similarity: Similarity } | undefined {
  const plugin = pluginOf(flow);
  if (!claims(plugin, alert)) return undefined;
  const similarity = plugin.similarity(alert, facts);
  return similarity ? { flow, similarity } : undefined;
}

/** The verdict's picture as its flow draws it, or why there is none; facts that did not read back throw FactsShapeError. */
export function drawingOf(v: StoredVerdict, alertTime?: Date): FlowDrawing {
  if (v.facts === null) throw new FactsShapeError(v.facts_problem);
  return flowDrawing(v, alertTime);
}

function flowDrawing<K extends FlowName>(v: VerdictOf<K>, alertTime?: Date): FlowDrawing {
  const plugin = pluginOf(v.flow);
  if (!plugin.picture) return { nothing: `${plugin.label} verdicts have no picture` };
  return plugin.picture({ verdict: v, label: plugin.label, ...(alertTime ? { alertTime } : {}) });
}
