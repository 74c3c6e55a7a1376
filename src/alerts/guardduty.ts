// AWS GuardDuty InstanceCredentialExfiltration findings, raw or in an EventBridge envelope.
import { isObject, ownValue, type JsonObject } from './json.js';
import { cappedList, getPath, ipRules, optionalText, optionalToken, requiredToken, timeValue, token } from './fields.js';
import { AlertParseError, type AwsCredentialAlert } from './types.js';
import { ACCESS_KEY_RULES, INSTANCE_ID_RULES } from './aws-fields.js';

const FINDING_TYPES = [
  'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
  'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.InsideAWS',
];
const DAY_MS = 24 * 3600_000;
const MAX_NETWORK_INTERFACES = 32;

/** The finding inside the input, if the input is a GuardDuty finding of any type. */
export function guardDutyFinding(obj: JsonObject): JsonObject | undefined {
  const detail = ownValue(obj, 'detail');
  if (ownValue(obj, 'detail-type') === 'GuardDuty Finding' && isObject(detail)) return detail;
  const type = ownValue(obj, 'type');
  if (typeof type !== 'string') return undefined;
  if (getPath(obj, 'service.serviceName') === 'guardduty') return obj;
  if (type.startsWith('UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration')) return obj;
  return undefined;
}

export function parseGuardDuty(finding: JsonObject, raw: JsonObject): AwsCredentialAlert {
  const type = ownValue(finding, 'type');
  if (typeof type !== 'string' || !FINDING_TYPES.includes(type)) {
    throw new AlertParseError('type', `GuardDuty finding type is not one of ${FINDING_TYPES.join(', ')}`);
  }
  const lastSeen = timeValue(getPath(finding, 'service.eventLastSeen') ?? ownValue(finding, 'updatedAt'), 'service.eventLastSeen');
  const firstSeenRaw = getPath(finding, 'service.eventFirstSeen');
  const firstSeen = firstSeenRaw === undefined ? lastSeen : timeValue(firstSeenRaw, 'service.eventFirstSeen');
  const interfacesField = 'resource.instanceDetails.networkInterfaces';
  const publicIps: string[] = [];
  cappedList(getPath(finding, interfacesField), interfacesField, MAX_NETWORK_INTERFACES).forEach((nic, i) => {
    const ip = isObject(nic) ? ownValue(nic, 'publicIp') : undefined;
    if (typeof ip === 'string' && ip !== '') {
      const v = token(ip, `${interfacesField}[${i}].publicIp`, ipRules);
      if (!publicIps.includes(v)) publicIps.push(v);
    }
  });
  const severity = ownValue(finding, 'severity');
  return {
    type: 'aws.instance_credential_exfiltration',
    id: requiredToken(finding, 'id'),
    time: lastSeen,
    windowStart: new Date(firstSeen.getTime() - DAY_MS),
    title: optionalText(finding, 'title', 300),
    severity: typeof severity === 'number' ? String(severity) : optionalText(finding, 'severity', 40),
    source: 'AWS GuardDuty',
    accessKeyId: requiredToken(finding, 'resource.accessKeyDetails.accessKeyId', ACCESS_KEY_RULES),
    instanceId: optionalToken(finding, 'resource.instanceDetails.instanceId', INSTANCE_ID_RULES),
    accountId: optionalToken(finding, 'accountId', { max: 32 }),
    region: optionalToken(finding, 'region', { max: 32 }),
    instancePublicIps: publicIps,
    raw,
  };
}
