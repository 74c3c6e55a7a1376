// AWS's published IP ranges (ip-ranges.json): longest-prefix lookup of region and service.
import { readFile, writeFile, mkdir, rename, stat } from 'node:fs/promises';
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

export const RANGES_CHECK_EVERY_MS = 60_000;

export interface RangesFileOptions {
  /** How often the file is looked at again (one stat), at most. */
  checkEveryMs?: number;
  now?: () => number;
  /** Told when a changed file was loaded, or could not be (the ranges in use are kept). */
  log?: (level: 'info' | 'warn', msg: string) => void;
}

/**
 * The ranges file, read again when it changes: `triage update-ip-ranges` (a cron job, the compose init service)
 * replaces it while the app and workers run, and they pick it up without a restart. At most one stat a minute;
 * a changed file that cannot be read or parsed leaves the ranges in use in place (stale ranges are still
 * AWS's ranges), and is tried again at the next check. Until a first load succeeds, every call tries and throws.
 */
export class AwsIpRangesFile {
  private current?: { ranges: AwsIpRanges; version: string };
  private checkedAt = Number.NEGATIVE_INFINITY;
  private pending?: Promise<AwsIpRanges>;

  constructor(
    readonly path: string,
    private readonly opts: RangesFileOptions = {},
  ) {}

  async get(): Promise<AwsIpRanges> {
    const now = this.opts.now ?? Date.now;
    if (this.current && now() - this.checkedAt < (this.opts.checkEveryMs ?? RANGES_CHECK_EVERY_MS)) return this.current.ranges;
    this.pending ??= this.refresh(now()).finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** What identifies one version of the file: a replaced file (rename) has a new inode, an edited one a new mtime or size. */
  private async version(): Promise<string> {
    const st = await stat(this.path);
    return `${st.ino}:${st.mtimeMs}:${st.size}`;
  }

  private async refresh(at: number): Promise<AwsIpRanges> {
    if (!this.current) {
      const version = await this.version().catch(() => '');
      const ranges = await AwsIpRanges.fromFile(this.path);
      this.current = { ranges, version };
      this.checkedAt = at;
      return ranges;
    }
    const current = this.current;
    this.checkedAt = at;
    try {
      const version = await this.version();
      if (version === current.version) return current.ranges;
      const ranges = await AwsIpRanges.fromFile(this.path);
      this.current = { ranges, version };
      this.opts.log?.('info', `AWS IP ranges reloaded from ${this.path} (${ranges.size} prefixes${ranges.createDate ? `, published ${ranges.createDate}` : ''})`);
      return ranges;
    } catch (err) {
      this.opts.log?.('warn', `AWS IP ranges file ${this.path} changed but cannot be used (${(err as Error).message.slice(0, 200)}); keeping the ranges loaded before`);
      return current.ranges;
    }
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
