// Elastic Security alerts (`.alerts-security.alerts-*`): a detection rule's alert, routed to a flow by its rule id
// (src/flows/rule-routes.ts: the flows that take such alerts declare their rule ids). Kibana writes `kibana.alert.*` as dotted keys; readers here take the expanded document.
// For an EQL sequence the alert carries the fields of its `by` clause (`okta.actor.id` for Elastic's
// push-bombing rule), a building-block alert the whole source event.
import { isObject, type JsonObject } from './json.js';
import { describe, getPath, optionalText, optionalToken, requiredToken, timeValue, token } from './fields.js';
import { AlertParseError, type OktaMfaFatigueAlert } from './types.js';

export function isKibanaAlert(doc: JsonObject): boolean {
  return isObject(getPath(doc, 'kibana.alert'));
}

/**
 * Whether a document as it came (dotted keys not expanded) may be one: Kibana writes `kibana.alert.uuid`, nested
 * forms have `kibana`. Looked up by name, never by listing the keys: a document is expanded (listed) once.
 */
export const mentionsKibana = (value: JsonObject): boolean => ['kibana', 'kibana.alert', 'kibana.alert.uuid'].some((k) => Object.hasOwn(value, k));

/** The rule id: `kibana.alert.rule.rule_id`, else `kibana.alert.rule.parameters.rule_id`. */
export function kibanaRuleId(doc: JsonObject): string | undefined {
  for (const path of ['kibana.alert.rule.rule_id', 'kibana.alert.rule.parameters.rule_id']) {
    const v = getPath(doc, path);
    if (v !== undefined && v !== null && v !== '') return token(v, path, { max: 128 });
  }
  return undefined;
}

/** A field that an alert may carry once or as a list of one value (merged from a sequence's events). */
function single(doc: JsonObject, path: string): string | undefined {
  const v = getPath(doc, path);
  if (!Array.isArray(v)) return optionalToken(doc, path);
  const values = [...new Set(v.map((x, i) => token(x, `${path}[${i}]`)))];
  if (values.length > 1) throw new AlertParseError(path, `names ${values.length} different values, expected one`);
  return values[0];
}

/** The user (`user.email`, else `okta.actor.alternate_id`, and `okta.actor.id`) and T of the push-bombing rule's alert. */
export function parseKibanaMfaAlert(doc: JsonObject, raw: JsonObject, ruleId: string): OktaMfaFatigueAlert {
  const userLogin = single(doc, 'user.email') ?? single(doc, 'okta.actor.alternate_id');
  const userId = single(doc, 'okta.actor.id');
  if (!userLogin && !userId) throw new AlertParseError('user.email', 'missing (neither user.email nor okta.actor.alternate_id nor okta.actor.id names the user)');
  const original = getPath(doc, 'kibana.alert.original_time');
  const name = optionalText(doc, 'kibana.alert.rule.name', 300);
  const severity = getPath(doc, 'kibana.alert.severity');
  if (severity !== undefined && typeof severity !== 'string') throw new AlertParseError('kibana.alert.severity', `expected a string, got ${describe(severity)}`);
  return {
    type: 'okta.mfa_fatigue',
    id: requiredToken(doc, 'kibana.alert.uuid'),
    time: original !== undefined && original !== null && original !== '' ? timeValue(original, 'kibana.alert.original_time') : timeValue(getPath(doc, '@timestamp'), '@timestamp'),
    title: name ?? 'Okta MFA push bombing (Elastic Security)',
    severity: optionalText(doc, 'kibana.alert.severity', 40),
    source: 'Elastic Security',
    userId,
    userLogin,
    trigger: `Elastic Security rule ${ruleId}${name ? ` (${name})` : ''}`,
    raw,
  };
}
