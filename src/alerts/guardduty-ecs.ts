// A GuardDuty finding as Elastic's AWS integration stores it (data stream aws.guardduty), in every shape the
// package's pipeline has written (elastic/integrations packages/aws/data_stream/guardduty, by its history):
// - today's pipeline: aws.guardduty.* mirrors the finding in snake case (resource.access_key_details.accesskey_id,
//   resource.instance_details.*, service.event.first_seen/last_seen, severity.{code,value}), plus cloud.*, event.*;
// - the older one (aws package up to 1.x, e.g. 1.25.0): the access key at aws.guardduty.resource.access_key.id,
//   the principal in user.id/user.name, the instance in cloud.instance.id, its interfaces kept in camelCase under
//   aws.guardduty.resource.instance.network_interfaces (publicIp), aws.guardduty.first_seen/last_seen and
//   the severity in event.severity.
// The reader takes the document with its dotted keys already expanded (once per parse).
import { isObject, type JsonObject } from './json.js';
import { firstPath, getPath, optionalText, optionalToken, requiredToken, timeValue } from './fields.js';
import { AlertParseError, type AwsCredentialAlert } from './types.js';
import { ACCESS_KEY_RULES, INSTANCE_ID_RULES } from './aws-fields.js';
import { DAY_MS, FINDING_TYPES, isHandledFindingType, publicIps } from './guardduty.js';

const DATASET = 'aws.guardduty';
const CURRENT_KEY = 'aws.guardduty.resource.access_key_details.accesskey_id';
const OLDER_KEY = 'aws.guardduty.resource.access_key.id';
const CURRENT_NICS = 'aws.guardduty.resource.instance_details.network_interfaces';
const OLDER_NICS = 'aws.guardduty.resource.instance.network_interfaces';

export function isGuardDutyEcs(doc: JsonObject): boolean {
  return isObject(getPath(doc, 'aws.guardduty')) || getPath(doc, 'event.dataset') === DATASET || getPath(doc, 'data_stream.dataset') === DATASET;
}

/** The finding type: aws.guardduty.type, which the pipeline also copies to rule.name. */
export function guardDutyEcsType(doc: JsonObject): string {
  const found = firstPath(doc, ['aws.guardduty.type', 'rule.name']);
  return typeof found?.value === 'string' ? found.value : '';
}

export function parseGuardDutyEcs(doc: JsonObject, raw: JsonObject): AwsCredentialAlert {
  const type = guardDutyEcsType(doc);
  if (!isHandledFindingType(type)) throw new AlertParseError('aws.guardduty.type', `GuardDuty finding type is not one of ${FINDING_TYPES.join(', ')}`);
  // Today's pipeline maps service.eventLastSeen to aws.guardduty.service.event.last_seen and event.end; the older
  // one to aws.guardduty.last_seen. updated_at comes after the last event, so it is the last resort.
  const last = firstPath(doc, ['aws.guardduty.service.event.last_seen', 'event.end', 'aws.guardduty.last_seen', 'aws.guardduty.updated_at', '@timestamp']);
  const lastSeen = timeValue(last?.value, last?.path ?? 'aws.guardduty.service.event.last_seen');
  const first = firstPath(doc, ['aws.guardduty.service.event.first_seen', 'event.start', 'aws.guardduty.first_seen']);
  const firstSeen = first === undefined ? lastSeen : timeValue(first.value, first.path);
  const severity = firstPath(doc, ['aws.guardduty.severity.value', 'aws.guardduty.severity.code', 'event.severity']);
  const idPath = getPath(doc, 'aws.guardduty.id') !== undefined ? 'aws.guardduty.id' : 'event.id';
  const nics = getPath(doc, CURRENT_NICS) !== undefined ? { path: CURRENT_NICS, ip: 'public.ip' } : { path: OLDER_NICS, ip: 'publicIp' };
  const keyPath = getPath(doc, CURRENT_KEY) === undefined && getPath(doc, OLDER_KEY) !== undefined ? OLDER_KEY : CURRENT_KEY;
  return {
    type: 'aws.instance_credential_exfiltration',
    id: requiredToken(doc, idPath),
    time: lastSeen,
    windowStart: new Date(firstSeen.getTime() - DAY_MS),
    title: optionalText(doc, 'aws.guardduty.title', 300),
    severity: severity ? optionalText(doc, severity.path, 40) : undefined,
    source: 'AWS GuardDuty (Elastic)',
    // Elastic spells the access key id field "accesskey_id" (today) or "access_key.id" (older pipeline).
    accessKeyId: requiredToken(doc, keyPath, ACCESS_KEY_RULES),
    instanceId:
      optionalToken(doc, 'aws.guardduty.resource.instance_details.instance.id', INSTANCE_ID_RULES) ?? optionalToken(doc, 'cloud.instance.id', INSTANCE_ID_RULES),
    accountId: optionalToken(doc, 'aws.guardduty.account_id', { max: 32 }) ?? optionalToken(doc, 'cloud.account.id', { max: 32 }),
    region: optionalToken(doc, 'aws.guardduty.region', { max: 32 }) ?? optionalToken(doc, 'cloud.region', { max: 32 }),
    instancePublicIps: publicIps(getPath(doc, nics.path), nics.path, nics.ip),
    raw,
  };
}
