// Great-circle distance and implied travel speed between two sign-ins.
export interface GeoPoint {
  lat: number;
  lon: number;
}

const EARTH_RADIUS_KM = 6371.0088;

export function distanceKm(a: GeoPoint, b: GeoPoint): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** km/h; Infinity when distance is covered in no time. */
export function speedKmh(distance: number, millis: number): number {
  const hours = Math.abs(millis) / 3600_000;
  if (hours === 0) return distance === 0 ? 0 : Infinity;
  return distance / hours;
}
