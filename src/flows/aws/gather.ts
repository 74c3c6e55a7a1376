// AWS flow, gather: all I/O of the investigation. One round trip for the key's activity; when there are IP
// changes, the calls that could explain them and the instances seen from the new IPs in parallel; a third
// only when other instances' sessions were seen from a new IP (case b).
import type { AwsCredentialAlert } from '../../alerts/types.js';
import { instanceIdOfPrincipal } from '../../evidence/cloudtrail-targets.js';
import type { CloudTrailEvidence, Found, InstanceSighting, IpChangingCall, KeyActivity, TimeWindow } from '../../evidence/ports.js';
import { isPublicClass, type IpClassifier } from '../../enrich/ip-class.js';
import { consecutivePairs, explainingWindow, type ClassifiedAddress } from './changes.js';

const HOUR = 3600_000;

export interface AwsEvidence {
  window: TimeWindow;
  events: number;
  addresses: ClassifiedAddress[];
  /** Events of the key with no source address: they form no address, and where they came from is unknown. */
  eventsWithoutAddress: number;
  /** What a cap cut from the key's addresses. */
  addressesCut?: string;
  instanceId?: string;
  instanceIdFrom?: 'alert' | 'role session name';
  /** The IAM role whose session the key belongs to (the session issuer), from the assumed-role ARN of its events. */
  roleArn?: string;
  /** The roles CloudTrail names as the key's session issuer (containment's target: exactly one, or none is offered). */
  sessionIssuerArns: string[];
  accountId?: string;
  calls: IpChangingCall[];
  /** Why the list of calls may lack one (a paging budget …). */
  callsIncomplete?: string[];
  sightings: InstanceSighting[];
  sightingsIncomplete?: string[];
}

export interface AwsPorts {
  cloudTrail: CloudTrailEvidence;
  classifier: IpClassifier;
}

export function awsWindow(alert: AwsCredentialAlert): TimeWindow {
  return { from: alert.windowStart ?? new Date(alert.time.getTime() - 24 * HOUR), to: new Date(alert.time.getTime() + HOUR) };
}

function instanceFromPrincipals(activity: KeyActivity): string | undefined {
  for (const p of activity.principalIds) {
    const id = instanceIdOfPrincipal(p);
    if (id) return id;
  }
  return undefined;
}

// arn:aws:sts::111122223333:assumed-role/app-role/i-0abc → arn:aws:iam::111122223333:role/app-role. The role's
// path is not in the assumed-role ARN; a role name is unique in its account, so the role is the same.
const ASSUMED_ROLE_ARN = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([\w+=,.@-]{1,64})\/[^/]+$/;

/** The role of the key's sessions, when its events name exactly one. */
export function roleOfPrincipals(principalIds: string[]): string | undefined {
  const roles = new Set<string>();
  for (const p of principalIds) {
    const m = ASSUMED_ROLE_ARN.exec(p);
    if (m) roles.add(`arn:${m[1]}:iam::${m[2]}:role/${m[3]}`);
  }
  return roles.size === 1 ? [...roles][0] : undefined;
}

const callKey = (c: IpChangingCall) => `${c.time.toISOString()}|${c.action}|${c.accountId ?? ''}|${c.instanceIds.join(',')}|${c.ips.join(',')}`;

function merge(lists: Array<Found<IpChangingCall[]>>): { calls: IpChangingCall[]; incomplete: string[] } {
  const byKey = new Map<string, IpChangingCall>();
  for (const l of lists) for (const c of l.found) byKey.set(callKey(c), c);
  return { calls: [...byKey.values()].sort((a, b) => a.time.getTime() - b.time.getTime()), incomplete: lists.flatMap((l) => l.incomplete ?? []) };
}

export async function gatherAws(alert: AwsCredentialAlert, ports: AwsPorts): Promise<AwsEvidence> {
  const window = awsWindow(alert);
  const activity = await ports.cloudTrail.keyActivity(alert.accessKeyId, window);
  const addresses = activity.byAddress.map((u) => ({ ...u, class: ports.classifier.classify(u.address) }));
  const sessionInstance = instanceFromPrincipals(activity);
  const instanceId = alert.instanceId ?? sessionInstance;
  const instanceIdFrom = alert.instanceId ? ('alert' as const) : sessionInstance ? ('role session name' as const) : undefined;
  const accountId = alert.accountId ?? activity.accountIds[0];
  const roleArn = roleOfPrincipals(activity.principalIds);
  const base = {
    window,
    events: activity.events,
    addresses,
    eventsWithoutAddress: activity.eventsWithoutAddress,
    ...(activity.addressesCut ? { addressesCut: activity.addressesCut } : {}),
    instanceId,
    instanceIdFrom,
    ...(roleArn ? { roleArn } : {}),
    sessionIssuerArns: activity.sessionIssuerArns,
    accountId,
  };
  const changes = consecutivePairs(addresses.filter((a) => isPublicClass(a.class)));
  // No change to explain, or no account to match calls to (a call of no or another account never explains).
  if (changes.length === 0 || !accountId) return { ...base, calls: [], sightings: [] };
  const windows = changes.map(explainingWindow);
  const ips = [...new Set(changes.flatMap((c) => [c.from.address, c.to.address]))];
  const newIps = [...new Set(changes.map((c) => c.to.address))];
  const [direct, sightings] = await Promise.all([
    ports.cloudTrail.ipChangingCalls({ accountId, windows, instanceIds: instanceId ? [instanceId] : [], ips }),
    ports.cloudTrail.instanceSessionsFrom(accountId, newIps, window),
  ]);
  // Case (b): calls on the instances whose own sessions used a new IP (a NAT or proxy instance).
  const others = [...new Set(sightings.found.map((s) => s.instanceId))].filter((id) => id !== instanceId);
  const viaOthers = others.length ? await ports.cloudTrail.ipChangingCalls({ accountId, windows, instanceIds: others, ips: [] }) : { found: [] };
  const { calls, incomplete } = merge([direct, viaOthers]);
  return {
    ...base,
    calls,
    ...(incomplete.length ? { callsIncomplete: incomplete } : {}),
    sightings: sightings.found,
    ...(sightings.incomplete?.length ? { sightingsIncomplete: sightings.incomplete } : {}),
  };
}
