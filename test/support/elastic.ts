// Real Elasticsearch for tests: each suite gets its own namespace, so suites never see each other's data.
import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import { createElasticClient } from '../../src/evidence/elastic/client.js';
import { installTemplates } from '../../src/evidence/elastic/templates.js';
import { ingestFiles, type IngestReport } from '../../src/evidence/elastic/ingest.js';
import type { EvidenceIndices } from '../../src/evidence/indices.js';

export const ELASTICSEARCH_URL = process.env['ELASTICSEARCH_URL'] ?? 'http://127.0.0.1:9200';

export interface TestCluster {
  es: Client;
  namespace: string;
  indices: EvidenceIndices;
  load(docs: unknown[], opts?: { dataset?: string }): Promise<IngestReport>;
  /** NDJSON lines as written (numbers beyond JavaScript's precision keep their digits). */
  loadLines(lines: string[], opts?: { dataset?: string }): Promise<IngestReport>;
  cleanup(): Promise<void>;
}

/** A namespace of its own on the cluster at `url` (the shared test cluster by default). */
export async function testCluster(url: string = ELASTICSEARCH_URL): Promise<TestCluster> {
  const es = createElasticClient({ ELASTICSEARCH_URL: url });
  const namespace = `t${randomBytes(4).toString('hex')}`;
  const own = { alerts: `triage-alerts-${namespace}`, verdicts: `triage-verdicts-${namespace}`, dispositions: `triage-dispositions-${namespace}` };
  // This namespace's own templates: other checkouts sharing the cluster install their versions of the general ones.
  await installTemplates(es, { ownIndices: own, namespace });
  const ds = (dataset: string) => `logs-${dataset}-${namespace}`;
  const indices: EvidenceIndices = {
    cloudtrail: ds('aws.cloudtrail'),
    okta: ds('okta.system'),
    proxy: ds('zscaler_zia.web'),
    edrProcess: ds('endpoint.events.process'),
    edrFile: ds('endpoint.events.file'),
    edrNetwork: ds('endpoint.events.network'),
    proofpoint: `${ds('proofpoint_tap.clicks_permitted')},${ds('proofpoint_tap.clicks_blocked')}`,
    agentSightings: `logs-endpoint.*-${namespace},logs-zscaler_zia.*-${namespace},logs-jamf_pro.*-${namespace}`,
    alerts: own.alerts,
    verdicts: own.verdicts,
    dispositions: own.dispositions,
  };
  const loadLines = (lines: string[], opts: { dataset?: string } = {}) =>
    ingestFiles(es, [{ name: 'fixture', stream: Readable.from(lines.map((l) => `${l}\n`)) }], { namespace, alertsIndex: own.alerts, ...opts });
  return {
    es,
    namespace,
    indices,
    load: (docs, opts = {}) => loadLines(docs.map((d) => JSON.stringify(d)), opts),
    loadLines,
    cleanup: async () => {
      // Delete by concrete names: clusters may refuse wildcard deletes (action.destructive_requires_name).
      // Namespaces that start with this one (documents naming their own) are this suite's too.
      const found = await es.indices.get({ index: `logs-*-${namespace}*,triage-*-${namespace},dynamic-*-${namespace}`, ignore_unavailable: true, allow_no_indices: true });
      const names = Object.keys(found);
      if (names.length > 0) await es.indices.delete({ index: names.join(',') });
      const templates = await es.indices.getIndexTemplate({ name: `triage-logs-*-${namespace}` }, { ignore: [404] });
      for (const t of templates.index_templates ?? []) await es.indices.deleteIndexTemplate({ name: t.name });
      await es.close();
    },
  };
}

/**
 * Loads documents into an index no template of ours matches, so Elasticsearch maps them dynamically
 * (strings as text with a .keyword sub-field), as on a cluster fed by someone else's pipeline.
 */
export async function loadDynamic(cluster: TestCluster, name: string, docs: unknown[]): Promise<string> {
  const index = `dynamic-${name}-${cluster.namespace}`;
  const res = await cluster.es.bulk({ refresh: true, operations: docs.flatMap((d) => [{ create: { _index: index } }, d as Record<string, unknown>]) });
  if (res.errors) throw new Error(`dynamic load failed: ${JSON.stringify(res.items.find((i) => i.create?.error))}`);
  return index;
}

/**
 * One index pattern over both mappings of the same fields: every other document in indices our templates map
 * (ip, keyword …), the rest in an index Elasticsearch maps dynamically (text with a .keyword sub-field), as
 * when an integration's data sits beside a dynamically mapped index. Returns the pattern.
 */
export async function loadMixed(cluster: TestCluster, name: string, docs: unknown[]): Promise<string> {
  const mapped = docs.filter((_, i) => i % 2 === 0);
  const dynamic = docs.filter((_, i) => i % 2 === 1);
  const namespace = `${cluster.namespace}mix${name}`;
  const report = await ingestFiles(cluster.es, [{ name: 'mixed', stream: Readable.from(mapped.map((d) => `${JSON.stringify(d)}\n`)) }], { namespace, alertsIndex: cluster.indices.alerts });
  if (report.rejected.length > 0) throw new Error(`mixed load failed: ${JSON.stringify(report.rejected[0])}`);
  const dynamicIndex = await loadDynamic(cluster, `${name}mix`, dynamic);
  return `logs-*-${namespace},${dynamicIndex}`;
}
