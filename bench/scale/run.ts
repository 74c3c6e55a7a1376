// The SOC-scale benchmark: K alerts of all three flows through the real queue to a real worker process,
// Slack replaced by the fake Web API server, against a generated data set in a separate Elasticsearch.
// Phases: warm-up; K alerts arriving at R/s (alert-to-verdict latency); the same K enqueued at once
// (throughput); a serial baseline (the naive way against the product's way, same alerts); the search
// profile of each flow's slowest investigation. Ends with one JSON line.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { WebClient } from '@slack/web-api';
import { formatProgress } from '../../src/cli/progress.js';
import { parseAlertStrict } from '../../src/flows/recognise.js';
import type { Alert } from '../../src/alerts/types.js';
import { loadConfig } from '../../src/config.js';
import { investigate, type EngineDeps } from '../../src/flows/engine.js';
import { createElasticClient } from '../../src/evidence/elastic/client.js';
import { keepDomainCoverageFresh } from '../../src/evidence/elastic/domain-coverage.js';
import { elasticSources } from '../../src/evidence/sources.js';
import type { Queue } from 'bullmq';
import { createQueue, jobIdFor, redisConnection, type InvestigationJob } from '../../src/queue/queue.js';
import { alertKey, AlertStateStore } from '../../src/queue/state.js';
import { productionEngine } from '../../src/runtime.js';
import { slackClientOptions } from '../../src/slack/client.js';
import { enqueueAlert } from '../../src/app/intake.js';
import { startFakeSlack } from '../../test/fakes/slack-server.js';
import { scenarioSet } from '../generate/index.js';
import { compiledWorker } from './compile.js';
import type { BenchAlert, Flow, ScenarioSizes } from '../generate/scenarios.js';
import { FLOWS } from '../generate/scenarios.js';
import { withAlertId } from '../generate/family.js';
import { OFFICE_CIDR } from '../generate/world.js';
import { ensureBenchEs, stopBenchEs } from '../es-node.js';
import { ensureDataSet, indexEnvironment, type LoadedDataSet } from './dataset.js';
import { newTally, RequestCounter } from './es-requests.js';
import { naiveSources, newCost, TooManyDocuments, type NaiveCost } from './naive.js';
import { profilingClient, summariseProfile, type ProfiledSearch } from './profile.js';
import type { WorkerSummary } from './protocol.js';
import { clearCaches, log, machineBusyMs, now, PROGRESS_EVERY_MS, sleep, VerdictWatch, waitForPhase, WorkerProcess, type Sent } from './harness.js';
import { runScaleOut } from './scale-out.js';
import { buildReport, printReport, type BaselineSample, type PhaseCpu, type PhaseResult, type PhaseRow, type ProfileResult, type Report } from './report.js';

export interface ScaleOptions {
  events: number;
  alerts: number;
  concurrency: number;
  rate: number;
  seed: number;
  anchor: string;
  spanDays: number;
  sizes: ScenarioSizes;
  baselinePerFlow: number;
  warmup: number;
  esPort: number;
  esHeapMb: number;
  keepEs: boolean;
  fresh: boolean;
  keepFiles: boolean;
  skipBaseline: boolean;
  skipProfile: boolean;
  redisUrl: string;
  out: string;
  /** Writes a V8 CPU profile of the worker process into the output directory. */
  workerCpuProfile: boolean;
  /** Node flags for the worker process (a heap bound, say), as a deployment would set them. */
  workerNodeOptions: string[];
  /** Only generate and load the data set (measure later, at a quieter time). */
  loadOnly: boolean;
  /** Worker process counts of the scale-out phase (`--workers 1,2,4`); empty: no such phase. */
  workers: number[];
}

/** CPU seconds spent by the worker, Elasticsearch and this process over a phase: where the machine's time went. */
class CpuMeter {
  private start?: { worker: number; es: number; self: number; machine: number; at: number };

  constructor(
    private readonly es: Client,
    private readonly worker: WorkerProcess,
  ) {}

  private async read() {
    this.worker.send({ cmd: 'usage' });
    const [w, stats] = await Promise.all([this.worker.next('usage'), this.es.nodes.stats({ metric: 'process' })]);
    const esMs = Object.values(stats.nodes).reduce((t, n) => t + (n.process?.cpu?.total_in_millis ?? 0), 0);
    const self = process.cpuUsage();
    return { worker: w.cpuMs, es: esMs, self: (self.user + self.system) / 1000, machine: machineBusyMs(), at: now() };
  }

