// The benchmark's worker process: the production wiring of src/worker/main.ts (productionEngine,
// startWorker, the Slack Web API client, the alert state in Redis), configured from the environment
// the benchmark gives it, plus measurement: the state store and the audit are subclasses that note
// when an investigation starts and ends, and the Elasticsearch client's requests are counted per job.
import { WebClient } from '@slack/web-api';
import { Audit } from '../../src/audit/audit.js';
import { loadConfig } from '../../src/config.js';
import { redisConnection } from '../../src/queue/queue.js';
import { alertKey, AlertStateStore, type AlertState } from '../../src/queue/state.js';
import { startWorker } from '../../src/worker/worker.js';
import { productionEngine } from '../../src/runtime.js';
import { slackClientOptions } from '../../src/slack/client.js';
import type { Verdict } from '../../src/flows/verdict.js';
import { newTally, RequestCounter, type Tally } from './es-requests.js';
import type { FromWorker, JobRecord, ToWorker } from './protocol.js';

const send = (m: FromWorker) => process.send?.(m);
const now = () => performance.timeOrigin + performance.now();

interface InFlight {
  tally: Tally;
  startedAt: number;
}

const inFlight = new Map<string, InFlight>();
const counter = new RequestCounter();

/** The first read of an alert's state opens its investigation (processInvestigation reads it first). */
class TimedStateStore extends AlertStateStore {
  override async get(key: string): Promise<AlertState | undefined> {
    if (inFlight.has(key)) return super.get(key);
    const entry: InFlight = { tally: newTally(), startedAt: 0 };
    inFlight.set(key, entry);
    counter.enter(entry.tally);
    const state = await super.get(key);
    entry.startedAt = now();
    return state;
  }
}

/** The audit record follows the verdict at once: that closes the investigation. */
class TimedAudit extends Audit {
  override async verdict(v: Verdict, meta: { alertType: string; jobId?: string; attempt?: number }): Promise<void> {
    const end = now();
    const key = alertKey(v.alert_id);
    const entry = inFlight.get(key);
    if (entry) {
      entry.tally.open = false;
      const record: JobRecord = {
        alertKey: key,
        alertId: v.alert_id,
        flow: v.flow,
        verdict: v.verdict,
        score: v.score,
        attempt: meta.attempt ?? 1,
        startedAt: entry.startedAt,
        investigateMs: end - entry.startedAt,
        esRequests: entry.tally.requests,
        esByKind: entry.tally.byKind,
        esTookByTarget: entry.tally.tookByTarget,
      };
      send({ type: 'job', record });
    }
    return super.verdict(v, meta);
  }
}

const cfg = loadConfig(process.env, ['worker']);
const investigationTime = process.env['BENCH_NOW'];
// The data set's "now": windows that end at the investigation time end where the data ends, on any day.
const at = investigationTime ? new Date(investigationTime) : undefined;
const { es, engine, indices } = productionEngine(cfg, undefined, at ? { now: () => at } : {});
counter.attach(es);
const connection = redisConnection(cfg.REDIS_URL, cfg.REDIS_CLUSTER);
const slack = new WebClient(cfg.SLACK_BOT_TOKEN, slackClientOptions(cfg.SLACK_API_URL));
const failures: string[] = [];
const worker = startWorker(connection, cfg.QUEUE_PREFIX, cfg.WORKER_CONCURRENCY, {
  engine,
  slack,
  state: new TimedStateStore(connection, cfg.QUEUE_PREFIX),
  audit: new TimedAudit(es, { verdicts: indices.verdicts, dispositions: indices.dispositions }),
  log: (m) => failures.push(m),
});
// A retried job opens a fresh investigation.
worker.investigations.on('completed', (job) => inFlight.delete(job.data.alertKey));
worker.investigations.on('failed', (job) => {
  if (job) inFlight.delete(job.data.alertKey);
});

let peakHeap = 0;
const sampler = setInterval(() => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}, 100);

// The benchmark is gone: so is its worker.
process.on('disconnect', () => process.exit(1));

process.on('message', (m: ToWorker) => {
  void (async () => {
    if (m.cmd === 'pause') {
      await worker.investigations.pause();
      send({ type: 'paused' });
    } else if (m.cmd === 'resume') {
      worker.investigations.resume();
      send({ type: 'resumed', at: now() });
    } else if (m.cmd === 'usage') {
      const cpu = process.cpuUsage();
      send({ type: 'usage', cpuMs: (cpu.user + cpu.system) / 1000 });
    } else if (m.cmd === 'stop') {
      await worker.close();
      clearInterval(sampler);
      await connection.quit();
      await es.close();
      (globalThis as { gc?: () => void }).gc?.();
      const after = process.memoryUsage();
      send({
        type: 'stopped',
        summary: {
          // maxRSS is in kilobytes.
          peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
          peakHeapMb: Math.round(peakHeap / 1024 / 1024),
          readyRssMb,
          afterGcRssMb: Math.round(after.rss / 1024 / 1024),
          afterGcHeapMb: Math.round(after.heapUsed / 1024 / 1024),
          unattributedRequests: counter.unattributed,
          unattributedByKind: counter.unattributedByKind,
          failures: failures.slice(0, 20),
        },
      });
      process.removeAllListeners('disconnect');
      process.disconnect?.();
    }
  })();
});

await worker.investigations.waitUntilReady();
const readyRssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
send({ type: 'ready', concurrency: cfg.WORKER_CONCURRENCY });
