// The malicious e-mail flow's containment: resolve the Cyren case as phishing, by Cyren's own case id as its API
// gave it in the incident the alert is (the vendor's id, not free text of the alert).
import { CYREN_SOURCE } from '../../alerts/cyren.js';
import { own, record, str, type ContainmentPlanner } from '../containment.js';

const CYREN_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export const planEmailContainment: ContainmentPlanner = (_facts, alert) => {
  if (!alert || alert.type !== 'email.malicious' || alert.source !== CYREN_SOURCE) return { refused: 'only Cyren Inbox Security incidents can be remediated from here' };
  const raw = record(alert.raw);
  const caseId = str(raw && own(raw, 'case_id'));
  if (!caseId || !CYREN_ID.test(caseId)) return { refused: 'the Cyren incident carries no usable case_id' };
  return {
    plan: {
      target: { kind: 'cyren_resolve_case', caseId, incidentId: alert.id },
      action: 'Resolve the Cyren case as phishing and soft-delete the message from every mailbox it reached',
      apiCall: `PATCH /v1/cases/${caseId}/resolution {"resolution":"phishing","resolution_reason":"Identified phishing URL","actions":["SOFT_DELETE"]}`,
      targetFrom: 'case_id of the Cyren incident, as Cyren’s API gave it',
      consequence: 'The message is moved out of the recipients’ inboxes (recoverable from their deleted items).',
      undoable: false,
    },
  };
};
