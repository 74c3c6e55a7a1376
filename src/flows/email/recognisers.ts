// Which inputs the malicious e-mail flow takes (flows.md §3): the canonical alert and Cyren Inbox Security incidents.
import type { EmailAlert } from '../../alerts/types.js';
import { canonicalAlert, type AnyRecogniser } from '../../alerts/shapes.js';
import { parseCyren } from '../../alerts/cyren.js';

export const EMAIL_RECOGNISERS: ReadonlyArray<AnyRecogniser<EmailAlert>> = [canonicalAlert('email.malicious'), { shape: 'cyren-incident', recognise: ({ doc }) => ({ alert: parseCyren(doc) }) }];