  async begin(): Promise<void> {
    this.start = await this.read();
  }

  async end(): Promise<PhaseCpu> {
    const e = await this.read();
    const s = this.start!;
    const sec = (ms: number) => Math.round(ms / 100) / 10;
    const ours = e.worker - s.worker + (e.es - s.es) + (e.self - s.self);
    return {
      wallS: sec(e.at - s.at),
      workerCpuS: sec(e.worker - s.worker),
      elasticsearchCpuS: sec(e.es - s.es),
      benchmarkCpuS: sec(e.self - s.self),
      otherCpuS: sec(Math.max(0, e.machine - s.machine - ours)),
      cores: cpus().length,
      load1: Math.round(loadavg()[0]! * 100) / 100,
    };
  }
}

/** Waits until Elasticsearch has finished merging what was just loaded (merges compete for the CPU). */
async function settle(es: Client): Promise<void> {
  let quiet = 0;
  for (let i = 0; i < 600 && quiet < 3; i++) {
    const stats = await es.nodes.stats({ metric: 'indices', index_metric: 'merge' });
    const merging = Object.values(stats.nodes).reduce((t, n) => t + (n.indices?.merges?.current ?? 0), 0);
    quiet = merging === 0 ? quiet + 1 : 0;
    if (merging > 0 && i % 10 === 0) log(`waiting for ${merging} merge(s) to finish`);
    await sleep(1000);
  }
}

function withSuffix(b: BenchAlert, suffix: string): Alert {
  return parseAlertStrict(JSON.stringify(withAlertId(b.alert, b.idPaths, `${b.id}${suffix}`)));
}

async function phaseResult(name: string, sent: Sent[], worker: WorkerProcess, watch: VerdictWatch, queue: Queue<InvestigationJob>, wall?: { from: number }): Promise<PhaseResult> {
  const rows: PhaseRow[] = [];
  for (const s of sent) {
    const record = worker.records.get(s.alert.id);
    const verdictAt = s.messageTs ? watch.at.get(s.messageTs) : undefined;
    // Where the time between arrival and verdict went, from the job's own timestamps (ms, Redis side).
    const job = await queue.getJob(jobIdFor(alertKey(s.alert.id), 0));
    const stages =
      job?.processedOn && record && verdictAt !== undefined
        ? {
            intakeMs: job.timestamp - s.arrivedAt,
            queueWaitMs: job.processedOn - job.timestamp,
            beforeMs: record.startedAt - job.processedOn,
            afterMs: verdictAt - (record.startedAt + record.investigateMs),
          }
        : undefined;
    rows.push({ bench: s.bench, record, alertToVerdictMs: verdictAt !== undefined ? verdictAt - s.arrivedAt : undefined, verdictAt, ...(stages ? { stages } : {}) });
  }
  const done = rows.filter((r) => r.verdictAt !== undefined).map((r) => r.verdictAt!);
  const wallSeconds = wall && done.length ? (Math.max(...done) - wall.from) / 1000 : undefined;
  return { name, rows, ...(wallSeconds !== undefined ? { wallSeconds } : {}) };
}

