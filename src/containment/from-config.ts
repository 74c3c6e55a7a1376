// Containment as configured: the mode, the approval TTL, the adapters whose credentials are set.
import type { Cluster, Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { ContainmentAuditEvent } from '../audit/audit.js';
import { IamContainment } from './aws-iam.js';
import { CyrenContainment } from './cyren.js';
import { OktaContainment } from './okta.js';
import { ContainmentService } from './service.js';
import { ContainmentStore } from './store.js';
import type { Executors } from './types.js';

export type ContainmentConfig = Pick<
  Config,
  'CONTAINMENT_MODE' | 'CONTAINMENT_APPROVAL_TTL' | 'CONTAINMENT_SINGLE_APPROVER' | 'CONTAINMENT_AWS_REGION' | 'CONTAINMENT_IAM_ENDPOINT' | 'OKTA_ORG_URL' | 'OKTA_API_TOKEN' | 'CYREN_API_URL' | 'CYREN_CLIENT_ID' | 'CYREN_CLIENT_SECRET'
>;

/** Okta and Cyren when their credentials are set; IAM always (the SDK's default credential chain). */
export function executorsFromConfig(cfg: ContainmentConfig): Executors {
  return {
    ...(cfg.OKTA_ORG_URL && cfg.OKTA_API_TOKEN ? { okta_clear_sessions: new OktaContainment({ orgUrl: cfg.OKTA_ORG_URL, token: cfg.OKTA_API_TOKEN }) } : {}),
    aws_revoke_role_sessions: new IamContainment({ region: cfg.CONTAINMENT_AWS_REGION, ...(cfg.CONTAINMENT_IAM_ENDPOINT ? { endpoint: cfg.CONTAINMENT_IAM_ENDPOINT } : {}) }),
    ...(cfg.CYREN_API_URL && cfg.CYREN_CLIENT_ID && cfg.CYREN_CLIENT_SECRET
      ? { cyren_resolve_case: new CyrenContainment({ baseUrl: cfg.CYREN_API_URL, clientId: cfg.CYREN_CLIENT_ID, clientSecret: cfg.CYREN_CLIENT_SECRET }) }
      : {}),
  };
}

export function containmentFromConfig(
  cfg: ContainmentConfig,
  deps: { redis: Redis | Cluster; prefix: string; audit: { containment(e: ContainmentAuditEvent): Promise<void> }; log: (msg: string) => void },
): (isApprover: (userId: string) => Promise<boolean>) => ContainmentService {
  const store = new ContainmentStore(deps.redis, deps.prefix);
  const executors = cfg.CONTAINMENT_MODE === 'live' ? executorsFromConfig(cfg) : {};
  return (isApprover) =>
    new ContainmentService({
      store,
      executors,
      audit: deps.audit,
      isApprover,
      settings: { mode: cfg.CONTAINMENT_MODE, approvalTtlMs: cfg.CONTAINMENT_APPROVAL_TTL, singleApprover: cfg.CONTAINMENT_SINGLE_APPROVER },
      log: deps.log,
    });
}
