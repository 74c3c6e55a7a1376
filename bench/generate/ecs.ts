// ECS documents in the shapes of test/support (the fields the flows read, as Elastic's integrations write
// them), with the everyday fields real documents also carry, so index sizes are not flattered.
export { apiEvent, ecsFromApi } from '../../test/support/okta.js';

type Doc = Record<string, unknown>;

const ECS = { version: '8.11.0' };

export interface CloudTrailSpec {
  at: string;
  keyId: string;
  identity: 'AssumedRole' | 'IAMUser';
  principalId: string;
  arn: string;
  issuerArn?: string;
  /** An IP, or a service name such as ec2.amazonaws.com (then no source.ip, as Elastic writes it). */
  source: string;
  agent: string;
  action: string;
  provider: string;
  account: string;
  region: string;
  outcome?: 'success' | 'failure';
  errorCode?: string;
  parameters?: Record<string, unknown>;
  eventId: string;
}

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

export function cloudTrailEvent(s: CloudTrailSpec): Doc {
  const isIp = IPV4.test(s.source) || s.source.includes(':');
  return {
    '@timestamp': s.at,
    ecs: ECS,
    event: {
      dataset: 'aws.cloudtrail',
      action: s.action,
      provider: s.provider,
      outcome: s.outcome ?? 'success',
      kind: 'event',
      id: s.eventId,
      type: ['info'],
    },
    aws: {
      cloudtrail: {
        event_version: '1.09',
        event_type: 'AwsApiCall',
        event_category: 'Management',
        management_event: true,
        recipient_account_id: s.account,
        user_identity: {
          access_key_id: s.keyId,
          type: s.identity,
          arn: s.arn,
          ...(s.issuerArn ? { session_context: { session_issuer: { arn: s.issuerArn, type: 'Role' }, mfa_authenticated: 'false' } } : {}),
        },
        ...(s.parameters ? { request_parameters: JSON.stringify(s.parameters), flattened: { request_parameters: s.parameters } } : {}),
        ...(s.errorCode ? { error_code: s.errorCode, error_message: 'You are not authorized to perform this operation.' } : {}),
      },
    },
    user: { id: s.principalId },
    source: isIp ? { address: s.source, ip: s.source } : { address: s.source },
    user_agent: { original: s.agent },
    cloud: { account: { id: s.account }, region: s.region, provider: 'aws' },
    ...(isIp ? { related: { ip: [s.source] } } : {}),
  };
}

interface Endpoint {
  host: string;
  hostIp: string[];
  user: string;
  windows: boolean;
  agentId: string;
}

function endpointCommon(e: Endpoint, dataset: string, at: string, eventId: string): Doc {
  return {
    '@timestamp': at,
    ecs: ECS,
    agent: { type: 'endpoint', version: '8.15.2', id: e.agentId },
    host: {
      name: e.host,
      hostname: e.host,
      ip: e.hostIp,
      os: e.windows ? { family: 'windows', name: 'Windows', version: '22H2', platform: 'windows' } : { family: 'macos', name: 'macOS', version: '14.6.1', platform: 'macos' },
    },
    user: { name: e.user },
    event: { dataset, module: 'endpoint', kind: 'event', id: eventId },
  };
}

function merge(base: Doc, extra: Doc): Doc {
  const out: Doc = { ...base };
  for (const [k, v] of Object.entries(extra)) {
    const b = out[k];
    out[k] = b && typeof b === 'object' && !Array.isArray(b) && v && typeof v === 'object' && !Array.isArray(v) ? { ...(b as Doc), ...(v as Doc) } : v;
  }
  return out;
}

export function dnsLookup(e: Endpoint, at: string, eventId: string, name: string, process = 'chrome.exe'): Doc {
  return merge(endpointCommon(e, 'endpoint.events.network', at, eventId), {
    event: { category: ['network'], type: ['protocol', 'info'], action: 'lookup_requested' },
    dns: { question: { name, type: 'A' } },
    process: { name: process, pid: 4000 + (eventId.charCodeAt(0) % 97) },
    network: { protocol: 'dns', direction: 'outgoing' },
    related: { ip: e.hostIp },
  });
}

