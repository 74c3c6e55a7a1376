// Field types of the two Proofpoint TAP click data streams, as Elastic's proofpoint_tap package maps them
// (fields/fields.yml, ECS for the rest), so documents `triage ingest` loads are searched as the flows expect.
import { CLICKS_BLOCKED, CLICKS_PERMITTED } from '../proofpoint.js';

type Mapping = Record<string, unknown>;

const kw = { type: 'keyword', ignore_above: 1024 };
const longKw = { type: 'keyword', ignore_above: 8191 };
const ip = { type: 'ip' };
const date = { type: 'date' };

function clickFields(stream: string): Record<string, Mapping> {
  return {
    'url.full': longKw,
    'url.original': longKw,
    'url.domain': kw,
    'url.path': longKw,
    'url.query': longKw,
    'email.to.address': kw,
    'email.from.address': kw,
    'email.message_id': kw,
    'proofpoint_tap.guid': kw,
    [`${stream}.click_time`]: date,
    [`${stream}.campaign_id`]: kw,
    [`${stream}.classification`]: kw,
    [`${stream}.sender_ip`]: ip,
    [`${stream}.threat.id`]: kw,
    [`${stream}.threat.status`]: kw,
    [`${stream}.threat.time`]: date,
    [`${stream}.threat.url`]: longKw,
  };
}

export const PROOFPOINT_DATASET_FIELDS: Record<string, Record<string, Mapping>> = {
  [CLICKS_PERMITTED]: clickFields(CLICKS_PERMITTED),
  [CLICKS_BLOCKED]: clickFields(CLICKS_BLOCKED),
};
