// Natural Earth's countries at 1:110m (world-atlas, TopoJSON), read once per process.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { FeatureCollection, Geometry } from 'geojson';

const require = createRequire(import.meta.url);
let countries: FeatureCollection<Geometry> | undefined;

export function worldCountries(): FeatureCollection<Geometry> {
  if (!countries) {
    const topology = JSON.parse(readFileSync(require.resolve('world-atlas/countries-110m.json'), 'utf8')) as Topology<{ countries: GeometryCollection }>;
    countries = feature(topology, topology.objects.countries) as FeatureCollection<Geometry>;
  }
  return countries;
}
