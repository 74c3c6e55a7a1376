// A native Okta System Log event whose behaviors contain Velocity=POSITIVE.
import { isObject, ownValue, type JsonObject } from './json.js';
import { getPath, ipRules, optionalText, optionalToken, requiredToken, timeValue } from './fields.js';
import { AlertParseError, type OktaTravelAlert } from './types.js';

export function isOktaEvent(obj: JsonObject): boolean {
  return typeof ownValue(obj, 'eventType') === 'string' && (isObject(ownValue(obj, 'actor')) || isObject(ownValue(obj, 'debugContext')));
}

/** Okta writes behaviors as "{New Geo-Location=NEGATIVE, Velocity=POSITIVE}"; some pipelines split them. */
export function hasPositiveVelocity(behaviors: unknown): boolean {
  if (typeof behaviors === 'string') return /(?:^|[{,\s])Velocity\s*=\s*POSITIVE\b/i.test(behaviors);
  if (isObject(behaviors)) {
    const velocity = ownValue(behaviors, 'Velocity');
    return typeof velocity === 'string' && velocity.toUpperCase() === 'POSITIVE';
  }
  if (Array.isArray(behaviors)) return behaviors.some((b) => typeof b === 'string' && /^velocity$/i.test(b));
  return false;
}

export function isVelocityEvent(obj: JsonObject): boolean {
  return (
    hasPositiveVelocity(getPath(obj, 'debugContext.debugData.behaviors')) ||
    hasPositiveVelocity(getPath(obj, 'debugContext.debugData.risk_behaviors'))
  );
}

export function parseOktaEvent(obj: JsonObject): OktaTravelAlert {
  if (!isVelocityEvent(obj)) {
    throw new AlertParseError('debugContext.debugData.behaviors', 'does not contain Velocity=POSITIVE');
  }
  const userId = optionalToken(obj, 'actor.id');
  const userLogin = optionalToken(obj, 'actor.alternateId');
  if (!userId && !userLogin) throw new AlertParseError('actor.id', 'missing (the event names no user)');
  return {
    type: 'okta.superhuman',
    id: requiredToken(obj, 'uuid'),
    time: timeValue(getPath(obj, 'published'), 'published'),
    title: optionalText(obj, 'displayMessage', 300) ?? 'Okta impossible travel (Velocity)',
    severity: optionalText(obj, 'severity', 40),
    source: 'Okta System Log',
    userId,
    userLogin,
    ip: requiredToken(obj, 'client.ipAddress', ipRules),
    sessionId: optionalToken(obj, 'authenticationContext.externalSessionId'),
    raw: obj,
  };
}

// The ECS readers take the event with its dotted keys already expanded (once per parse, by recogniseAlert).

/** The same event as Elastic's Okta integration stores it (ECS), e.g. looked up by `/triage <id>`. */
export function isOktaEcsEvent(doc: JsonObject): boolean {
  return typeof getPath(doc, 'okta.event_type') === 'string' || (getPath(doc, 'event.dataset') === 'okta.system' && isObject(getPath(doc, 'okta')));
}

export function isVelocityEcsEvent(doc: JsonObject): boolean {
  return hasPositiveVelocity(getPath(doc, 'okta.debug_context.debug_data.behaviors')) || hasPositiveVelocity(getPath(doc, 'okta.debug_context.debug_data.risk_behaviors'));
}

export function parseOktaEcsEvent(doc: JsonObject, raw: JsonObject): OktaTravelAlert {
  if (!isVelocityEcsEvent(doc)) throw new AlertParseError('okta.debug_context.debug_data.behaviors', 'does not contain Velocity=POSITIVE');
  const userId = optionalToken(doc, 'okta.actor.id');
  const userLogin = optionalToken(doc, 'okta.actor.alternate_id');
  if (!userId && !userLogin) throw new AlertParseError('okta.actor.id', 'missing (the event names no user)');
  const ipField = getPath(doc, 'okta.client.ip') !== undefined ? 'okta.client.ip' : 'source.ip';
  return {
    type: 'okta.superhuman',
    id: requiredToken(doc, getPath(doc, 'okta.uuid') !== undefined ? 'okta.uuid' : 'event.id'),
    time: timeValue(getPath(doc, '@timestamp'), '@timestamp'),
    title: optionalText(doc, 'message', 300) ?? 'Okta impossible travel (Velocity)',
    source: 'Okta System Log',
    userId,
    userLogin,
    ip: requiredToken(doc, ipField, ipRules),
    sessionId: optionalToken(doc, 'okta.authentication_context.external_session_id'),
    raw,
  };
}
