// The evidence as a picture: which picture a verdict gets, as SVG and as PNG. Pure up to the PNG step.
import type { FlowName, Verdict } from '../flows/verdict.js';
import { awsPicture } from './aws.js';
import { emailPicture } from './email.js';
import { oktaPicture } from './okta.js';
import { mfaPicture } from './mfa.js';
import { svgToPng } from './png.js';
import type { Markup } from './svg.js';

export interface PictureInput {
  verdict: Verdict;
  /** The alert's time T, drawn on the AWS timeline when known. */
  alertTime?: Date;
}

export interface PictureSvg {
  svg: Markup;
  /** Alternative text for the image (Slack's alt_text). */
  alt: string;
  /** A file name that says which alert it is, from safe characters only. */
  filename: string;
}

export type PictureOutcome = PictureSvg | { nothing: string };

export interface Picture extends PictureSvg {
  png: Buffer;
}

/**
 * Each flow's picture. Pictures draw with src/pictures/ (a layer above the flows), so they are keyed here by
 * flow name rather than declared in the flow's folder; a flow without a picture returns `{ nothing }`.
 * The Record makes a newly registered flow a type error here until it says what it draws.
 */
const PICTURES: Record<FlowName, (input: PictureInput) => Omit<PictureSvg, 'filename'> | { nothing: string }> = {
  aws_instance_credentials: awsPicture,
  okta_impossible_travel: (input) => oktaPicture(input.verdict),
  malicious_email: (input) => emailPicture(input.verdict),
  okta_mfa_fatigue: (input) => mfaPicture(input.verdict),
};

/** A file name from any alert id: letters, digits, dot, dash and underscore, at most 60 of them. */
export function pictureFilename(v: Verdict): string {
  const id = v.alert_id.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 60) || 'alert';
  return `evidence-${id}.png`;
}

/** The verdict's picture as SVG, or why it has none (nothing to draw). Facts not in the flow's shape throw. */
export function pictureSvg(input: PictureInput): PictureOutcome {
  const { verdict } = input;
  const drawn = PICTURES[verdict.flow](input);
  if ('nothing' in drawn) return drawn;
  return { ...drawn, filename: pictureFilename(verdict) };
}

/** SVG and PNG, or why there is no picture. */
export async function renderPicture(input: PictureInput): Promise<Picture | { nothing: string }> {
  const out = pictureSvg(input);
  if ('nothing' in out) return out;
  return { ...out, png: await svgToPng(out.svg) };
}
