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
  /** Events whose user agent a cap left out of `userAgents` (unknown, never "none"). */
  userAgentsCut: number;
  /** Events that carry no user agent at all. */
  eventsWithoutUserAgent: number;
  eventNames: string[];
  /** The same calls (event.action) with how many events each, most first; absent from an adapter that cannot count them. */
  calls?: Array<{ name: string; events: number }>;
}

export interface KeyActivity {
  events: number;
  byAddress: AddressUsage[];
  /** Events with neither source.address nor source.ip: they form no address (v3). */
  eventsWithoutAddress: number;
  /** Set when not every address could be read (a paging budget): what was cut. */
  addressesCut?: string;
  /** Principals of the key's events: user.id (AROA…:i-0abc… for an instance profile), then assumed-role ARNs. */
  principalIds: string[];
  /**
   * The IAM roles that issued the key's sessions (aws.cloudtrail.user_identity.session_context.session_issuer.arn),
   * as CloudTrail wrote them: the role a containment acts on comes from here, never from the alert.
   */
  sessionIssuerArns: string[];
  accountIds: string[];
}

/** A successful CloudTrail call that may change a public IP. */
export interface IpChangingCall {
  time: Date;
  action: string;
  accountId?: string;
  /** The instances the call targets: ids in its instance fields only (flows.md A6, v3). */
  instanceIds: string[];
  /** IP addresses the call names. */
  ips: string[];
  /** Its parameters could not be read as fields: what it targets is unknown. */
  unreadable?: boolean;
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

/** Calls about public addresses themselves (Elastic IPs, a NAT gateway's address): they explain a change when they name the old or new IP. */
export const ADDRESS_ACTIONS: readonly string[] = ['AssociateAddress', 'DisassociateAddress', 'ReleaseAddress', 'CreateNatGateway', 'DeleteNatGateway'];

/** What could explain an IP change: calls of the account in the windows that target the instances or name the IPs. */
export interface CallQuery {
  accountId: string;
  /** The time windows around the IP changes (a call outside them explains nothing). */
  windows: TimeWindow[];
  instanceIds: string[];
  ips: string[];
}

export interface CloudTrailEvidence {
  keyActivity(accessKeyId: string, window: TimeWindow): Promise<KeyActivity>;
  /** Successful IP-changing calls of the account in the windows that target one of the instances or name one of the IPs, oldest first. */
  ipChangingCalls(query: CallQuery): Promise<Found<IpChangingCall[]>>;
  instanceSessionsFrom(accountId: string, ips: string[], window: TimeWindow): Promise<Found<InstanceSighting[]>>;
}

/** Alerts stored in Elasticsearch, for `triage investigate --id` and `/triage <id>`. */
export interface AlertLookup {
  findAlert(id: string): Promise<unknown | undefined>;
}

/** Who did it, where, when: the common shape of an interaction found in proxy or EDR data. */
export interface Interaction {
  host?: string;
  users: string[];
  /** Other spellings of the same people (a proxy record's user.name beside its user.email): shown, never counted. */
  otherNames?: string[];
  first: Date;
  last: Date;
  count: number;
}

/** What a question found, and why a "not found" may be wrong. */
export interface Found<T> {
  found: T;
  /** A cap hit, a query the cluster refused, a value longer than the indexed cap …: what may be missing (v3). Absent: complete. */
  incomplete?: string[];
}

/** A search over one dataset in one window; `hasData` tells "no hits" from "no data at all". */
export interface Searched<T> extends Found<T> {
  hasData: boolean;
}

/** Proxy hits on one logged URL (as the proxy wrote it). */
export interface UrlHit extends Interaction {
  url: string;
  /** The proxy blocked the request (flows.md v4 M2): named in the trace, never a click. */
  blocked?: boolean;
}

/** EDR network/DNS contacts of one registrable domain, per host. */
export interface DomainContact extends Interaction {
  domain: string;
  names: string[];
}

/** EDR events matching one indicator (a file name or a hash), per host. */
export interface IndicatorHit extends Interaction {
  indicator: string;
  matchedBy: 'command_line' | 'process_name' | 'hash' | 'file_name';
  examples: string[];
}

export interface ProxyEvidence {
  /** Proxy events whose url.full / url.original is one of the spellings, case-insensitively. */
  urlHits(spellings: string[], window: TimeWindow): Promise<Searched<UrlHit[]>>;
}

export interface EdrEvidence {
  /** Network/DNS events to each domain or any of its subdomains. */
  domainContacts(domains: string[], window: TimeWindow): Promise<Searched<DomainContact[]>>;
  /** Distinct users who reached each domain (or a subdomain). */
  domainUsers(domains: string[], window: TimeWindow): Promise<Searched<Record<string, number>>>;
  /** Process starts whose command line contains a file name, whose name equals one, or whose hash is one. */
  processHits(fileNames: string[], hashes: string[], window: TimeWindow): Promise<Searched<IndicatorHit[]>>;
  /** File creations whose hash is one of the hashes or whose name equals a file name. */
  fileHits(fileNames: string[], hashes: string[], window: TimeWindow): Promise<Searched<IndicatorHit[]>>;
}

/** One Okta System Log event, whichever source it came from. */
export interface OktaEvent {
  uuid: string;
  time: Date;
  eventType: string;
  actorId?: string;
  actorLogin?: string;
  ip?: string;
  userAgent?: string;
  /** SUCCESS, FAILURE, ALLOW, DENY … as Okta writes it. */
  outcome?: string;
  sessionId?: string;
  deviceFingerprint?: string;
  factor?: string;
  isProxy?: boolean;
  asOrg?: string;
  geo?: { lat: number; lon: number; city?: string; country?: string };
}

export interface OktaUserRef {
  id?: string;
  login?: string;
}

export interface OktaLogEvidence {
  /** The user's events in the window, oldest first, all of them (incomplete when a budget stops the paging); hasData: the source has any event in the window. */
  userEvents(user: OktaUserRef, window: TimeWindow): Promise<Searched<OktaEvent[]>>;
  /**
   * Which of the raw user agents a successful sign-in of the user in the window carried (in
   * okta.client.user_agent.raw_user_agent or user_agent.original); incomplete when one cannot be matched.
   */
  userAgentsSeen(user: OktaUserRef, userAgents: string[], window: TimeWindow): Promise<Searched<string[]>>;
  /**
   * The user's events of these types in the window, oldest first, all of them (incomplete when a budget stops the
   * paging); hasData: the source has any event at all in the window. Logins compare case-insensitively.
   */
  userEventsOfTypes(user: OktaUserRef, eventTypes: readonly string[], window: TimeWindow): Promise<Searched<OktaEvent[]>>;
  /** Which of the IPs a successful sign-in (user.session.start) of the user in the window came from; hasData as above. */
  signInsFrom(user: OktaUserRef, ips: string[], window: TimeWindow): Promise<Searched<string[]>>;
}

export interface OktaDirectory {
  /** Resolves a user by id or login to both. */
  resolveUser(user: OktaUserRef): Promise<{ id: string; login: string } | undefined>;
  /** Factor types the user has enrolled. */
  listFactors(userId: string): Promise<string[]>;
}

/**
 * Where company agents record a device's own address (flows.md O1, v3): EDR and MDM `host.ip`, a proxy's
 * `source.nat.ip` / `client.nat.ip` (the device's public egress). Never `related.ip` or `destination.ip`:
 * Elastic's Zscaler pipeline puts the web server a device visited in both.
 */
export const DEFAULT_AGENT_IP_FIELDS: readonly string[] = ['host.ip', 'source.nat.ip', 'client.nat.ip'];

export interface AgentSightings {
  /** Which of the IPs company-managed agents recorded as a device's own address in the window. */
  seenFrom(ips: string[], window: TimeWindow): Promise<string[]>;
  /** The same, and whether the agent indices hold any document at all in the window (none: nothing can be told). */
  sightings(ips: string[], window: TimeWindow): Promise<Searched<string[]>>;
}
