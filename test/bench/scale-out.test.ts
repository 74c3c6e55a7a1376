// The scale-out phase's parsing and reporting parts (`npm run bench -- --workers 1,2,4`): no timing here, only
// that the figures are read and shared out right and that the limit named is the one the numbers show.
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { infoCpuMs, infoField, procStatCpuMs, readRedisCpu } from '../../bench/scale/redis-cpu.js';
import { limitOf, otherCpuS, parseWorkerCounts, printScaleOut, scaleOutLine, type ScaleOutCpu, type ScaleOutRow } from '../../bench/scale/scale-out-report.js';

const cpu = (c: Partial<ScaleOutCpu>): ScaleOutCpu => ({ wallS: 10, cores: 2, workersCpuS: 2, elasticsearchCpuS: 6, redisCpuS: 0.5, benchmarkCpuS: 0.5, machineBusyS: 10, ...c });
const row = (workers: number, c: Partial<ScaleOutCpu>): ScaleOutRow => ({ workers, concurrencyPerWorker: 4, investigations: 400, missing: 0, perSecond: 40, cpu: cpu(c), redisCpuSource: 'proc', peakWorkerRssMb: 180 });

const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
afterAll(async () => {
  await redis.quit().catch(() => undefined);
});

describe('scale-out: parsing', () => {
  it('takes distinct worker counts from 1 to 16, in the order given, and refuses anything else', () => {
    expect(parseWorkerCounts(undefined)).toEqual([]);
    expect(parseWorkerCounts('1,2,4')).toEqual([1, 2, 4]);
    expect(parseWorkerCounts(' 4, 1,4 ')).toEqual([4, 1]);
    for (const bad of ['0', '1,,2', '2.5', '17', 'two', '-1']) expect(() => parseWorkerCounts(bad)).toThrow(/from 1 to 16/);
  });

  it('reads utime + stime from a /proc/<pid>/stat line, whatever the process name holds', () => {
    const stat = '2221 (redis-server) S 1 2221 2221 0 -1 4194624 12031 0 6 0 676 410 0 0 20 0 5 0 1234 0';
    expect(procStatCpuMs(stat)).toBe(10_860);
    // A name with spaces and a closing parenthesis: the fields are counted from the last one.
    expect(procStatCpuMs('7 (a) b (c)) R 1 7 7 0 -1 0 0 0 0 0 3 4 0 0')).toBe(70);
    expect(() => procStatCpuMs('garbage')).toThrow(/stat/);
  });

  it('reads Redis’s INFO fields and its own CPU account', () => {
    const info = '# Server\r\nredis_version:7.0.15\r\nprocess_id:2221\r\n# CPU\r\nused_cpu_sys:4.106787\r\nused_cpu_user:6.765526\r\n';
    expect(infoField(info, 'process_id')).toBe('2221');
    expect(infoField(info, 'used_cpu')).toBeUndefined();
    expect(infoCpuMs(info)).toBe(10_872);
    expect(infoCpuMs('# CPU\r\n')).toBeUndefined();
  });

  it('reads the real Redis’s CPU time, and it grows with work', async () => {
    const first = await readRedisCpu(redis);
    expect(first).toBeDefined();
    for (let i = 0; i < 3000; i++) await redis.ping();
    const second = await readRedisCpu(redis);
    expect(second!.source).toBe(first!.source);
    expect(second!.ms).toBeGreaterThanOrEqual(first!.ms);
  });
});

describe('scale-out: which resource is the limit', () => {
  it('a saturated machine: its largest CPU user, Elasticsearch or other sessions', () => {
    expect(limitOf(row(1, { machineBusyS: 19, elasticsearchCpuS: 11 })).limit).toBe('elasticsearch');
    const busy = limitOf(row(2, { machineBusyS: 19.5, elasticsearchCpuS: 4, workersCpuS: 3 }));
    expect(busy.limit).toBe('other processes');
    expect(busy.why).toMatch(/2 cores were 98 % busy/);
  });

  it('a free machine: Redis at its one core, else the workers’ event loops, else the jobs in flight', () => {
    expect(limitOf(row(4, { machineBusyS: 14, redisCpuS: 9 })).limit).toBe('redis');
    expect(limitOf(row(1, { machineBusyS: 14, workersCpuS: 9, redisCpuS: 1 })).limit).toBe('workers');
    // Two workers at 9 s together are half a core each: not saturated.
    const waiting = limitOf(row(2, { machineBusyS: 14, workersCpuS: 9, redisCpuS: 1 }));
    expect(waiting.limit).toBe('jobs in flight');
    expect(waiting.why).toMatch(/8 jobs at once/);
  });

  it('an unreadable Redis counts as none of its own and leaves the rest to "other"', () => {
    expect(otherCpuS(cpu({ redisCpuS: null }))).toBe(1.5);
    expect(otherCpuS(cpu({}))).toBe(1);
    expect(scaleOutLine({ ...row(1, { redisCpuS: null }), redisCpuSource: 'none' }).redis_cpu_ms_per_investigation).toBeNull();
  });
});

describe('scale-out: the JSON line and the table', () => {
  it('gives CPU per investigation, cores used and the machine’s shares per worker count', () => {
    const line = scaleOutLine(row(2, { machineBusyS: 16, workersCpuS: 4, elasticsearchCpuS: 8, redisCpuS: 1, benchmarkCpuS: 1 }));
    expect(line).toMatchObject({
      workers: 2,
      jobs_in_flight: 8,
      per_s: 40,
      worker_cpu_ms_per_investigation: 10,
      es_cpu_ms_per_investigation: 20,
      redis_cpu_ms_per_investigation: 2.5,
      workers_cores: 0.4,
      es_cores: 0.8,
      redis_cores: 0.1,
      other_cpu_share: 0.1,
      machine_busy_share: 0.8,
      limit: 'jobs in flight',
    });
  });

  it('prints one row per worker count, and nothing without the phase', () => {
    const lines: string[] = [];
    printScaleOut([], (l) => lines.push(l));
    expect(lines).toEqual([]);
    printScaleOut([row(1, {}), row(2, { machineBusyS: 19, elasticsearchCpuS: 12 }), { ...row(4, {}), missing: 3 }], (l) => lines.push(l));
    expect(lines).toHaveLength(5);
    expect(lines[3]).toMatch(/^ {2}2 \| 8 \| 40 \|.*elasticsearch: /);
    expect(lines[4]).toMatch(/3 MISSING$/);
  });
});
