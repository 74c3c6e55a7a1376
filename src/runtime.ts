// Builds the production wiring from validated settings: shared by the Slack app, the workers and the CLI.
import { awsRangesFile, type Config } from './config.js';
import { Audit } from './audit/audit.js';
import type { EngineDeps } from './flows/engine.js';
import { AwsIpRangesFile, type AwsIpRanges } from './enrich/aws-ip-ranges.js';
import { IpClassifier } from './enrich/ip-class.js';
import { createElasticClient } from './evidence/elastic/client.js';
import { keepDomainCoverageFresh } from './evidence/elastic/domain-coverage.js';
import { keepFieldsFresh } from './evidence/elastic/fields.js';
import { indicesFromConfig } from './evidence/indices.js';
import { elasticSources } from './evidence/sources.js';
import { lazyOktaApi } from './evidence/okta-api/lazy.js';
import { configureRuleRoutes } from './flows/rule-routes.js';

/** Long-running processes keep the classifier and rebuild it when the ranges file changes. */
function reloadingClassifier(cfg: Config, file: AwsIpRangesFile): () => Promise<IpClassifier> {
  let built: { ranges: AwsIpRanges; classifier: IpClassifier } | undefined;
  return async () => {
    const ranges = await file.get();
    if (built?.ranges !== ranges) built = { ranges, classifier: new IpClassifier(ranges, cfg.TRUSTED_EGRESS_CIDRS) };
    return built.classifier;
  };
}

export type RuntimeLog = (level: 'info' | 'warn', msg: string) => void;

/** How often the evidence patterns' mappings are read again, off the investigations' path. */
const FIELD_REFRESH_MS = 60_000;

/** `now`: the investigations' clock (the benchmark replays a data set's day); the wall clock otherwise. */
export function productionEngine(cfg: Config, log?: RuntimeLog, { now = () => new Date() }: { now?: () => Date } = {}) {
  configureRuleRoutes(cfg.DETECTION_RULE_FLOWS);
  const es = createElasticClient(cfg);
  const indices = indicesFromConfig(cfg);
  const evidencePatterns = [indices.cloudtrail, indices.okta, indices.proxy, indices.edrProcess, indices.edrFile, indices.edrNetwork, indices.proofpoint, indices.agentSightings, indices.alerts];
  const mappings = keepFieldsFresh(es, evidencePatterns, FIELD_REFRESH_MS, (err) => log?.('warn', `reading the evidence mappings at start failed (asked again on demand): ${String(err).slice(0, 200)}`));
  // Whether network events carry registered domains: asked in the background, so investigations skip their probes.
  const coverage = keepDomainCoverageFresh(es, indices.edrNetwork, FIELD_REFRESH_MS, (err) => log?.('warn', `checking the network events' registered domains failed (each investigation asks): ${String(err).slice(0, 200)}`), () => now().getTime());
  const fields = {
    ready: Promise.all([mappings.ready, coverage.ready]).then(() => undefined),
    stop: () => {
      mappings.stop();
      coverage.stop();
    },
  };
  const ranges = new AwsIpRangesFile(awsRangesFile(cfg), log ? { log } : {});
  const engine: EngineDeps = {
    evidence: elasticSources(es, indices, { agentIp: cfg.AGENT_IP_FIELDS }),
    ipClassifier: reloadingClassifier(cfg, ranges),
    settings: { rareDomainUserThreshold: cfg.RARE_DOMAIN_USER_THRESHOLD, companyCidrs: cfg.COMPANY_IP_CIDRS, now, mfaFatigueMinRejections: cfg.MFA_FATIGUE_MIN_REJECTIONS },
    ...(cfg.OKTA_ORG_URL && cfg.OKTA_API_TOKEN ? { oktaApi: lazyOktaApi({ orgUrl: cfg.OKTA_ORG_URL, token: cfg.OKTA_API_TOKEN }) } : {}),
  };
  // awsRanges: for readiness (a worker without the ranges cannot investigate an AWS alert).
  return { es, indices, engine, fields, awsRanges: () => ranges.get(), audit: new Audit(es, { verdicts: indices.verdicts, dispositions: indices.dispositions }) };
}
