// Redis's CPU time: its process's /proc/<pid>/stat (utime + stime) where Redis runs on this machine, else what
// Redis says of itself (INFO cpu, the same getrusage figures) — one Redis serves every worker, so its CPU is
// where a single-threaded limit would show.
import { readFileSync } from 'node:fs';
import type { Cluster, Redis } from 'ioredis';

/** A field of Redis's INFO text (`name:value` lines). */
export function infoField(info: string, name: string): string | undefined {
  const line = info.split(/\r?\n/).find((l) => l.startsWith(`${name}:`));
  return line?.slice(name.length + 1).trim();
}

/** utime + stime of a /proc/<pid>/stat line, in ms (USER_HZ is 100 on Linux); the name may hold spaces. */
export function procStatCpuMs(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).trim().split(/\s+/);
  // After the name: state is field 3 of stat(5), utime 14 and stime 15.
  const [utime, stime] = [Number(fields[11]), Number(fields[12])];
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('not a /proc/<pid>/stat line');
  return (utime + stime) * 10;
}

/** Redis's own account of its CPU (INFO cpu), in ms. */
export function infoCpuMs(info: string): number | undefined {
  const sys = Number(infoField(info, 'used_cpu_sys'));
  const user = Number(infoField(info, 'used_cpu_user'));
  return Number.isFinite(sys) && Number.isFinite(user) ? Math.round((sys + user) * 1000) : undefined;
}

export interface RedisCpu {
  ms: number;
  source: 'proc' | 'info';
}

/** Reads Redis's CPU time so far: from /proc when its process is here (and is a Redis), else from INFO; not for a cluster. */
export async function readRedisCpu(redis: Redis | Cluster): Promise<RedisCpu | undefined> {
  if (redis.isCluster) return undefined;
  const server = await redis.info('server');
  const pid = Number(infoField(server, 'process_id'));
  if (Number.isInteger(pid) && pid > 0) {
    try {
      if (/redis/i.test(readFileSync(`/proc/${pid}/comm`, 'utf8'))) return { ms: procStatCpuMs(readFileSync(`/proc/${pid}/stat`, 'utf8')), source: 'proc' };
    } catch {
      // Another machine's (or container's) Redis: its own figures below.
    }
  }
  const ms = infoCpuMs(await redis.info('cpu'));
  return ms === undefined ? undefined : { ms, source: 'info' };
}
