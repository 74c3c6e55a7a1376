// Index templates for every evidence dataset: the field types evidence-schema.md states.
// They work on a minimal cluster (plain indices, keyword + case-insensitive wildcard queries)
// and, where data streams exist, make the logs-* targets data streams like Elastic's integrations do.
import type { Client } from '@elastic/elasticsearch';
import { date, disabled, DYNAMIC_STRINGS_AS_KEYWORD, kw, props, type Mapping } from './mappings.js';
import { installOwnTemplates } from './own-templates.js';
import { PROOFPOINT_DATASET_FIELDS } from './proofpoint-template.js';
import { IGNORE_DYNAMIC_BEYOND_LIMIT, supportsIgnoreDynamicBeyondLimit } from './field-budget.js';

const longKw = { type: 'keyword', ignore_above: 8191 };
const ip = { type: 'ip' };
const flattened = { type: 'flattened' };
/**
 * Unsigned 64-bit numbers (Elastic Defend's): `unsigned_long` where the cluster has that type, else
 * `keyword` (exact digits, matched by term). Resolved when the templates are installed.
 */
const UNSIGNED = Symbol('unsigned 64-bit');
type FieldMapping = Mapping | typeof UNSIGNED;

const COMMON: Record<string, Mapping> = {
  '@timestamp': date,
  'data_stream.type': kw,
  'data_stream.dataset': kw,
  'data_stream.namespace': kw,
  'event.dataset': kw,
  'event.action': kw,
  'event.category': kw,
  'event.type': kw,
  'event.outcome': kw,
  'event.provider': kw,
  'event.kind': kw,
  'event.id': kw,
  'source.ip': ip,
  'source.address': kw,
  'destination.ip': ip,
  'destination.address': kw,
  'destination.domain': kw,
  'destination.registered_domain': kw,
  'client.ip': ip,
  // A device's own egress address as a proxy records it (flows.md O1): searched as IPs.
  'source.nat.ip': ip,
  'client.nat.ip': ip,
  'source.user.name': kw,
  'client.geo.location': { type: 'geo_point' },
  'client.geo.city_name': kw,
  'client.geo.country_iso_code': kw,
  'client.geo.country_name': kw,
  'related.ip': ip,
  'related.user': kw,
  'related.hosts': kw,
  'user.id': kw,
  'user.name': kw,
  'user.email': kw,
  'host.name': kw,
  'host.hostname': kw,
  'host.ip': ip,
  'user_agent.original': longKw,
  'cloud.account.id': kw,
  'cloud.region': kw,
  'message': { type: 'text' },
};

