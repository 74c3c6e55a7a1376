// Builds the production wiring from validated settings: shared by the Slack app, the workers and the CLI.
import { awsRangesFile, type Config } from './config.js';
import { Audit } from './audit/audit.js';
import type { EngineDeps } from './flows/engine.js';
import { AwsIpRangesFile, type AwsIpRanges } from './enrich/aws-ip-ranges.js';
import { IpClassifier } from './enrich/ip-class.js';
import { createElasticClient } from './evidence/elastic/client.js';
import { indicesFromConfig } from './evidence/indices.js';
import { elasticSources } from './evidence/sources.js';
import { OktaApi } from './evidence/okta-api/api.js';
import { configureDetectionRuleFlows } from './alerts/detection-rules.js';

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

export function productionEngine(cfg: Config, log?: RuntimeLog) {
  configureDetectionRuleFlows(cfg.DETECTION_RULE_FLOWS);
  const es = createElasticClient(cfg);
  const indices = indicesFromConfig(cfg);
  const ranges = new AwsIpRangesFile(awsRangesFile(cfg), log ? { log } : {});
  const engine: EngineDeps = {
    evidence: elasticSources(es, indices, { agentIp: cfg.AGENT_IP_FIELDS }),
    ipClassifier: reloadingClassifier(cfg, ranges),
    settings: { rareDomainUserThreshold: cfg.RARE_DOMAIN_USER_THRESHOLD, companyCidrs: cfg.COMPANY_IP_CIDRS, now: () => new Date(), mfaFatigueMinRejections: cfg.MFA_FATIGUE_MIN_REJECTIONS },
    ...(cfg.OKTA_ORG_URL && cfg.OKTA_API_TOKEN ? { oktaApi: new OktaApi({ orgUrl: cfg.OKTA_ORG_URL, token: cfg.OKTA_API_TOKEN }) } : {}),
  };
  // awsRanges: for readiness (a worker without the ranges cannot investigate an AWS alert).
  return { es, indices, engine, awsRanges: () => ranges.get(), audit: new Audit(es, { verdicts: indices.verdicts, dispositions: indices.dispositions }) };
}