export async function runScale(opts: ScaleOptions): Promise<Report | undefined> {
  const loadBefore = loadavg();
  mkdirSync(opts.out, { recursive: true });
  const esRoot = resolve('.cache', 'bench-es');
  const node = await ensureBenchEs({ port: opts.esPort, heapMb: opts.esHeapMb, root: esRoot, log });
  log(`elasticsearch ${node.url}, heap ${node.heapMb} MB${node.startedHere ? ' (started for this run)' : ''}`);
  const es = createElasticClient({ ELASTICSEARCH_URL: node.url });
  // The integration-test distribution has no GET /: the version comes from the node's own info.
  const esVersion = Object.values((await es.nodes.info({ node_id: '_local', metric: 'settings' })).nodes)[0]?.version ?? 'unknown';
  const spec = { seed: opts.seed, events: opts.events, alerts: opts.alerts, anchor: opts.anchor, spanDays: opts.spanDays, sizes: opts.sizes };
  let data: LoadedDataSet;
  try {
    data = await ensureDataSet(es, node.url, spec, { root: resolve('.cache', 'bench'), fresh: opts.fresh, keepFiles: opts.keepFiles, log, esRoot });
  } catch (err) {
    await es.close();
    throw err;
  }
  const ns = data.namespace;
  await settle(es);
  if (opts.loadOnly) {
    await es.close();
    if (node.startedHere && !opts.keepEs) await stopBenchEs({ root: esRoot, port: opts.esPort, log });
    log(`data set ${ns} is loaded`);
    return undefined;
  }
  // The alerts come from the generator's code each run (cheap; events are reused only for the same
  // GENERATOR_VERSION): a change of alert times alone needs no reload of the data.
  const alerts = scenarioSet(spec).scenarios.alerts;
  writeFileSync(join(data.dir, 'alerts.jsonl'), `${alerts.map((a) => JSON.stringify(a)).join('\n')}\n`);
  await es.indices.delete({ index: data.indices.verdicts, ignore_unavailable: true });

  // Slack's rate limits are off: the benchmark measures the bot, not Slack's quotas.
  const fake = await startFakeSlack({ rateLimits: false });
  const prefix = `{bench-${randomBytes(3).toString('hex')}}`;
  const connection = redisConnection(opts.redisUrl);
  const queue = createQueue(connection, prefix);
  const state = new AlertStateStore(connection, prefix);
  const client = new WebClient('xoxb-bench', slackClientOptions(fake.apiUrl));
  const env: Record<string, string> = {
    ELASTICSEARCH_URL: node.url,
    REDIS_URL: opts.redisUrl,
    QUEUE_PREFIX: prefix,
    WORKER_CONCURRENCY: String(opts.concurrency),
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_API_URL: fake.apiUrl,
    TRUSTED_EGRESS_CIDRS: OFFICE_CIDR,
    COMPANY_IP_CIDRS: OFFICE_CIDR,
    LOG_LEVEL: 'warn',
    BENCH_NOW: opts.anchor,
    // A fresh clone has no downloaded ranges file: the committed snapshot the tests use (its date in its README).
    AWS_IP_RANGES_FILE: process.env['AWS_IP_RANGES_FILE'] ?? resolve('test/fixtures/aws-ip-ranges/ip-ranges.json'),
    ...indexEnvironment(data.indices, ns),
  };
  // --expose-gc only lets the worker collect once at the end, to tell live memory from garbage.
  const execArgv = ['--expose-gc', ...opts.workerNodeOptions, ...(opts.workerCpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${opts.out}`] : [])];
  const workerEntry = compiledWorker();
  const forkWorker = (args: string[]) => fork(workerEntry, [], { execArgv: args, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const child = forkWorker(execArgv);
  const worker = new WorkerProcess(child);
  const watch = new VerdictWatch(fake);
  let summary: WorkerSummary | undefined;
  let seq = 0;
  const enqueue = async (bench: BenchAlert, suffix: string): Promise<Sent> => {
    const alert = withSuffix(bench, suffix);
    const threadTs = `1700000000.${String(++seq).padStart(6, '0')}`;
    // The alert's own message exists in the channel, as when an integration posted it (reactions go on it).
    fake.seedMessage('C0BENCH', threadTs);
    const arrivedAt = now();
    await enqueueAlert({ client, queue, state }, alert, { channel: 'C0BENCH', threadTs }, { origin: 'integration' });
    const messageTs = (await state.get(alertKey(alert.id)))?.messageTs;
    return { bench, alert, arrivedAt, ...(messageTs ? { messageTs } : {}) };
  };
  const timeout = (n: number) => 120_000 + n * 2000;
  let cleaned = false;
  /** Leaves nothing behind: the worker, the run's Redis keys, the fake Slack, the node if this run started it. */
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    if (!summary && child.exitCode === null) child.kill('SIGTERM');
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    for (;;) {
      const keys = await connection.keys(`${prefix}*`);
      if (keys.length === 0) break;
      await connection.del(...keys.slice(0, 1000));
    }
    await connection.quit();
    await fake.close();
    await es.close();
    if (node.startedHere && !opts.keepEs) await stopBenchEs({ root: esRoot, port: opts.esPort, log });
  };
  const interrupted = () => {
    log('interrupted: cleaning up');
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    const ready = await worker.next('ready');
    log(`worker up (pid ${child.pid}), concurrency ${ready.concurrency}`);

    // Warm-up: the worker's first jobs pay for module loading, JIT and connection set-up.
    const warm = await Promise.all(alerts.slice(0, Math.min(opts.warmup, alerts.length)).map((b) => enqueue(b, '~warm')));
    await waitForPhase('warm-up', warm, worker, watch, timeout(warm.length));

    const meter = new CpuMeter(es, worker);
    await clearCaches(es, ns);
    log(`paced: ${alerts.length} alerts at ${opts.rate}/s`);
    await meter.begin();
    const paced: Promise<Sent>[] = [];
    const start = now() + 20;
    for (let i = 0; i < alerts.length; i++) {
      await sleep(start + (i * 1000) / opts.rate - now());
      paced.push(enqueue(alerts[i]!, '~paced'));
    }
    const pacedSent = await Promise.all(paced);
    await waitForPhase('paced', pacedSent, worker, watch, timeout(alerts.length));
    const pacedCpu = await meter.end();
    const pacedResult = { ...(await phaseResult('paced', pacedSent, worker, watch, queue, { from: start })), cpu: pacedCpu };

    await clearCaches(es, ns);
    log(`burst: ${alerts.length} alerts enqueued at once, then the worker resumes`);
    worker.send({ cmd: 'pause' });
    await worker.next('paused');
    const burstSent: Sent[] = [];
    for (let i = 0; i < alerts.length; i += 32) burstSent.push(...(await Promise.all(alerts.slice(i, i + 32).map((b) => enqueue(b, '~burst')))));
    await meter.begin();
    worker.send({ cmd: 'resume' });
    const resumed = await worker.next('resumed');
    await waitForPhase('burst', burstSent, worker, watch, timeout(alerts.length));
    const burstCpu = await meter.end();
    const burstResult = { ...(await phaseResult('burst', burstSent, worker, watch, queue, { from: resumed.at })), cpu: burstCpu };

    worker.send({ cmd: 'stop' });
    summary = (await worker.next('stopped')).summary;

    // Scale-out: the burst again with each count of worker processes (no CPU profile: one per process would pile up).
    const scaleOut = opts.workers.length
      ? await runScaleOut({
          counts: opts.workers,
          alerts,
          warmup: opts.warmup,
          concurrency: opts.concurrency,
          spawn: () => new WorkerProcess(forkWorker(execArgv.filter((a) => !a.startsWith('--cpu-prof')))),
          enqueue,
          watch,
          es,
          namespace: ns,
          redis: connection,
          timeoutMs: timeout,
        })
      : [];

    // The serial comparison runs in this process, with the production wiring and the worker's configuration.
    const cfg = loadConfig({ ...env }, []);
    let baseline: BaselineSample[] = [];
    let profiles: ProfileResult[] = [];
    if (!opts.skipBaseline) {
      await clearCaches(es, ns);
      baseline = await runBaseline(cfg, alerts, opts, data);
    }
    if (!opts.skipProfile) {
      await clearCaches(es, ns);
      profiles = await runProfiles(cfg, node.url, pacedResult, opts, data);
      writeFileSync(join(opts.out, 'profiles.json'), `${JSON.stringify(profiles, null, 2)}\n`);
    }

    const report = buildReport({
      opts,
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 1e9), loadBefore, loadAfter: loadavg(), node: process.version },
      elasticsearch: { version: esVersion, heapMb: node.heapMb, url: node.url },
      data,
      phases: { paced: pacedResult, burst: burstResult },
      worker: summary,
      baseline,
      profiles,
      scaleOut,
    });
    writeFileSync(join(opts.out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    // Every measured investigation, for anyone who wants another cut of the numbers.
    const samples = [pacedResult, burstResult].flatMap((p) => p.rows.map((r) => JSON.stringify({ phase: p.name, id: r.bench.id, flow: r.bench.flow, family: r.bench.family, heavy: r.bench.heavy, ...r.record, alertToVerdictMs: r.alertToVerdictMs, ...r.stages })));
    writeFileSync(join(opts.out, 'samples.jsonl'), `${samples.join('\n')}\n`);
    printReport(report, (line) => process.stdout.write(`${line}\n`));
    process.stdout.write(`${JSON.stringify(report.line)}\n`);
    return report;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await cleanup();
  }
}

/** Up to n alerts of each flow, heavy ones first, spread over the set. */
function sample(alerts: BenchAlert[], perFlow: number): BenchAlert[] {
  return FLOWS.flatMap((flow: Flow) => {
    const mine = alerts.filter((a) => a.flow === flow);
    const heavy = mine.filter((a) => a.heavy).slice(0, Math.max(1, Math.floor(perFlow / 10)));
    const rest = mine.filter((a) => !a.heavy);
    const step = Math.max(1, Math.floor(rest.length / Math.max(1, perFlow - heavy.length)));
    return [...heavy, ...rest.filter((_, i) => i % step === 0).slice(0, perFlow - heavy.length)];
  });
}

async function runBaseline(cfg: ReturnType<typeof loadConfig>, alerts: BenchAlert[], opts: ScaleOptions, data: LoadedDataSet): Promise<BaselineSample[]> {
  const at = new Date(opts.anchor);
  const prod = productionEngine(cfg, undefined, { now: () => at });
  await prod.fields.ready;
  const counter = new RequestCounter();
  counter.attach(prod.es);
  const settings = { ...prod.engine.settings!, now: () => at };
  const fast: EngineDeps = { ...prod.engine, settings };
  let cost: NaiveCost = newCost();
  const naive: EngineDeps = { ...prod.engine, settings, evidence: naiveSources(prod.es, data.indices, () => cost) };
  const chosen = sample(alerts, opts.baselinePerFlow);
  log(`baseline: ${chosen.length} alerts, one at a time, the product's way and the naive way`);
  const out: BaselineSample[] = [];
  const started = performance.now();
  let told = started;
  for (const b of chosen) {
    if (performance.now() - told >= PROGRESS_EVERY_MS) {
      told = performance.now();
      log(`baseline: ${formatProgress({ done: out.length, total: chosen.length, elapsedMs: told - started }, 'alerts')}`);
    }
    const alert = withSuffix(b, '~baseline');
    const fastTally = newTally();
    let t = performance.now();
    const v1 = await counter.run(fastTally, () => investigate(alert, fast));
    const fastMs = performance.now() - t;
    cost = newCost();
    const naiveTally = newTally();
    t = performance.now();
    const v2 = await counter.run(naiveTally, () => investigate(alert, naive)).catch((err: unknown) => {
      if (err instanceof TooManyDocuments) return undefined;
      throw err;
    });
    const naiveMs = performance.now() - t;
    out.push({
      alertId: b.id,
      flow: b.flow,
      heavy: b.heavy,
      fastMs,
      fastRequests: fastTally.requests,
      naiveMs,
      naiveRequests: naiveTally.requests,
      naiveDocuments: cost.documents,
      naiveFetchMs: cost.fetchMs,
      naiveComputeMs: cost.computeMs,
      gaveUp: v2 === undefined,
      wholeWindow: cost.wholeWindow,
      same: v2 !== undefined && v1.verdict === v2.verdict && v1.score === v2.score,
      verdicts: `${v1.verdict} ${v1.score ?? ''} / ${v2 ? `${v2.verdict} ${v2.score ?? ''}` : `gave up after ${cost.documents} documents`}`,
    });
  }
  await prod.es.close();
  return out;
}

async function runProfiles(cfg: ReturnType<typeof loadConfig>, url: string, paced: PhaseResult, opts: ScaleOptions, data: LoadedDataSet): Promise<ProfileResult[]> {
  const at = new Date(opts.anchor);
  const prod = productionEngine(cfg, undefined, { now: () => at });
  const out: ProfileResult[] = [];
  for (const flow of FLOWS) {
    const rows = paced.rows.filter((r) => r.bench.flow === flow && r.record);
    const slowest = rows.sort((a, b) => b.record!.investigateMs - a.record!.investigateMs)[0];
    if (!slowest) continue;
    // Twice: the first run pays for cold caches (global ordinals after the cache clear); the second is the steady state.
    const cold: ProfiledSearch[] = [];
    const sink: ProfiledSearch[] = [];
    for (const into of [cold, sink]) {
      const es = profilingClient(url, into);
      // As the worker does: whether network events lack registered domains is asked in the background, not profiled.
      const coverage = keepDomainCoverageFresh(es, data.indices.edrNetwork, 60_000, undefined, () => at.getTime());
      await coverage.ready;
      coverage.stop();
      into.length = 0;
      const engine: EngineDeps = { ...prod.engine, settings: { ...prod.engine.settings!, now: () => at }, evidence: elasticSources(es, data.indices) };
      await investigate(withSuffix(slowest.bench, '~profile'), engine);
      await es.close();
    }
    const top = [...sink].sort((a, b) => b.tookMs - a.tookMs)[0];
    out.push({
      flow,
      alertId: slowest.bench.id,
      family: slowest.bench.family,
      investigateMs: slowest.record!.investigateMs,
      searches: sink.map((s) => ({ path: s.path, tookMs: s.tookMs, hits: s.hits, summary: summariseProfile(s).slice(0, 12) })),
      coldTookMs: cold.map((s) => s.tookMs),
      slowest: top ? { tookMs: top.tookMs, request: top.request, summary: summariseProfile(top), profile: top.profile } : undefined,
    });
  }
  await prod.es.close();
  return out;
}
