import type { NextStepsByVerdict } from '../next-steps-type.js';

export const OKTA_TRAVEL_NEXT_STEPS: NextStepsByVerdict = {
  malicious: [
    "Clear the user's sessions in Okta (People → the user → Clear user sessions).",
    'Reset the password and the MFA factors, then confirm the user by a channel other than e-mail.',
    'Check what the foreign session touched: the apps it signed in to and what it changed.',
  ],
  suspicious: [
    'Ask the user, by phone or chat, whether they signed in from the other place (VPN, travel).',
    "If they did not, clear the user's sessions and reset the password and factors.",
  ],
  benign: ['No action; a VPN or geo-IP error explains it.'],
};
