import type { NextStepsByVerdict } from '../next-steps-type.js';

export const EMAIL_NEXT_STEPS: NextStepsByVerdict = {
  malicious: [
    'Purge the message from every mailbox that received it.',
    'Block the URL and the attachment hash at the proxy, the mail gateway and the EDR.',
    "Reset the credentials of the users who clicked or opened it, and check their devices.",
  ],
  suspicious: [
    'Quarantine the message while you check the URL or attachment in a sandbox.',
    'Ask the users who clicked what they saw and whether they entered credentials.',
  ],
  benign: ['No action; release the message if it was quarantined.'],
};
