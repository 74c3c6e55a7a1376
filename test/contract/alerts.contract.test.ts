// One suite, two implementations of the alert lookup (`/triage <id>`, `triage investigate --id`):
// Elasticsearch and memory find stored alerts by their id and Elastic-stored GuardDuty findings by finding id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertLookup } from '../../src/evidence/ports.js';
import { ElasticAlertLookup } from '../../src/evidence/elastic/alerts.js';
import { MemoryAlertLookup } from '../../src/evidence/memory/alerts.js';
import { MemoryDocuments } from '../../src/evidence/memory/store.js';
import { recogniseAlert } from '../../src/flows/recognise.js';
import { testCluster, type TestCluster } from '../support/elastic.js';
import { fixture } from '../support/fixtures.js';

type Json = Record<string, unknown>;

const FINDING_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const latest = fixture<Json>('guardduty/elastic-stored.json');
/** The same finding stored at an earlier update (Elastic writes a document per update). */
function earlierUpdate(): Json {
  const doc = structuredClone(latest);
  doc['@timestamp'] = '2026-11-24T15:02:11.872Z';
  const gd = (doc['aws'] as Json)['guardduty'] as Json;
  gd['updated_at'] = '2026-11-24T15:02:11.872Z';
  (gd['service'] as Json)['count'] = 1;
  ((gd['service'] as Json)['event'] as Json)['last_seen'] = '2026-11-24T15:00:00.000Z';
  return doc;
}
const canonical = { id: 'stored-canonical-1', type: 'okta.superhuman', time: '2026-11-26T07:00:00Z', user_login: 'jane@example.com', ip: '185.220.101.4' };
const cyren = fixture<Json>('cyren/incident.json');
/** Stored by the older pipeline (aws 1.25.0): the finding id only in event.id. */
const older = fixture<Json>('guardduty/elastic-stored-aws-1.25.json');
/** Another dataset's document whose event.id happens to be that id: not a finding. */
const lookalike = { '@timestamp': '2026-11-26T07:00:00Z', event: { id: 'c3d4e5f60718293a4b5c6d7e8f90a1b2', dataset: 'triage.other' }, message: 'not a finding' };
/** Elastic Security alerts as Kibana writes them (dotted kibana.alert.* keys; a building block carries its event's event.dataset). */
const kibana = fixture<Json>('okta-mfa/kibana-alert.json');
const buildingBlock = { ...fixture<Json>('okta-mfa/elastic-deny-push.json'), 'kibana.alert.uuid': 'bb-contract-1', 'kibana.alert.rule.rule_id': '97a8e584-fd3b-421f-9b9d-9c9d9e57e9d7' };

let cluster: TestCluster;
let elastic: ElasticAlertLookup;
beforeAll(async () => {
  cluster = await testCluster();
  const inNamespace = (doc: Json) => ({ ...doc, data_stream: { ...(doc['data_stream'] as Json), namespace: cluster.namespace } });
  const report = await cluster.load([inNamespace(earlierUpdate()), inNamespace(latest), inNamespace(older), canonical, cyren, lookalike, kibana, buildingBlock]);
  expect(report.rejected).toEqual([]);
  elastic = new ElasticAlertLookup(cluster.es, `logs-aws.guardduty-${cluster.namespace},${cluster.indices.alerts}`);
});
afterAll(async () => cluster?.cleanup());

const memory = () => new MemoryAlertLookup(new MemoryDocuments([earlierUpdate(), latest, older, canonical, cyren, lookalike, kibana, buildingBlock]));

describe.each([
  ['Elasticsearch', () => elastic as AlertLookup],
  ['memory', memory],
])('alert lookup (%s)', (_name, lookup) => {
  it('finds an Elastic-stored GuardDuty finding by its finding id: the latest update', async () => {
    const found = await lookup().findAlert(FINDING_ID);
    const outcome = recogniseAlert(found);
    if (outcome.kind !== 'alert') throw new Error(`not an alert: ${outcome.reason}`);
    expect(outcome.alert).toMatchObject({ id: FINDING_ID, type: 'aws.instance_credential_exfiltration', accessKeyId: 'ASIAFIXTUREGDELASTIC' });
    expect(outcome.alert.time.toISOString()).toBe('2026-11-24T16:20:00.000Z');
  });

  it('finds a finding stored by the older pipeline (aws 1.25.0) by its finding id, kept in event.id', async () => {
    const outcome = recogniseAlert(await lookup().findAlert('b2c3d4e5f60718293a4b5c6d7e8f90a1'));
    if (outcome.kind !== 'alert') throw new Error(`not an alert: ${outcome.reason}`);
    expect(outcome.alert).toMatchObject({ id: 'b2c3d4e5f60718293a4b5c6d7e8f90a1', accessKeyId: 'ASIAFIXTUREGDLEGACY1' });
    // event.id names an alert only on a GuardDuty document.
    expect(await lookup().findAlert('c3d4e5f60718293a4b5c6d7e8f90a1b2')).toBeUndefined();
  });

  it('finds alerts stored under their own id (canonical, Cyren incident)', async () => {
    expect(await lookup().findAlert('stored-canonical-1')).toMatchObject({ id: 'stored-canonical-1' });
    expect(await lookup().findAlert('inc-fixture-0001')).toMatchObject({ incident_id: 'inc-fixture-0001' });
  });

  it('finds Elastic Security alerts by kibana.alert.uuid, a building block among them (never taken for Okta evidence)', async () => {
    expect(await lookup().findAlert(String(kibana['kibana.alert.uuid']))).toMatchObject({ 'kibana.alert.rule.rule_id': '97a8e584-fd3b-421f-9b9d-9c9d9e57e9d7' });
    const bb = await lookup().findAlert('bb-contract-1');
    const outcome = recogniseAlert(bb);
    expect(outcome.kind === 'alert' ? [outcome.alert.type, outcome.alert.id] : outcome.reason).toEqual(['okta.mfa_fatigue', 'bb-contract-1']);
  });

  it('finds nothing for an unknown id', async () => {
    expect(await lookup().findAlert('no-such-alert')).toBeUndefined();
    expect(await lookup().findAlert('a1b2c3d4')).toBeUndefined();
  });
});

describe('alert lookup (Elasticsearch only)', () => {
  it('finds a GuardDuty document by its document id too', async () => {
    const res = await cluster.es.search<Json>({ index: `logs-aws.guardduty-${cluster.namespace}`, size: 10, query: { match_all: {} } });
    const earlier = res.hits.hits.find((h) => h._source?.['@timestamp'] === '2026-11-24T15:02:11.872Z');
    expect(earlier?._id).toBeDefined();
    // The document id names that very document, even though a later update of the finding exists.
    expect(await elastic.findAlert(earlier!._id!)).toMatchObject({ '@timestamp': '2026-11-24T15:02:11.872Z' });
  });
});
