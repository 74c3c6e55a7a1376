// An Okta System Log event whose behaviors say Velocity=POSITIVE, wherever Okta and Elastic put them:
// - Okta: debugContext.debugData.behaviors ("{New IP=POSITIVE, …, Velocity=POSITIVE}") or
//   debugContext.debugData.logOnlySecurityData (a JSON string: {"behaviors": {"Velocity": "POSITIVE"}, "risk": …});
// - Elastic's okta integration (packages/okta/data_stream/system, ingest_pipeline/*_flattened_debug.yml):
//   okta.debug_context.debug_data.{behaviors, logOnlySecurityData, risk_behaviors} as objects/lists
//   (keys' spaces and dashes made "_"), or the same under okta.debug_context.debug_data.flattened.
import { decodeJson, isObject, ownValue, type JsonObject } from './json.js';
import { firstPath, getPath, ipRules, optionalText, optionalToken, requiredToken, timeValue } from './fields.js';
import { AlertParseError, type OktaTravelAlert } from './types.js';

function isLogEvent(obj: JsonObject): boolean {
  return typeof ownValue(obj, 'eventType') === 'string' && (isObject(ownValue(obj, 'actor')) || isObject(ownValue(obj, 'debugContext')));
}

/**
 * The System Log event in the input: bare (as the System Log API returns it), or in an Okta Log
 * Streaming EventBridge event (`detail`). Event Hook deliveries carry several: see parse.ts.
 */
export function oktaLogEvent(obj: JsonObject): { event: JsonObject; prefix: string } | undefined {
  if (isLogEvent(obj)) return { event: obj, prefix: '' };
  const detail = ownValue(obj, 'detail');
  if (typeof ownValue(obj, 'detail-type') === 'string' && isObject(detail) && isLogEvent(detail)) return { event: detail, prefix: 'detail.' };
  return undefined;
}

/** Behaviors in any of Okta's and Elastic's forms: "{…, Velocity=POSITIVE}", {Velocity: "POSITIVE"}, ["Velocity", …]. */
export function hasPositiveVelocity(behaviors: unknown): boolean {
  if (typeof behaviors === 'string') return /(?:^|[{,\s])Velocity\s*=\s*POSITIVE\b/i.test(behaviors);
  if (isObject(behaviors)) {
    const velocity = ownValue(behaviors, 'Velocity');
    return typeof velocity === 'string' && velocity.toUpperCase() === 'POSITIVE';
  }
  if (Array.isArray(behaviors)) return behaviors.some((b) => typeof b === 'string' && /^velocity$/i.test(b));
  return false;
}

/** logOnlySecurityData: a JSON string from Okta, an object once a pipeline parsed it. */
function securityDataBehaviors(value: unknown, field: string): unknown {
  if (value === undefined || value === null || value === '') return undefined;
  let data: unknown = value;
  if (typeof value === 'string') {
    try {
      data = decodeJson(value);
    } catch (err) {
      if (err instanceof AlertParseError) throw new AlertParseError(field, `is not a JSON object (${err.reason})`);
      throw err;
    }
  }
  if (!isObject(data)) throw new AlertParseError(field, 'is not a JSON object');
  return ownValue(data, 'behaviors');
}

/** Whether debug data (Okta's debugData or Elastic's debug_data) says Velocity=POSITIVE anywhere. */
function debugDataSaysVelocity(debug: unknown, field: string): boolean {
  if (!isObject(debug)) return false;
  if (hasPositiveVelocity(ownValue(debug, 'behaviors')) || hasPositiveVelocity(ownValue(debug, 'risk_behaviors'))) return true;
  return hasPositiveVelocity(securityDataBehaviors(ownValue(debug, 'logOnlySecurityData'), `${field}.logOnlySecurityData`));
}

export function isVelocityEvent(event: JsonObject): boolean {
  return debugDataSaysVelocity(getPath(event, 'debugContext.debugData'), 'debugContext.debugData');
}

export function parseOktaEvent(event: JsonObject, raw: JsonObject): OktaTravelAlert {
  if (!isVelocityEvent(event)) throw new AlertParseError('debugContext.debugData.behaviors', 'does not contain Velocity=POSITIVE');
  const userId = optionalToken(event, 'actor.id');
  const userLogin = optionalToken(event, 'actor.alternateId');
  if (!userId && !userLogin) throw new AlertParseError('actor.id', 'missing (the event names no user)');
  return {
    type: 'okta.superhuman',
    id: requiredToken(event, 'uuid'),
    time: timeValue(getPath(event, 'published'), 'published'),
    title: optionalText(event, 'displayMessage', 300) ?? 'Okta impossible travel (Velocity)',
    severity: optionalText(event, 'severity', 40),
    source: 'Okta System Log',
    userId,
    userLogin,
    ip: requiredToken(event, 'client.ipAddress', ipRules),
    sessionId: optionalToken(event, 'authenticationContext.externalSessionId'),
    raw,
  };
}

// The ECS readers take the event with its dotted keys already expanded (once per parse, by recogniseAlert).

/** The same event as Elastic's Okta integration stores it (ECS), e.g. looked up by `/triage <id>`. */
export function isOktaEcsEvent(doc: JsonObject): boolean {
  return typeof getPath(doc, 'okta.event_type') === 'string' || (getPath(doc, 'event.dataset') === 'okta.system' && isObject(getPath(doc, 'okta')));
}

const ECS_DEBUG = 'okta.debug_context.debug_data';

export function isVelocityEcsEvent(doc: JsonObject): boolean {
  const debug = getPath(doc, ECS_DEBUG);
  // With the integration's "flattened" option the whole debugData is under debug_data.flattened, behaviors split there.
  return debugDataSaysVelocity(debug, ECS_DEBUG) || debugDataSaysVelocity(getPath(debug, 'flattened'), `${ECS_DEBUG}.flattened`);
}

export function parseOktaEcsEvent(doc: JsonObject, raw: JsonObject): OktaTravelAlert {
  if (!isVelocityEcsEvent(doc)) throw new AlertParseError(`${ECS_DEBUG}.behaviors`, 'does not contain Velocity=POSITIVE');
  const userId = optionalToken(doc, 'okta.actor.id');
  const userLogin = optionalToken(doc, 'okta.actor.alternate_id');
  if (!userId && !userLogin) throw new AlertParseError('okta.actor.id', 'missing (the event names no user)');
  const ip = firstPath(doc, ['okta.client.ip', 'source.ip', 'client.ip']);
  return {
    type: 'okta.superhuman',
    id: requiredToken(doc, getPath(doc, 'okta.uuid') !== undefined ? 'okta.uuid' : 'event.id'),
    time: timeValue(getPath(doc, '@timestamp'), '@timestamp'),
    title: optionalText(doc, 'okta.display_message', 300) ?? optionalText(doc, 'message', 300) ?? 'Okta impossible travel (Velocity)',
    severity: optionalText(doc, 'okta.severity', 40),
    source: 'Okta System Log (Elastic)',
    userId,
    userLogin,
    ip: requiredToken(doc, ip?.path ?? 'okta.client.ip', ipRules),
    sessionId: optionalToken(doc, 'okta.authentication_context.external_session_id'),
    raw,
  };
}
