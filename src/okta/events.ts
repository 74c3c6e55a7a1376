// Okta System Log events from Elastic's ECS documents or from the API, into one OktaEvent shape.
import { isObject, ownValue } from '../alerts/json.js';
import { firstString, timestamp, values } from '../evidence/documents.js';
import type { OktaEvent } from '../evidence/ports.js';

export const SIGN_IN = 'user.session.start';
export const SSO = 'user.authentication.sso';

export function isSuccess(e: OktaEvent): boolean {
  return e.outcome === 'SUCCESS' || e.outcome === 'ALLOW';
}

export function isFailure(e: OktaEvent): boolean {
  return e.outcome === 'FAILURE' || e.outcome === 'DENY';
}

/** Sign-in or authentication events: the ones whose failures count before a success. */
export function isAuthentication(e: OktaEvent): boolean {
  return e.eventType === SIGN_IN || e.eventType.startsWith('user.authentication.');
}

function num(v: unknown): number | undefined {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/** geo_point in any of Elasticsearch's spellings: {lat, lon}, "lat,lon", [lon, lat], GeoJSON. */
export function geoPoint(v: unknown): { lat: number; lon: number } | undefined {
  if (isObject(v)) {
    const coordinates = ownValue(v, 'coordinates');
    if (Array.isArray(coordinates)) return geoPoint(coordinates);
    const lat = num(ownValue(v, 'lat'));
    const lon = num(ownValue(v, 'lon'));
    return lat !== undefined && lon !== undefined ? { lat, lon } : undefined;
  }
  if (typeof v === 'string') {
    const [lat, lon] = v.split(',').map((s) => Number(s.trim()));
    return Number.isFinite(lat) && Number.isFinite(lon) ? { lat: lat!, lon: lon! } : undefined;
  }
  if (Array.isArray(v) && v.length === 2) {
    const [lon, lat] = v.map(num);
    return lat !== undefined && lon !== undefined ? { lat, lon } : undefined;
  }
  return undefined;
}

function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;
}

/** From an (expanded) ECS document of Elastic's Okta integration. */
export function oktaEventFromEcs(doc: unknown): OktaEvent | undefined {
  const time = timestamp(doc);
  const eventType = firstString(doc, 'okta.event_type') ?? firstString(doc, 'event.action');
  if (!time || !eventType) return undefined;
  // values() flattens a [lon, lat] array into two numbers.
  const raw = values(doc, 'client.geo.location');
  const location = geoPoint(raw.length === 2 && raw.every((x) => typeof x === 'number') ? raw : raw[0]);
  return compact({
    uuid: firstString(doc, 'okta.uuid') ?? firstString(doc, 'event.id') ?? `${time.toISOString()}-${eventType}`,
    time,
    eventType,
    actorId: firstString(doc, 'okta.actor.id'),
    actorLogin: firstString(doc, 'okta.actor.alternate_id'),
    ip: firstString(doc, 'okta.client.ip') ?? firstString(doc, 'source.ip') ?? firstString(doc, 'client.ip'),
    userAgent: firstString(doc, 'okta.client.user_agent.raw_user_agent') ?? firstString(doc, 'user_agent.original'),
    outcome: firstString(doc, 'okta.outcome.result')?.toUpperCase(),
    sessionId: firstString(doc, 'okta.authentication_context.external_session_id'),
    deviceFingerprint: firstString(doc, 'okta.debug_context.debug_data.device_fingerprint'),
    factor: firstString(doc, 'okta.debug_context.debug_data.factor'),
    isProxy: bool(values(doc, 'okta.security_context.is_proxy')[0]),
    asOrg: firstString(doc, 'okta.security_context.as.organization.name'),
    geo: location
      ? compact({ ...location, city: firstString(doc, 'client.geo.city_name'), country: firstString(doc, 'client.geo.country_iso_code') })
      : undefined,
  });
}

/** From an Okta API LogEvent (camelCase, as the System Log API returns it). */
export function oktaEventFromApi(e: unknown): OktaEvent | undefined {
  if (!isObject(e)) return undefined;
  const get = (path: string): unknown => path.split('.').reduce<unknown>((o, k) => (isObject(o) ? ownValue(o, k) : undefined), e);
  const str = (path: string) => {
    const v = get(path);
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const published = get('published');
  const time = typeof published === 'string' || published instanceof Date ? new Date(published) : undefined;
  const eventType = str('eventType');
  if (!time || Number.isNaN(time.getTime()) || !eventType) return undefined;
  const location = geoPoint(get('client.geographicalContext.geolocation'));
  return compact({
    uuid: str('uuid') ?? `${time.toISOString()}-${eventType}`,
    time,
    eventType,
    actorId: str('actor.id'),
    actorLogin: str('actor.alternateId'),
    ip: str('client.ipAddress'),
    userAgent: str('client.userAgent.rawUserAgent'),
    outcome: str('outcome.result')?.toUpperCase(),
    sessionId: str('authenticationContext.externalSessionId'),
    deviceFingerprint: str('debugContext.debugData.deviceFingerprint'),
    factor: str('debugContext.debugData.factor') ?? str('authenticationContext.credentialType'),
    isProxy: bool(get('securityContext.isProxy')),
    asOrg: str('securityContext.asOrg'),
    geo: location ? compact({ ...location, city: str('client.geographicalContext.city'), country: str('client.geographicalContext.country') }) : undefined,
  });
}
