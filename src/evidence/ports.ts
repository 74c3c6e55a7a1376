// The narrow evidence ports the flows call. Each has an Elasticsearch and an in-memory implementation,
// held to the same behaviour by test/contract.

export interface TimeWindow {
  from: Date;
  to: Date;
}

/** Use of one access key from one source address (an IP or a service name). */
export interface AddressUsage {
  address: string;
  firstSeen: Date;
  lastSeen: Date;
  events: number;
  userAgents: string[];
  eventNames: string[];
}

export interface KeyActivity {
  events: number;
  byAddress: AddressUsage[];
  /** user.id values of the key's events (AROA…:i-0abc… for an instance profile). */
  principalIds: string[];
  accountIds: string[];
}

/** A successful CloudTrail call that may change a public IP. */
export interface IpChangingCall {
  time: Date;
  action: string;
  accountId?: string;
  /** Instance ids the call names (request and response). */
  instanceIds: string[];
  /** IP addresses the call names. */
  ips: string[];
}

/** An instance-profile session of some instance, seen from an IP. */
export interface InstanceSighting {
  ip: string;
  instanceId: string;
}

export const IP_CHANGING_ACTIONS = [
  'StartInstances',
  'StopInstances',
  'RebootInstances',
  'RunInstances',
  'AssociateAddress',
  'DisassociateAddress',
  'ReleaseAddress',
  'AttachNetworkInterface',
  'DetachNetworkInterface',
  'ModifyNetworkInterfaceAttribute',
  'CreateNatGateway',
  'DeleteNatGateway',
] as const;

export const ADDRESS_ACTIONS: readonly string[] = ['AssociateAddress', 'DisassociateAddress', 'ReleaseAddress'];

export interface CloudTrailEvidence {
  keyActivity(accessKeyId: string, window: TimeWindow): Promise<KeyActivity>;
  ipChangingCalls(accountId: string | undefined, window: TimeWindow): Promise<IpChangingCall[]>;
  instanceSessionsFrom(accountId: string | undefined, ips: string[], window: TimeWindow): Promise<InstanceSighting[]>;
}

/** Alerts stored in Elasticsearch, for `triage investigate --id` and `/triage <id>`. */
export interface AlertLookup {
  findAlert(id: string): Promise<unknown | undefined>;
}
