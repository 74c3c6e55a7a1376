// The data set of one benchmark size: generated once, loaded with `triage ingest` (the product's own
// loader, run as a user runs it), and reused by later runs while Elasticsearch still holds it.
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { GENERATOR_VERSION, generateDataSet, type DataSetSpec, type Manifest } from '../generate/index.js';
import type { EvidenceIndices } from '../../src/evidence/indices.js';
import { setBenchEsNiceness } from '../es-node.js';

export type { DataSetSpec };

export interface Ingested {
  version: number;
  spec: DataSetSpec;
  documents: number;
  seconds: number;
  docsPerSecond: number;
  /** The ingest command's last line. */
  report: string;
}

export interface LoadedDataSet {
  namespace: string;
  dir: string;
  manifest: Manifest;
  ingest: Ingested;
  reused: boolean;
  indices: EvidenceIndices;
}

/** A data stream namespace per size, seed and alert count, so sizes can sit side by side. */
export function namespaceOf(spec: DataSetSpec): string {
  return `bench_${spec.events}_s${spec.seed}_a${spec.alerts}`;
}

export function indicesOf(ns: string): EvidenceIndices {
  const ds = (dataset: string) => `logs-${dataset}-${ns}`;
  return {
    cloudtrail: ds('aws.cloudtrail'),
    okta: ds('okta.system'),
    proxy: ds('zscaler_zia.web'),
    edrProcess: ds('endpoint.events.process'),
    edrFile: ds('endpoint.events.file'),
    edrNetwork: ds('endpoint.events.network'),
    agentSightings: `logs-endpoint.*-${ns},logs-zscaler_zia.*-${ns},logs-jamf_pro.*-${ns}`,
    proofpoint: `logs-proofpoint_tap.clicks_permitted-${ns},logs-proofpoint_tap.clicks_blocked-${ns}`,
    alerts: `triage-alerts-${ns}`,
    verdicts: `triage-verdicts-${ns}`,
    dispositions: `triage-dispositions-${ns}`,
  };
}

/** The environment the product's commands read these indices from (configuration, not code). */
export function indexEnvironment(indices: EvidenceIndices, ns: string): Record<string, string> {
  return {
    DATA_NAMESPACE: ns,
    INDEX_CLOUDTRAIL: indices.cloudtrail,
    INDEX_OKTA: indices.okta,
    INDEX_PROXY: indices.proxy,
    INDEX_EDR_PROCESS: indices.edrProcess,
    INDEX_EDR_FILE: indices.edrFile,
    INDEX_EDR_NETWORK: indices.edrNetwork,
    INDEX_AGENT_SIGHTINGS: indices.agentSightings,
    INDEX_ALERTS: indices.alerts,
    INDEX_VERDICTS: indices.verdicts,
    INDEX_DISPOSITIONS: indices.dispositions,
  };
}

async function documentsIn(es: Client, ns: string): Promise<number> {
  try {
    const res = await es.count({ index: `logs-*-${ns}`, ignore_unavailable: true, allow_no_indices: true });
    return res.count;
  } catch {
    return 0;
  }
}

async function deleteNamespace(es: Client, ns: string): Promise<void> {
  const streams = await es.indices.getDataStream({ name: `logs-*-${ns}` }).catch(() => ({ data_streams: [] as Array<{ name: string }> }));
  for (const s of streams.data_streams) await es.indices.deleteDataStream({ name: s.name });
  const found = await es.indices.get({ index: `logs-*-${ns},triage-*-${ns}`, ignore_unavailable: true, allow_no_indices: true });
  const names = Object.keys(found);
  if (names.length) await es.indices.delete({ index: names.join(',') });
}

