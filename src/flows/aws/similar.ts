// Similar AWS alerts: the same instance, else the same role, else the same access key.
import type { AwsCredentialAlert } from '../../alerts/types.js';
import { fact, text, type Similarity } from '../similarity.js';

export function awsSimilarity(alert: AwsCredentialAlert, facts: Record<string, unknown>): Similarity {
  const instance = text(fact(facts, 'instance_id')) ?? alert.instanceId;
  if (instance) return { kind: 'instance', parts: [instance] };
  const role = text(fact(facts, 'role_arn'));
  if (role) return { kind: 'role', parts: [role] };
  return { kind: 'access key', parts: [alert.accessKeyId] };
}
