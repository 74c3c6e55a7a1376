// The names people read for each flow (each plug-in's label): Slack, the CLI's text output and the pictures
// show these; JSON output and the audit keep the ids (machines match on them).
import { flowNamed } from './registry.js';

/** A flow's human name; a stored id no flow has (an older or newer release's) is shown as stored. */
export function flowTitle(flow: string): string {
  return flowNamed(flow)?.label ?? flow;
}

/** A flow id read back from storage (any string). */
export const storedFlowTitle = flowTitle;
