// Okta System Log events from Elastic's ECS documents (Elasticsearch and memory read the same documents).
import { isObject, ownValue } from '../alerts/json.js';
import { firstString, timestamp, values } from './documents.js';
import type { OktaEvent } from './ports.js';

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

export function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

export function compact<T extends object>(o: T): T {
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
    // Elastic's flattened-debug option keeps the whole debugData under …debug_data.flattened too.
    factor: firstString(doc, 'okta.debug_context.debug_data.factor') ?? firstString(doc, 'okta.debug_context.debug_data.flattened.factor'),
    isProxy: bool(values(doc, 'okta.security_context.is_proxy')[0]),
    asOrg: firstString(doc, 'okta.security_context.as.organization.name'),
    geo: location
      ? // Elastic's Okta pipeline writes Okta's country name; only a geoip enrichment adds the ISO code.
        compact({ ...location, city: firstString(doc, 'client.geo.city_name'), country: firstString(doc, 'client.geo.country_iso_code') ?? firstString(doc, 'client.geo.country_name') })
      : undefined,
  });
}
