// The id a document is stored under when its dataset has a natural event id, so loading the same file twice adds
// nothing (data streams take `create` only: the second copy answers 409, counted as already present). Each rule
// follows the Elastic package that writes the dataset:
// - aws.cloudtrail: the pipeline renames CloudTrail's eventID to event.id (unique per event, AWS says);
// - okta.system: okta.uuid, the System Log event's uuid;
// - proofpoint_tap.clicks_*: the pipeline fingerprints GUID, clickTime and threatTime into _id (one message may be
//   clicked several times: the GUID alone is not a click); stored as proofpoint_tap.guid, the click time and
//   proofpoint_tap.<stream>.threat.time;
// - endpoint.*: Elastic Defend gives every event a unique event.id.
import { createHash } from 'node:crypto';
import { firstString } from '../documents.js';

/** Ids longer than this are not ids (Elasticsearch's _id limit is 512 bytes). */
const MAX_ID = 256;

function bounded(id: string | undefined): string | undefined {
  return id !== undefined && id.length > 0 && Buffer.byteLength(id) <= MAX_ID ? id : undefined;
}

/** A stable id from several fields, as the package's fingerprint processor makes one (not byte-identical to it). */
function fingerprint(values: Array<string | undefined>): string | undefined {
  if (values[0] === undefined) return undefined;
  return createHash('sha256').update(JSON.stringify(values)).digest('hex');
}

/** `doc` with its dotted keys expanded. */
export function naturalId(dataset: string, doc: unknown): string | undefined {
  if (dataset === 'aws.cloudtrail' || dataset.startsWith('endpoint.')) return bounded(firstString(doc, 'event.id'));
  const clicks = /^proofpoint_tap\.(clicks_permitted|clicks_blocked)$/.exec(dataset)?.[1];
  if (clicks) {
    const clickTime = firstString(doc, `proofpoint_tap.${clicks}.click_time`) ?? firstString(doc, '@timestamp');
    return fingerprint([bounded(firstString(doc, 'proofpoint_tap.guid')), clickTime, firstString(doc, `proofpoint_tap.${clicks}.threat.time`)]);
  }
  // Okta's uuid wherever it is present (okta.system, and documents of other datasets that carry one).
  return bounded(firstString(doc, 'okta.uuid'));
}
