// The plug-in contract: what a flow folder (src/flows/<flow>/) declares so the engine, the Slack rendering,
// the pictures, suppress-similar, the track record, the CLI and the demo can use it without naming it.
// The guide is docs/adding-a-flow.md.
import type { Alert } from '../alerts/types.js';
import type { JsonObject } from '../alerts/json.js';
import type { AnyRecogniser } from '../alerts/shapes.js';
import type { EvidenceSources } from '../evidence/evidence-sources.js';
import type { OktaDirectory, OktaLogEvidence } from '../evidence/ports.js';
import type { IpClassifier } from '../enrich/ip-class.js';
import type { z } from 'zod';
import type { FlowVerdict } from './verdict-core.js';
import type { KeyFactLine } from './key-facts.js';
import type { Markup } from '../drawing/svg.js';
import type { Similarity } from './similarity.js';
import type { NextStepsByVerdict } from './next-steps-type.js';
import type { ContainmentPlanner } from './containment.js';

export interface EngineSettings {
  rareDomainUserThreshold: number;
  /** Office and VPN CIDRs: known company IPs for the Okta flows. */
  companyCidrs: string[];
  /** The investigation time: "after T" windows end here. */
  now: () => Date;
  /** N of the MFA fatigue flow: rejections in the 10 minutes before an approval that make it a fatigue approval. */
  mfaFatigueMinRejections?: number;
}

export const DEFAULT_MFA_FATIGUE_MIN_REJECTIONS = 3;
export const DEFAULT_SETTINGS: EngineSettings = { rareDomainUserThreshold: 5, companyCidrs: [], now: () => new Date(), mfaFatigueMinRejections: DEFAULT_MFA_FATIGUE_MIN_REJECTIONS };

/** Everything a flow may gather through: the evidence ports, never an adapter. */
export interface EngineDeps {
  evidence: EvidenceSources;
  /** Loaded on first use: only the AWS flow needs AWS's ranges. */
  ipClassifier: () => Promise<IpClassifier>;
  settings?: EngineSettings;
  /** The Okta API, when configured. */
  oktaApi?: OktaLogEvidence & OktaDirectory;
}

/** An alert of one normalised type (src/alerts/types.ts). */
export type AlertOf<T extends Alert['type']> = Extract<Alert, { type: T }>;

/** What a flow's picture is given: its verdict, the alert's time when known, and the flow's label for the header. */
export interface FlowPictureInput<V> {
  verdict: V;
  alertTime?: Date;
  label: string;
}

/** A flow's drawing: SVG and its alternative text, or why there is nothing to draw. */
export type FlowDrawing = { svg: Markup; alt: string } | { nothing: string };

export interface FlowPlugin<Id extends string, T extends Alert['type'], Facts> {
  /** The flow's name in verdicts, audit records, suppressions and stats. Stable: stored data carries it. */
  id: Id;
  /** How people read it (picture header, stats). */
  label: string;
  /** The normalised alert type it claims; its recognisers produce it. */
  alertType: T;
  /**
   * Which inputs it takes: one recogniser per input shape it claims (the shapes and their parsers are in
   * src/alerts/; src/flows/recognise.ts asks every flow's recognisers of an input's shape).
   */
  recognisers: ReadonlyArray<AnyRecogniser<AlertOf<T>>>;
  /** Whether it takes Elastic Security alerts, routed to it by detection rule id (never the rule's name). */
  ruleRouted?: RuleRouting<AlertOf<T>>;
  /** The one containment action it offers on a malicious or suspicious verdict, its target from the evidence. */
  containment?: ContainmentPlanner;
  /** What a responder does next, per verdict, shown with the verdict (our words only). */
  nextSteps: NextStepsByVerdict;
  /** Gather through the ports, then the pure decide. */
  investigate(alert: AlertOf<T>, deps: EngineDeps): Promise<FlowVerdict<Id, Facts>>;
  /** Checks the facts of a verdict read back from storage (Redis); never used between our own modules. */
  factsSchema: z.ZodType<Facts, z.ZodTypeDef, unknown>;
  /**
   * What makes another alert "similar" for suppress-similar, from the alert and the verdict's facts; pure.
   * `undefined` facts: the stored verdict's facts did not read back, so only the alert's own values may count.
   */
  similarity(alert: AlertOf<T>, facts: Facts | undefined): Similarity | undefined;
  /** The few facts an analyst looks at first, one line each, shown with the verdict in Slack (src/flows/key-facts.ts). */
  keyFacts(verdict: FlowVerdict<Id, Facts>): KeyFactLine[];
  /** The evidence as a picture (optional): drawn with src/drawing/, turned into a PNG by src/pictures/. */
  picture?(input: FlowPictureInput<FlowVerdict<Id, Facts>>): FlowDrawing;
}

/** How a flow takes Elastic Security alerts (`.alerts-security.alerts-*`) routed to it by rule id. */
export interface RuleRouting<A extends Alert> {
  /** The rules routed to it unless DETECTION_RULE_FLOWS says otherwise (setting that replaces every default). */
  defaultRuleIds: readonly string[];
  /** The alert of an Elastic Security alert of a rule routed to it (`doc` with dotted keys expanded, `raw` as received). */
  parse(doc: JsonObject, raw: JsonObject, ruleId: string): A;
}