export function connection(e: Endpoint, at: string, eventId: string, domain: string, destinationIp: string, process = 'chrome.exe'): Doc {
  return merge(endpointCommon(e, 'endpoint.events.network', at, eventId), {
    event: { category: ['network'], type: ['start'], action: 'connection_attempted' },
    destination: { domain, ip: destinationIp, port: 443 },
    source: { ip: e.hostIp[0], port: 50000 + (eventId.charCodeAt(1) % 15000) },
    process: { name: process },
    network: { transport: 'tcp', direction: 'egress' },
    related: { ip: [...e.hostIp, destinationIp] },
  });
}

export function processStart(e: Endpoint, at: string, eventId: string, p: { name: string; executable: string; commandLine: string; sha256?: string; parent?: string }): Doc {
  return merge(endpointCommon(e, 'endpoint.events.process', at, eventId), {
    event: { category: ['process'], type: ['start'], action: 'start' },
    process: {
      name: p.name,
      executable: p.executable,
      command_line: p.commandLine,
      args: p.commandLine.split(' ').slice(0, 12),
      pid: 1000 + (eventId.charCodeAt(2) % 60000),
      entity_id: eventId,
      ...(p.sha256 ? { hash: { sha256: p.sha256 } } : {}),
      ...(p.parent ? { parent: { name: p.parent } } : {}),
    },
    related: { ip: e.hostIp, user: [e.user] },
  });
}

export function fileCreation(e: Endpoint, at: string, eventId: string, f: { name: string; path: string; sha256?: string; process?: string }): Doc {
  const ext = f.name.includes('.') ? f.name.split('.').pop() : undefined;
  return merge(endpointCommon(e, 'endpoint.events.file', at, eventId), {
    event: { category: ['file'], type: ['creation'], action: 'creation' },
    file: { name: f.name, path: f.path, ...(ext ? { extension: ext } : {}), ...(f.sha256 ? { hash: { sha256: f.sha256 } } : {}) },
    ...(f.process ? { process: { name: f.process } } : {}),
    related: { ip: e.hostIp, user: [e.user] },
  });
}

/** A company device seen from a public address: Elastic Defend lists its interfaces in host.ip (and related.ip). */
export function agentSighting(e: Endpoint, at: string, eventId: string, publicIp: string): Doc {
  const seen = { ...e, hostIp: [e.hostIp[0] ?? '10.1.2.3', publicIp] };
  return merge(endpointCommon(seen, 'endpoint.events.network', at, eventId), {
    event: { category: ['network'], type: ['start'], action: 'connection_attempted' },
    destination: { ip: '104.16.0.10', port: 443 },
    related: { ip: seen.hostIp },
  });
}

export interface ProxySpec {
  at: string;
  url: string;
  user: string;
  email: string;
  host: string;
  lanIp: string;
  natIp: string;
  destinationIp: string;
  agent: string;
  action?: 'allowed' | 'blocked';
  eventId: string;
}

export function proxyEvent(p: ProxySpec): Doc {
  const domain = p.url.replace(/^[a-z]+:\/\//i, '').split(/[/:?]/)[0]!;
  return {
    '@timestamp': p.at,
    ecs: ECS,
    event: { dataset: 'zscaler_zia.web', module: 'zscaler_zia', kind: 'event', category: ['web'], type: ['info'], action: p.action ?? 'allowed', id: p.eventId },
    url: { full: p.url, original: p.url, domain, scheme: 'https', path: p.url.replace(/^[a-z]+:\/\/[^/]+/i, '') || '/' },
    http: { request: { method: 'GET' }, response: { status_code: p.action === 'blocked' ? 403 : 200 } },
    user: { name: p.user, email: p.email },
    source: { ip: p.lanIp, nat: { ip: p.natIp }, user: { name: p.email } },
    destination: { ip: p.destinationIp },
    host: { name: p.host },
    user_agent: { original: p.agent },
    // Elastic's Zscaler pipeline puts the web server into related.ip too.
    related: { ip: [p.lanIp, p.natIp, p.destinationIp], hosts: [p.host, domain] },
  };
}
