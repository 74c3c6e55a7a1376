// The MFA push fatigue flow's containment: clear the sessions of the one user the System Log's push, rejection,
// approval and report events name as actor.
import { factsUserId, OKTA_ID, oktaClearSessions, own, type ContainmentPlanner } from '../containment.js';

export const planMfaFatigueContainment: ContainmentPlanner = (facts) => {
  const ids = own(facts, 'actor_ids');
  const list = Array.isArray(ids) ? ids.filter((i): i is string => typeof i === 'string') : [];
  if (list.length === 0) return { refused: 'the MFA events in the System Log name no Okta user id: there is no target from the evidence' };
  if (list.length > 1) return { refused: `the MFA events in the System Log name ${list.length} Okta users: the target is ambiguous` };
  const actor = list[0]!;
  if (!OKTA_ID.test(actor)) return { refused: 'the Okta user id in the System Log is not an Okta id' };
  const userId = factsUserId(facts);
  if (userId && userId !== actor) return { refused: 'the alert’s user differs from the user the System Log’s MFA events name: the target is ambiguous' };
  return { plan: oktaClearSessions(actor, 'actor.id of the user’s MFA push events in the Okta System Log') };
};
