// AWS's published IP ranges (ip-ranges.json): longest-prefix lookup of region and service.
import { readFile, writeFile, mkdir, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { EvidenceUnavailableError } from '../errors.js';
import { parseCidr, type ParsedIp } from './ip.js';
import { PrefixTable } from './prefix-trie.js';

export interface AwsRange {
  prefix: string;
  /** null for GLOBAL, which is no region. */
  region: string | null;
  service: string;
}

const ipRangesSchema = z.object({
  createDate: z.string().optional(),
  prefixes: z.array(z.object({ ip_prefix: z.string(), region: z.string(), service: z.string() })),
  ipv6_prefixes: z.array(z.object({ ipv6_prefix: z.string(), region: z.string(), service: z.string() })).default([]),
});

export class AwsIpRanges {
  private constructor(
    private readonly table: PrefixTable<AwsRange>,
    readonly createDate: string | undefined,
  ) {}

  static fromJson(json: unknown): AwsIpRanges {
    const parsed = ipRangesSchema.safeParse(json);
    if (!parsed.success) throw new Error(`not an AWS ip-ranges.json document: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
    const entries = [
      ...parsed.data.prefixes.map((p) => ({ prefix: p.ip_prefix, region: p.region, service: p.service })),
      ...parsed.data.ipv6_prefixes.map((p) => ({ prefix: p.ipv6_prefix, region: p.region, service: p.service })),
    ];
    // Generic "AMAZON" entries duplicate the specific service ones; insert specific ones first so they win on equal prefixes.
    entries.sort((a, b) => Number(a.service === 'AMAZON') - Number(b.service === 'AMAZON'));
    const table = new PrefixTable<AwsRange>();
    for (const e of entries) {
      const cidr = parseCidr(e.prefix);
      if (!cidr) continue;
      table.add(cidr, { prefix: cidr.text, region: e.region === 'GLOBAL' ? null : e.region, service: e.service });
    }
    return new AwsIpRanges(table, parsed.data.createDate);
  }

  static async fromFile(path: string): Promise<AwsIpRanges> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      throw new EvidenceUnavailableError(`cannot read AWS IP ranges file ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}); run "triage update-ip-ranges" or set AWS_IP_RANGES_FILE`, { cause: err, service: 'AWS IP ranges file' });
    }
    return AwsIpRanges.fromJson(JSON.parse(text) as unknown);
  }

  get size(): number {
    return this.table.size;
  }

  lookup(ip: string): AwsRange | undefined {
    return this.table.lookup(ip);
  }

  lookupParsed(ip: ParsedIp): AwsRange | undefined {
    return this.table.lookupParsed(ip);
  }
}

/** Downloads the live ip-ranges.json and replaces the file atomically once it validates. */
export async function downloadAwsIpRanges(url: string, path: string, fetchImpl: typeof fetch = fetch): Promise<AwsIpRanges> {
  const res = await fetchImpl(url, { signal: AbortSignal.timeout(60_000) });
  if (!res.ok) throw new Error(`download of ${url} failed: HTTP ${res.status}`);
  const text = await res.text();
  const ranges = AwsIpRanges.fromJson(JSON.parse(text) as unknown);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(`${path}.tmp`, text);
  await rename(`${path}.tmp`, path);
  return ranges;
}