/** Dataset → the fields its flows read (and those Elastic's integration maps so its documents always fit), beyond the common ones. */
export const DATASET_FIELDS: Record<string, Record<string, FieldMapping>> = {
  'aws.cloudtrail': {
    'aws.cloudtrail.user_identity.access_key_id': kw,
    'aws.cloudtrail.user_identity.type': kw,
    'aws.cloudtrail.user_identity.arn': kw,
    'aws.cloudtrail.user_identity.session_context.session_issuer.arn': kw,
    'aws.cloudtrail.request_parameters': longKw,
    'aws.cloudtrail.response_elements': longKw,
    'aws.cloudtrail.error_code': kw,
    'aws.cloudtrail.additional_eventdata': longKw,
    'aws.cloudtrail.service_event_details': longKw,
    // As Elastic's integration maps them: one field per object whose leaves are all searchable (a term on the
    // root matches any leaf), so a call can be asked for by the instances and IPs it names. The other four are
    // free-form objects whose shapes differ by event: mapped field by field they would collide.
    'aws.cloudtrail.flattened.request_parameters': flattened,
    'aws.cloudtrail.flattened.response_elements': flattened,
    'aws.cloudtrail.flattened.additional_eventdata': flattened,
    'aws.cloudtrail.flattened.service_event_details': flattened,
    'aws.cloudtrail.flattened.digest': flattened,
    'aws.cloudtrail.flattened.insight_details': flattened,
  },
  'okta.system': {
    'okta.uuid': kw,
    'okta.event_type': kw,
    'okta.actor.id': kw,
    'okta.actor.alternate_id': kw,
    'okta.client.ip': ip,
    'okta.client.user_agent.raw_user_agent': longKw,
    'okta.outcome.result': kw,
    'okta.outcome.reason': kw,
    'okta.authentication_context.external_session_id': kw,
    'okta.debug_context.debug_data.device_fingerprint': kw,
    // Okta's raw "{…=POSITIVE}" string or a split object: either shape is accepted, read from _source.
    'okta.debug_context.debug_data.behaviors': disabled,
    // A JSON string, or the object Elastic's pipeline parses it into; "{level=LOW}" or {level: LOW}: read from _source.
    'okta.debug_context.debug_data.logOnlySecurityData': disabled,
    'okta.debug_context.debug_data.risk': disabled,
    'okta.debug_context.debug_data.flattened': flattened,
    'okta.request.ip_chain': flattened,
    'okta.device.device_integrator': flattened,
    'okta.debug_context.debug_data.risk_behaviors': kw,
    'okta.debug_context.debug_data.factor': kw,
    'okta.security_context.is_proxy': { type: 'boolean' },
    'okta.security_context.as.organization.name': kw,
  },
  'zscaler_zia.web': {
    'zscaler_zia.web.device.hostname': kw,
    'url.full': longKw,
    'url.original': longKw,
    'url.domain': kw,
    'url.registered_domain': kw,
  },
  'endpoint.events.process': {
    'process.name': kw,
    'process.executable': longKw,
    // Exact, case-insensitive "contains" runs as a case_insensitive wildcard query on this keyword.
    'process.command_line': { type: 'keyword', ignore_above: 8191, fields: { text: { type: 'text' } } },
    'process.args': longKw,
    'process.hash.sha256': kw,
    'process.hash.sha1': kw,
    'process.hash.md5': kw,
    // Unsigned 64-bit in elastic/endpoint-package (process fields.yml).
    'process.Ext.dll.Ext.mapped_address': UNSIGNED,
    'process.Ext.dll.Ext.mapped_size': UNSIGNED,
    'process.Ext.session_info.id': UNSIGNED,
    'process.parent.thread.Ext.call_stack.allocation_private_bytes': UNSIGNED,
  },
  'endpoint.events.file': {
    'file.name': kw,
    'file.path': longKw,
    'file.hash.sha256': kw,
    'file.hash.sha1': kw,
    'file.hash.md5': kw,
    // Unsigned 64-bit in elastic/endpoint-package (file fields.yml).
    'file.Ext.monotonic_id': UNSIGNED,
    'process.thread.Ext.call_stack.allocation_private_bytes': UNSIGNED,
  },
  'endpoint.events.network': {
    'dns.question.name': kw,
    'dns.question.registered_domain': kw,
    'url.domain': kw,
    'url.registered_domain': kw,
    // DNS options are a uint64: the package maps them as keyword "to avoid overflows".
    'dns.Ext.options': kw,
  },
  // Proofpoint TAP clicks, permitted and blocked (optional e-mail evidence).
  ...PROOFPOINT_DATASET_FIELDS,
  // Company-managed Macs (agent sightings: host.ip is the address the Mac reported).
  'jamf_pro.events': {},
  'jamf_pro.inventory': {},
};

export const EVIDENCE_DATASETS = Object.keys(DATASET_FIELDS);

/**
 * Evidence indices: a value that does not fit the type a field got from an earlier document (a number beyond
 * `long`, a date-like string followed by free text) is kept in _source and left unindexed, never a rejected
 * document. Fields the templates name keep their strict types.
 */
