// AWS GuardDuty InstanceCredentialExfiltration findings in the shapes AWS gives them: camelCase
// (the console, the REST API, an EventBridge event's `detail`) and PascalCase member names
// (`aws guardduty get-findings`, boto3). Elastic's stored form is read by guardduty-ecs.ts.
import { isObject, ownValue, type JsonObject } from './json.js';
import { cappedList, firstPath, getPath, ipRules, optionalText, optionalToken, requiredToken, timeValue, token } from './fields.js';
import { AlertParseError, type AwsCredentialAlert } from './types.js';
import { ACCESS_KEY_RULES, INSTANCE_ID_RULES } from './aws-fields.js';

export const FINDING_TYPES = [
  'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
  'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.InsideAWS',
];
const FINDING_PREFIX = 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration';
export const DAY_MS = 24 * 3600_000;
export const MAX_NETWORK_INTERFACES = 32;

export type FindingStyle = 'camel' | 'pascal';

export interface FindingInput {
  finding: JsonObject;
  style: FindingStyle;
  /** Where the finding sits in the input, for field names in messages (`detail.`). */
  prefix: string;
}

/** A camelCase path as the finding spells it: `service.eventLastSeen` or `Service.EventLastSeen`. */
export function spell(path: string, style: FindingStyle): string {
  if (style === 'camel') return path;
  return path
    .split('.')
    .map((s) => s.charAt(0).toUpperCase() + s.slice(1))
    .join('.');
}

function styleOf(obj: JsonObject): FindingStyle | undefined {
  if (typeof ownValue(obj, 'type') === 'string') return 'camel';
  if (typeof ownValue(obj, 'Type') === 'string') return 'pascal';
  return undefined;
}

/** The finding inside the input, if the input is one GuardDuty finding of any type (bare or in an EventBridge envelope). */
export function guardDutyFinding(obj: JsonObject): FindingInput | undefined {
  const detail = ownValue(obj, 'detail');
  if (ownValue(obj, 'detail-type') === 'GuardDuty Finding' && isObject(detail)) return { finding: detail, style: styleOf(detail) ?? 'camel', prefix: 'detail.' };
  const style = styleOf(obj);
  if (style === undefined) return undefined;
  const type = ownValue(obj, spell('type', style)) as string;
  if (getPath(obj, spell('service.serviceName', style)) === 'guardduty' || type.startsWith(FINDING_PREFIX)) return { finding: obj, style, prefix: '' };
  return undefined;
}

/** The finding's type, '' when it has none. */
export function findingType(input: FindingInput): string {
  const type = ownValue(input.finding, spell('type', input.style));
  return typeof type === 'string' ? type : '';
}

export function isHandledFindingType(type: string): boolean {
  return FINDING_TYPES.includes(type);
}

/** Public IPs of the instance's network interfaces, each checked; more interfaces than the cap refuse the finding. */
export function publicIps(interfaces: unknown, field: string, ipKey: string): string[] {
  const ips: string[] = [];
  // Elasticsearch may hold a one-element list as a bare object.
  const list = isObject(interfaces) ? [interfaces] : interfaces;
  cappedList(list, field, MAX_NETWORK_INTERFACES).forEach((nic, i) => {
    const ip = isObject(nic) ? getPath(nic, ipKey) : undefined;
    if (typeof ip === 'string' && ip !== '') {
      const v = token(ip, `${field}[${i}].${ipKey}`, ipRules);
      if (!ips.includes(v)) ips.push(v);
    }
  });
  return ips;
}

export function parseGuardDuty(input: FindingInput, raw: JsonObject): AwsCredentialAlert {
  const { finding, style } = input;
  const at = (path: string) => spell(path, style);
  const type = findingType(input);
  if (!isHandledFindingType(type)) throw new AlertParseError(at('type'), `GuardDuty finding type is not one of ${FINDING_TYPES.join(', ')}`);
  // T is eventLastSeen (flows.md); a finding without it is dated by its last update.
  const last = firstPath(finding, [at('service.eventLastSeen'), at('updatedAt')]);
  const lastSeen = timeValue(last?.value, last?.path ?? at('service.eventLastSeen'));
  const firstSeenRaw = getPath(finding, at('service.eventFirstSeen'));
  const firstSeen = firstSeenRaw === undefined || firstSeenRaw === null ? lastSeen : timeValue(firstSeenRaw, at('service.eventFirstSeen'));
  const severity = ownValue(finding, at('severity'));
  return {
    type: 'aws.instance_credential_exfiltration',
    id: requiredToken(finding, at('id')),
    time: lastSeen,
    windowStart: new Date(firstSeen.getTime() - DAY_MS),
    title: optionalText(finding, at('title'), 300),
    severity: typeof severity === 'number' ? String(severity) : optionalText(finding, at('severity'), 40),
    source: 'AWS GuardDuty',
    accessKeyId: requiredToken(finding, at('resource.accessKeyDetails.accessKeyId'), ACCESS_KEY_RULES),
    instanceId: optionalToken(finding, at('resource.instanceDetails.instanceId'), INSTANCE_ID_RULES),
    accountId: optionalToken(finding, at('accountId'), { max: 32 }),
    region: optionalToken(finding, at('region'), { max: 32 }),
    instancePublicIps: publicIps(getPath(finding, at('resource.instanceDetails.networkInterfaces')), at('resource.instanceDetails.networkInterfaces'), at('publicIp')),
    raw,
  };
}
