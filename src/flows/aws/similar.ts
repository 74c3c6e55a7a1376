// Similar AWS alerts: the same instance, else the same role, else the same access key.
import type { AwsCredentialAlert } from '../../alerts/types.js';
import { text, type Similarity } from '../similarity.js';
import type { AwsFacts } from './verdict-facts.js';

export function awsSimilarity(alert: AwsCredentialAlert, facts: AwsFacts | undefined): Similarity {
  const instance = text(facts?.instance_id) ?? alert.instanceId;
  if (instance) return { kind: 'instance', parts: [instance] };
  const role = text(facts?.role_arn);
  if (role) return { kind: 'role', parts: [role] };
  return { kind: 'access key', parts: [alert.accessKeyId] };
}
