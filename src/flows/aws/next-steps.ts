import type { NextStepsByVerdict } from '../next-steps-type.js';

export const AWS_NEXT_STEPS: NextStepsByVerdict = {
  malicious: [
    "Revoke the role's active sessions (IAM → the role → Revoke active sessions): the stolen keys stop working.",
    'Find how the instance was entered (IMDS access, SSRF in its web apps, a shell on it) and isolate it.',
    'Review every call the foreign address made with these keys (key facts), and undo what it changed.',
  ],
  suspicious: [
    'Ask the instance owner whether the address is theirs (a NAT, a build runner, a partner).',
    'Review the calls the foreign address made; revoke the role sessions if any were not expected.',
  ],
  benign: ['No action; if this keeps firing for the same instance, suppress similar alerts with a reason.'],
};
