// The canonical alert JSON: {"id", "type", "time", ...type's fields}.
import { ownValue, type JsonObject } from './json.js';
import {
  getPath,
  ipRules,
  optionalText,
  optionalToken,
  requiredToken,
  timeValue,
  tokenList,
} from './fields.js';
import { ALERT_TYPES, AlertParseError, type Alert, type AlertType } from './types.js';
import { ACCESS_KEY_RULES, INSTANCE_ID_RULES } from './aws-fields.js';
import { emailIndicators } from './email-fields.js';

export function isCanonical(obj: JsonObject): boolean {
  const type = ownValue(obj, 'type');
  return typeof type === 'string' && (ALERT_TYPES as readonly string[]).includes(type);
}

export function parseCanonical(obj: JsonObject): Alert {
  const type = ownValue(obj, 'type') as AlertType;
  const base = {
    id: requiredToken(obj, 'id'),
    time: timeValue(getPath(obj, 'time'), 'time'),
    title: optionalText(obj, 'title', 300),
    severity: optionalText(obj, 'severity', 40),
    source: optionalText(obj, 'source', 100),
    raw: obj,
  };
  switch (type) {
    case 'aws.instance_credential_exfiltration':
      return {
        ...base,
        type,
        accessKeyId: requiredToken(obj, 'access_key_id', ACCESS_KEY_RULES),
        instanceId: optionalToken(obj, 'instance_id', INSTANCE_ID_RULES),
        accountId: optionalToken(obj, 'account_id', { max: 32 }),
        region: optionalToken(obj, 'region', { max: 32 }),
        instancePublicIps: tokenList(getPath(obj, 'instance_public_ips'), 'instance_public_ips', ipRules),
      };
    case 'okta.superhuman': {
      const userId = optionalToken(obj, 'user_id');
      const userLogin = optionalToken(obj, 'user_login');
      if (!userId && !userLogin) throw new AlertParseError('user_id', 'missing (give user_id or user_login)');
      return {
        ...base,
        type,
        userId,
        userLogin,
        ip: requiredToken(obj, 'ip', ipRules),
        previousIp: optionalToken(obj, 'previous_ip', ipRules),
        sessionId: optionalToken(obj, 'session_id'),
      };
    }
    case 'okta.mfa_fatigue': {
      const userId = optionalToken(obj, 'user_id');
      const userLogin = optionalToken(obj, 'user_login');
      if (!userId && !userLogin) throw new AlertParseError('user_id', 'missing (give user_id or user_login)');
      return { ...base, type, userId, userLogin, trigger: 'canonical alert' };
    }
    case 'email.malicious':
      return {
        ...base,
        type,
        recipients: tokenList(getPath(obj, 'recipients'), 'recipients'),
        sender: optionalToken(obj, 'sender'),
        subject: optionalText(obj, 'subject', 500),
        ...emailIndicators({
          urls: tokenList(getPath(obj, 'urls'), 'urls', { max: 4096 }),
          fileNames: tokenList(getPath(obj, 'file_names'), 'file_names', { max: 512 }),
          hashes: tokenList(getPath(obj, 'hashes'), 'hashes', { max: 128 }),
        }),
      };
  }
}
