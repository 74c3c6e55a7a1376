// Okta System Log events built once, in the API's shape and as Elastic's Okta integration writes them.
export interface SignInSpec {
  at: string;
  user: { id: string; login: string };
  ip: string;
  ua?: string;
  session?: string;
  fingerprint?: string;
  geo?: { lat: number; lon: number; city: string; country: string };
  proxy?: boolean;
  asOrg?: string;
  eventType?: string;
  outcome?: 'SUCCESS' | 'FAILURE';
  factor?: string;
  behaviors?: string;
  uuid?: string;
  /** The sign-in's authenticationContext.credentialType (PASSWORD, IWA …): no MFA factor. */
  credentialType?: string;
}

let counter = 0;

export function apiEvent(s: SignInSpec): Record<string, unknown> {
  const uuid = s.uuid ?? `evt-${++counter}-${s.at}`;
  return {
    uuid,
    published: s.at,
    eventType: s.eventType ?? 'user.session.start',
    displayMessage: 'User login to Okta',
    severity: 'INFO',
    actor: { id: s.user.id, type: 'User', alternateId: s.user.login, displayName: s.user.login },
    client: {
      ipAddress: s.ip,
      ...(s.ua ? { userAgent: { rawUserAgent: s.ua } } : {}),
      ...(s.geo ? { geographicalContext: { city: s.geo.city, country: s.geo.country, geolocation: { lat: s.geo.lat, lon: s.geo.lon } } } : {}),
    },
    outcome: { result: s.outcome ?? 'SUCCESS' },
    authenticationContext: { ...(s.session ? { externalSessionId: s.session } : {}), ...(s.credentialType ? { credentialType: s.credentialType } : {}) },
    debugContext: {
      debugData: {
        ...(s.fingerprint ? { deviceFingerprint: s.fingerprint } : {}),
        ...(s.factor ? { factor: s.factor } : {}),
        ...(s.behaviors ? { behaviors: s.behaviors } : {}),
      },
    },
    securityContext: { ...(s.proxy !== undefined ? { isProxy: s.proxy } : {}), ...(s.asOrg ? { asOrg: s.asOrg } : {}) },
  };
}

/** The ECS document Elastic's Okta integration would write for an API event. */
export function ecsFromApi(e: Record<string, unknown>): Record<string, unknown> {
  const g = (path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), e);
  const result = g('outcome.result') as string;
  const geo = g('client.geographicalContext.geolocation') as { lat: number; lon: number } | undefined;
  return {
    '@timestamp': e['published'],
    event: { dataset: 'okta.system', action: e['eventType'], outcome: result === 'SUCCESS' ? 'success' : 'failure', id: e['uuid'] },
    okta: {
      uuid: e['uuid'],
      event_type: e['eventType'],
      actor: { id: g('actor.id'), alternate_id: g('actor.alternateId'), type: 'User' },
      client: { ip: g('client.ipAddress'), ...(g('client.userAgent.rawUserAgent') ? { user_agent: { raw_user_agent: g('client.userAgent.rawUserAgent') } } : {}) },
      outcome: { result },
      ...(g('authenticationContext.externalSessionId') || g('authenticationContext.credentialType')
        ? {
            authentication_context: {
              ...(g('authenticationContext.externalSessionId') ? { external_session_id: g('authenticationContext.externalSessionId') } : {}),
              ...(g('authenticationContext.credentialType') ? { credential_type: g('authenticationContext.credentialType') } : {}),
            },
          }
        : {}),
      debug_context: {
        debug_data: {
          ...(g('debugContext.debugData.deviceFingerprint') ? { device_fingerprint: g('debugContext.debugData.deviceFingerprint') } : {}),
          ...(g('debugContext.debugData.factor') ? { factor: g('debugContext.debugData.factor') } : {}),
          ...(g('debugContext.debugData.behaviors') ? { behaviors: g('debugContext.debugData.behaviors') } : {}),
        },
      },
      security_context: {
        ...(g('securityContext.isProxy') !== undefined ? { is_proxy: g('securityContext.isProxy') } : {}),
        ...(g('securityContext.asOrg') ? { as: { organization: { name: g('securityContext.asOrg') } } } : {}),
      },
    },
    ...(geo ? { client: { geo: { location: { lat: geo.lat, lon: geo.lon }, city_name: g('client.geographicalContext.city'), country_iso_code: g('client.geographicalContext.country') } } } : {}),
    source: { ip: g('client.ipAddress') },
    ...(g('client.userAgent.rawUserAgent') ? { user_agent: { original: g('client.userAgent.rawUserAgent') } } : {}),
    user: { email: g('actor.alternateId') },
  };
}

/** A company device (EDR) whose own address is the IP: host.ip, as Elastic Defend records it. */
export function agentSighting(at: string, ip: string): Record<string, unknown> {
  return {
    '@timestamp': at,
    event: { dataset: 'endpoint.events.network', category: ['network'], action: 'connection_attempted' },
    host: { name: 'CORP-LAPTOP-1', ip: [ip, '10.1.2.3'] },
    user: { name: 'someone' },
    related: { ip: [ip, '10.1.2.3'] },
  };
}

/**
 * A company device's web request through Zscaler, as Elastic's zscaler_zia pipeline writes it: the device's
 * public egress in source.nat.ip, the web server in destination.ip, both in related.ip.
 */
export function proxyVisit(at: string, p: { egress: string; server: string; user?: string; device?: string }): Record<string, unknown> {
  return {
    '@timestamp': at,
    event: { dataset: 'zscaler_zia.web', category: ['web'], action: 'allowed' },
    source: { nat: { ip: p.egress }, user: { name: p.user ?? 'someone@example.com' } },
    destination: { ip: p.server },
    related: { ip: [p.egress, p.server], hosts: [p.device ?? 'CORP-LAPTOP-2'] },
    url: { full: `https://${p.server}/`, domain: p.server },
    zscaler_zia: { web: { device: { hostname: p.device ?? 'CORP-LAPTOP-2' } } },
  };
}

/** A Mac checking in with Jamf Pro: host.ip is the address it reported. */
export function jamfCheckIn(at: string, ip: string): Record<string, unknown> {
  return {
    '@timestamp': at,
    event: { dataset: 'jamf_pro.events', action: 'ComputerCheckIn', kind: 'event' },
    host: { ip: [ip], address: [ip], name: 'CORP-MAC-1' },
    source: { ip },
  };
}