const DYNAMIC_EVIDENCE = [
  { longs_tolerant: { match_mapping_type: 'long', mapping: { type: 'long', ignore_malformed: true } } },
  { doubles_tolerant: { match_mapping_type: 'double', mapping: { type: 'float', ignore_malformed: true } } },
  { dates_tolerant: { match_mapping_type: 'date', mapping: { type: 'date', ignore_malformed: true } } },
  ...DYNAMIC_STRINGS_AS_KEYWORD,
];

/** Does the cluster know a field type? (The integration-test distribution lacks x-pack's unsigned_long.) */
export async function supportsFieldType(es: Client, type: string): Promise<boolean> {
  try {
    // Simulated: validates the mapping without creating anything.
    await es.indices.simulateTemplate({ index_patterns: ['triage-probe-field-type-*'], template: { mappings: { properties: { probe: { type } } } } } as Parameters<Client['indices']['simulateTemplate']>[0]);
    return true;
  } catch (err) {
    if (JSON.stringify((err as { meta?: { body?: unknown } }).meta?.body ?? '').includes(`mapper type [${type}]`)) return false;
    throw err;
  }
}

function resolveUnsigned(fields: Record<string, FieldMapping>, unsigned: Mapping): Record<string, Mapping> {
  return Object.fromEntries(Object.entries(fields).map(([f, m]) => [f, m === UNSIGNED ? unsigned : m]));
}

async function supportsDataStreams(es: Client): Promise<boolean> {
  try {
    await es.indices.getDataStream({ name: '*' });
    return true;
  } catch {
    return false;
  }
}

export interface TemplateOptions {
  /** Index name prefix for the product's own records (tests isolate themselves with it). */
  ownIndices?: { alerts: string; verdicts: string; dispositions: string };
  /**
   * Templates for one namespace only (`logs-<dataset>-<namespace>*`, one step above the general ones): a test
   * suite on a cluster other checkouts share keeps these definitions whatever version of the general ones
   * another installed last.
   */
  namespace?: string;
}

/** Installs (or updates) every template; idempotent. */
export async function installTemplates(es: Client, opts: TemplateOptions = {}): Promise<{ dataStreams: boolean; unsignedLong: boolean; installed: string[] }> {
  const [dataStreams, unsignedLong, ignoreBeyond] = await Promise.all([supportsDataStreams(es), supportsFieldType(es, 'unsigned_long'), supportsIgnoreDynamicBeyondLimit(es)]);
  const unsigned: Mapping = unsignedLong ? { type: 'unsigned_long' } : kw;
  const installed: string[] = [];
  for (const [dataset, declared] of Object.entries(DATASET_FIELDS)) {
    const fields = resolveUnsigned(declared, unsigned);
    const name = `triage-logs-${dataset}${opts.namespace ? `-${opts.namespace}` : ''}`;
    await es.indices.putIndexTemplate({
      name,
      index_patterns: [`logs-${dataset}-${opts.namespace ? `${opts.namespace}*` : '*'}`],
      // Above the stack's generic logs-*-* (100), below integration packages (200), which know their data best.
      priority: opts.namespace ? 151 : 150,
      ...(dataStreams ? { data_stream: {} } : {}),
      template: {
        // Junk fields beyond the index's limit are kept in _source, not indexed, rather than refusing documents (field-budget.ts).
        settings: { number_of_replicas: 0, ...(ignoreBeyond ? { [IGNORE_DYNAMIC_BEYOND_LIMIT]: true } : {}) },
        mappings: { dynamic_templates: DYNAMIC_EVIDENCE, properties: props({ ...COMMON, ...fields }) },
      },
      _meta: { managed_by: 'soc-triage-bot' },
    } as Parameters<Client['indices']['putIndexTemplate']>[0]);
    installed.push(name);
  }
  const own = opts.ownIndices ?? (opts.namespace ? undefined : { alerts: 'triage-alerts', verdicts: 'triage-verdicts', dispositions: 'triage-dispositions' });
  if (own) installed.push(...(await installOwnTemplates(es, own)));
  return { dataStreams, unsignedLong, installed };
}
