// Micro-benchmarks: AWS range lookups and one AWS investigation. Usage: npm run bench -- micro [<ip-ranges.json>]
import { existsSync } from 'node:fs';
import { AwsIpRanges } from '../src/enrich/aws-ip-ranges.js';
import { IpClassifier } from '../src/enrich/ip-class.js';
import { benchInvestigation } from './investigate.js';
import { benchPictures } from './pictures.js';

function randomIps(n: number): string[] {
  const out: string[] = [];
  let x = 0x9e3779b9;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out.push(i % 10 === 0 ? `2600:1f18:${(x & 0xffff).toString(16)}::${(x >>> 16).toString(16)}` : `${x >>> 24}.${(x >>> 16) & 255}.${(x >>> 8) & 255}.${x & 255}`);
  }
  return out;
}

export async function runMicro(rangesFile: string | undefined, elasticsearchUrl: string): Promise<void> {
  const candidates = [rangesFile, process.env['AWS_IP_RANGES_FILE'], 'test/fixtures/aws-ip-ranges/ip-ranges.json', 'samples/aws-ip-ranges.sample.json'];
  const file = candidates.find((f): f is string => typeof f === 'string' && existsSync(f))!;
  const t0 = performance.now();
  const ranges = await AwsIpRanges.fromFile(file);
  const loadMs = performance.now() - t0;
  const classifier = new IpClassifier(ranges, ['198.51.100.0/24']);
  const ips = randomIps(200_000);
  for (const ip of ips.slice(0, 20_000)) ranges.lookup(ip); // warm-up

  function rate(label: string, fn: (ip: string) => unknown): void {
    const rounds = 10;
    let hits = 0;
    const start = performance.now();
    for (let r = 0; r < rounds; r++) for (const ip of ips) if (fn(ip)) hits++;
    const ms = performance.now() - start;
    const perSec = (rounds * ips.length) / (ms / 1000);
    console.log(`${label}: ${(perSec / 1e6).toFixed(2)} M lookups/s (${rounds * ips.length} lookups, ${hits} hits, target ≥ 1 M/s)`);
  }

  console.log(`AWS ranges: ${file}, ${ranges.size} prefixes loaded in ${loadMs.toFixed(0)} ms`);
  rate('AWS range lookup (90% IPv4, 10% IPv6)', (ip) => ranges.lookup(ip));
  rate('full classification', (ip) => classifier.classify(ip).kind === 'aws');

  await benchPictures();
  await benchInvestigation(elasticsearchUrl);
}
