// Investigation latency against a real Elasticsearch (the benchmark node), on a busy CloudTrail index:
// the AWS flow must stay a few aggregations whatever the event count.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { createElasticClient } from '../src/evidence/elastic/client.js';
import { installTemplates } from '../src/evidence/elastic/templates.js';
import { ingestFiles } from '../src/evidence/elastic/ingest.js';
import { elasticSources } from '../src/evidence/sources.js';
import { investigate } from '../src/flows/engine.js';
import { AwsIpRanges } from '../src/enrich/aws-ip-ranges.js';
import { IpClassifier } from '../src/enrich/ip-class.js';
import { parseAlertStrict } from '../src/flows/recognise.js';

const KEY_EVENTS = Number(process.env['BENCH_KEY_EVENTS'] ?? 50_000);
const NOISE_EVENTS = Number(process.env['BENCH_NOISE_EVENTS'] ?? 50_000);

export async function benchInvestigation(url: string): Promise<void> {
  const es = createElasticClient({ ELASTICSEARCH_URL: url });
  try {
    await es.cluster.health({ timeout: '2s' });
  } catch {
    console.log(`investigation benchmark skipped: no Elasticsearch at ${url}`);
    return;
  }
  const ns = `bench${randomBytes(3).toString('hex')}`;
  const index = `logs-aws.cloudtrail-${ns}`;
  await installTemplates(es);
  const T = Date.parse('2026-11-10T12:00:00Z');
  function* docs() {
    for (let i = 0; i < KEY_EVENTS + NOISE_EVENTS; i++) {
      const mine = i < KEY_EVENTS;
      const t = new Date(T - 23 * 3600_000 + Math.floor((i / (KEY_EVENTS + NOISE_EVENTS)) * 23 * 3600_000)).toISOString();
      const ip = mine ? (i < KEY_EVENTS / 2 ? '3.80.1.10' : '3.80.7.7') : `3.81.${i % 250}.${i % 200}`;
      yield `${JSON.stringify({
        '@timestamp': t,
        event: { dataset: 'aws.cloudtrail', action: i % 3 ? 'GetObject' : 'ListBuckets', outcome: 'success' },
        aws: { cloudtrail: { user_identity: { access_key_id: mine ? 'ASIABENCHKEY0000001' : `ASIANOISE${String(i % 5000).padStart(10, '0')}`, type: 'AssumedRole' } } },
        user: { id: `AROABENCH:i-0${(i % 5000).toString(16).padStart(16, '0')}` },
        source: { address: ip, ip },
        user_agent: { original: 'aws-cli/2.15.30 Python/3.11.8 Linux/6.1.79 exe/x86_64' },
        cloud: { account: { id: '111122223333' }, region: 'us-east-1' },
      })}\n`;
    }
  }
  const t0 = performance.now();
  const report = await ingestFiles(es, [{ name: 'bench', stream: Readable.from(docs()) }], { namespace: ns, alertsIndex: `triage-alerts-${ns}` });
  console.log(`ingested ${report.indexed} CloudTrail events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const ranges = AwsIpRanges.fromJson(JSON.parse(readFileSync(new URL('../samples/aws-ip-ranges.sample.json', import.meta.url), 'utf8')));
  const classifier = new IpClassifier(ranges, []);
  const deps = { evidence: elasticSources(es, { cloudtrail: index, okta: 'none', proxy: 'none', edrProcess: 'none', edrFile: 'none', edrNetwork: 'none', proofpoint: 'none', agentSightings: 'none', alerts: 'none', verdicts: 'none', dispositions: 'none' }), ipClassifier: async () => classifier };
  const alert = parseAlertStrict(JSON.stringify({ id: 'bench', type: 'aws.instance_credential_exfiltration', time: '2026-11-10T12:00:00Z', access_key_id: 'ASIABENCHKEY0000001', region: 'us-east-1' }));
  const times: number[] = [];
  let verdict = '';
  for (let i = 0; i < 25; i++) {
    const s = performance.now();
    const v = await investigate(alert, deps);
    times.push(performance.now() - s);
    verdict = `${v.verdict} ${v.score} (${v.path.at(-1)?.step})`;
  }
  times.sort((a, b) => a - b);
  console.log(`AWS investigation over ${KEY_EVENTS} key events among ${KEY_EVENTS + NOISE_EVENTS}: median ${times[12]!.toFixed(0)} ms, p95 ${times[23]!.toFixed(0)} ms (verdict ${verdict}; target: seconds, not minutes)`);
  const names = Object.keys(await es.indices.get({ index: `*-${ns}`, ignore_unavailable: true, allow_no_indices: true }));
  if (names.length) await es.indices.delete({ index: names.join(',') });
  await es.close();
}
