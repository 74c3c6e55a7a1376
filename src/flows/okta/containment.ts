// The Okta impossible-travel flow's containment: clear the sessions of the user the alerting sign-in's System Log
// event names (session B's actor.id), when nothing in the evidence says otherwise.
import { factsUserId, OKTA_ID, oktaClearSessions, own, record, str, type ContainmentPlanner } from '../containment.js';

export const planOktaTravelContainment: ContainmentPlanner = (facts) => {
  const b = record(own(facts, 'session_b'));
  const a = record(own(facts, 'session_a'));
  const actor = str(b && own(b, 'actor_id'));
  if (!actor) return { refused: 'the alerting sign-in in the System Log names no Okta user id: there is no target from the evidence' };
  if (!OKTA_ID.test(actor)) return { refused: 'the Okta user id in the System Log is not an Okta id' };
  const other = str(a && own(a, 'actor_id'));
  if (other && other !== actor) return { refused: 'the two sessions’ System Log events name different Okta users: the target is ambiguous' };
  const userId = factsUserId(facts);
  if (userId && userId !== actor) return { refused: 'the alert’s user differs from the user the System Log shows signing in: the target is ambiguous' };
  return { plan: oktaClearSessions(actor, 'actor.id of the alerting sign-in in the Okta System Log') };
};
