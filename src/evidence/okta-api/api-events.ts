// Okta System Log events as the System Log API returns them (camelCase), into the ports' OktaEvent shape.
import { isObject, ownValue } from '../../alerts/json.js';
import { bool, compact, geoPoint } from '../okta-ecs.js';
import type { OktaEvent } from '../ports.js';

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
    // MFA events name their factor here; a sign-in's authenticationContext.credentialType (PASSWORD …) is no factor.
    factor: str('debugContext.debugData.factor'),
    isProxy: bool(get('securityContext.isProxy')),
    asOrg: str('securityContext.asOrg'),
    geo: location ? compact({ ...location, city: str('client.geographicalContext.city'), country: str('client.geographicalContext.country') }) : undefined,
  });
}
