// AWS flow, gather: all I/O of the investigation, three round trips (two of them in parallel).
import type { AwsCredentialAlert } from '../../alerts/types.js';
import { instanceIdOfPrincipal } from '../../evidence/cloudtrail-targets.js';
import type { AddressUsage, CloudTrailEvidence, InstanceSighting, IpChangingCall, KeyActivity, TimeWindow } from '../../evidence/ports.js';
import { isPublicClass, type IpClass, type IpClassifier } from '../../enrich/ip-class.js';

const HOUR = 3600_000;

export interface ClassifiedAddress extends AddressUsage {
  class: IpClass;
}

export interface AwsEvidence {
  window: TimeWindow;
  events: number;
  addresses: ClassifiedAddress[];
  instanceId?: string;
  instanceIdFrom?: 'alert' | 'role session name';
  accountId?: string;
  calls: IpChangingCall[];
  sightings: InstanceSighting[];
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

export async function gatherAws(alert: AwsCredentialAlert, ports: AwsPorts): Promise<AwsEvidence> {
  const window = awsWindow(alert);
  const activity = await ports.cloudTrail.keyActivity(alert.accessKeyId, window);
  const addresses = activity.byAddress.map((u) => ({ ...u, class: ports.classifier.classify(u.address) }));
  const sessionInstance = instanceFromPrincipals(activity);
  const instanceId = alert.instanceId ?? sessionInstance;
  const instanceIdFrom = alert.instanceId ? ('alert' as const) : sessionInstance ? ('role session name' as const) : undefined;
  const accountId = alert.accountId ?? activity.accountIds[0];
  const base = { window, events: activity.events, addresses, instanceId, instanceIdFrom, accountId };
  const publicIps = addresses.filter((a) => isPublicClass(a.class)).map((a) => a.address);
  if (activity.events === 0 || publicIps.length < 2) return { ...base, calls: [], sightings: [] };
  const [calls, sightings] = await Promise.all([
    ports.cloudTrail.ipChangingCalls(accountId, window),
    ports.cloudTrail.instanceSessionsFrom(accountId, publicIps, window),
  ]);
  return { ...base, calls, sightings };
}
