// The evidence as a picture: which picture a verdict gets (its flow's, through the registry), as SVG and as
// PNG. Pure up to the PNG step.
import { drawingOf } from '../flows/dispatch.js';
import type { StoredVerdict } from '../flows/stored-verdict.js';
import type { Markup } from '../drawing/svg.js';
import { svgToPng } from './png.js';

export interface PictureInput {
  /** A fresh verdict, or one read back from the alert record (its facts checked there). */
  verdict: StoredVerdict;
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

/** A file name from any alert id: letters, digits, dot, dash and underscore, at most 60 of them. */
export function pictureFilename(v: Pick<StoredVerdict, 'alert_id'>): string {
  const id = v.alert_id.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 60) || 'alert';
  return `evidence-${id}.png`;
}

/**
 * The verdict's picture as SVG, drawn by its flow's plug-in, or why it has none (nothing to draw, a flow
 * without a picture). Facts that did not read back from storage throw FactsShapeError (src/flows/fact-types.ts).
 */
export function pictureSvg(input: PictureInput): PictureOutcome {
  const { verdict } = input;
  const drawn = drawingOf(verdict, input.alertTime);
  if ('nothing' in drawn) return drawn;
  return { ...drawn, filename: pictureFilename(verdict) };
}

/** SVG and PNG, or why there is no picture. */
export async function renderPicture(input: PictureInput): Promise<Picture | { nothing: string }> {
  const out = pictureSvg(input);
  if ('nothing' in out) return out;
  return { ...out, png: await svgToPng(out.svg) };
}