function runIngest(file: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // At a lower priority, like the node while it indexes: other work on a shared machine comes first.
    // On a terminal the command's own progress line shows (its standard error is ours); otherwise it is kept.
    const onTerminal = process.stderr.isTTY === true;
    const child = spawn('nice', ['-n', '10', process.execPath, 'bin/triage.js', 'ingest', file], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', onTerminal ? 'inherit' : 'pipe'] });
    let stdout = '';
    let stderr = onTerminal ? '(on the terminal above)' : '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr?.on('data', (c: Buffer) => {
      // Rejected lines are reported one per line: keep the first few only.
      if (stderr.length < 20_000) stderr += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

const sameSpec = (a: DataSetSpec, b: DataSetSpec) => JSON.stringify(a) === JSON.stringify(b);

export async function ensureDataSet(
  es: Client,
  esUrl: string,
  spec: DataSetSpec,
  opts: { root: string; fresh: boolean; keepFiles: boolean; log: (line: string) => void; esRoot: string },
): Promise<LoadedDataSet> {
  const ns = namespaceOf(spec);
  const dir = join(opts.root, ns);
  const indices = indicesOf(ns);
  const marker = join(dir, 'ingested.json');
  if (!opts.fresh && existsSync(marker) && existsSync(join(dir, 'manifest.json'))) {
    const ingest = JSON.parse(readFileSync(marker, 'utf8')) as Ingested;
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    const present = await documentsIn(es, ns);
    if (ingest.version === GENERATOR_VERSION && sameSpec(ingest.spec, spec) && present === ingest.documents) {
      opts.log(`data set ${ns}: reusing the ${present} documents already in Elasticsearch (ingested at ${ingest.docsPerSecond} docs/s)`);
      return { namespace: ns, dir, manifest, ingest, reused: true, indices };
    }
    opts.log(`data set ${ns}: Elasticsearch holds ${present} documents, not the ${ingest.documents} recorded: loading it again`);
  }
  await deleteNamespace(es, ns);
  opts.log(`data set ${ns}: generating ${spec.events} background events and the scenarios of ${spec.alerts} alerts`);
  setPriority(10);
  setBenchEsNiceness(opts.esRoot, 10);
  try {
    return await load(esUrl, spec, ns, dir, indices, marker, opts);
  } finally {
    setPriority(0);
    setBenchEsNiceness(opts.esRoot, 0);
  }
}

async function load(
  esUrl: string,
  spec: DataSetSpec,
  ns: string,
  dir: string,
  indices: EvidenceIndices,
  marker: string,
  opts: { keepFiles: boolean; log: (line: string) => void },
): Promise<LoadedDataSet> {
  const manifest = await generateDataSet({ dir, ...spec }, opts.log);
  opts.log(`generated ${manifest.events + manifest.scenarioEvents} events (${(manifest.bytes / 1e6).toFixed(0)} MB) in ${(manifest.generateMs / 1000).toFixed(1)} s`);
  const file = join(dir, 'events.ndjson');
  const started = performance.now();
  const run = await runIngest(file, { ELASTICSEARCH_URL: esUrl, ...indexEnvironment(indices, ns) });
  const seconds = (performance.now() - started) / 1000;
  const report = run.stdout.trim().split('\n').at(-1) ?? '';
  if (run.code !== 0) throw new Error(`triage ingest failed (exit ${run.code}): ${report}\n${run.stderr.slice(0, 2000)}`);
  const documents = Number(/ingested (\d+) document/.exec(report)?.[1] ?? NaN);
  const expected = manifest.events + manifest.scenarioEvents;
  if (documents !== expected) throw new Error(`triage ingest indexed ${documents} documents, expected ${expected}: ${report}`);
  const ingest: Ingested = { version: GENERATOR_VERSION, spec, documents, seconds: Math.round(seconds * 10) / 10, docsPerSecond: Math.round(documents / seconds), report };
  writeFileSync(marker, `${JSON.stringify(ingest, null, 2)}\n`);
  opts.log(`triage ingest: ${documents} documents in ${seconds.toFixed(1)} s = ${ingest.docsPerSecond} docs/s (at nice 10, the node too)`);
  if (!opts.keepFiles) rmSync(file, { force: true });
  return { namespace: ns, dir, manifest, ingest, reused: false, indices };
}
