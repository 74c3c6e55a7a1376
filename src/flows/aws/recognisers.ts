// Which inputs the AWS flow takes (flows.md §1): the canonical alert, and GuardDuty's instance-credential
// exfiltration findings as AWS gives them and as Elastic's AWS integration stores them. Other finding types are
// named and skipped.
import type { AwsCredentialAlert } from '../../alerts/types.js';
import { canonicalAlert, type AnyRecogniser } from '../../alerts/shapes.js';
import { findingType, isHandledFindingType, parseGuardDuty } from '../../alerts/guardduty.js';
import { guardDutyEcsType, parseGuardDutyEcs } from '../../alerts/guardduty-ecs.js';

const notHandled = (type: string) => ({ decline: `GuardDuty finding type ${type.slice(0, 100) || '(none)'} is not handled` });

export const AWS_RECOGNISERS: ReadonlyArray<AnyRecogniser<AwsCredentialAlert>> = [
  canonicalAlert('aws.instance_credential_exfiltration'),
  {
    shape: 'guardduty-finding',
    recognise: ({ finding, raw }) => {
      const type = findingType(finding);
      return isHandledFindingType(type) ? { alert: parseGuardDuty(finding, raw) } : notHandled(type);
    },
  },
  {
    shape: 'guardduty-ecs',
    recognise: ({ doc, raw }) => {
      const type = guardDutyEcsType(doc);
      return isHandledFindingType(type) ? { alert: parseGuardDutyEcs(doc, raw) } : notHandled(type);
    },
  },
];
