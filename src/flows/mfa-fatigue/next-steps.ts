import type { NextStepsByVerdict } from '../next-steps-type.js';

export const MFA_FATIGUE_NEXT_STEPS: NextStepsByVerdict = {
  malicious: [
    "Clear the user's sessions, reset the password and the MFA factors: the password is known to someone else.",
    'Check what the approved session touched, and block the requesting address.',
  ],
  suspicious: [
    'Ask the user whether they expected the pushes; reset the password if they did not.',
    'Consider number matching for Okta Verify so a push cannot be approved blindly.',
  ],
  benign: ['No action; the pushes came from the user themself.'],
};
