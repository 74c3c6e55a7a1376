// Which inputs the Okta impossible-travel flow takes (flows.md §2): the canonical alert, and an Okta System Log
// event whose behaviours say Velocity=POSITIVE — as Okta gives it and as Elastic's Okta integration stores it.
// Another Okta event is named and skipped (unless a flow claiming its event type takes it first).
import type { OktaTravelAlert } from '../../alerts/types.js';
import { canonicalAlert, type AnyRecogniser } from '../../alerts/shapes.js';
import { isOktaEcsEvent, isVelocityEcsEvent, isVelocityEvent, parseOktaEcsEvent, parseOktaEvent } from '../../alerts/okta.js';

const NO_VELOCITY = { decline: 'Okta event without Velocity=POSITIVE' };

export const OKTA_TRAVEL_RECOGNISERS: ReadonlyArray<AnyRecogniser<OktaTravelAlert>> = [
  canonicalAlert('okta.superhuman'),
  { shape: 'okta-event', recognise: ({ event, raw }) => (isVelocityEvent(event) ? { alert: parseOktaEvent(event, raw) } : NO_VELOCITY) },
  {
    shape: 'okta-ecs',
    recognise: ({ doc, raw }) => {
      if (!isOktaEcsEvent(doc)) return undefined;
      return isVelocityEcsEvent(doc) ? { alert: parseOktaEcsEvent(doc, raw) } : NO_VELOCITY;
    },
  },
];
