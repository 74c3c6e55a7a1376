// A Cyren Inbox Security alert: threat indicators, message details and attachments.
import { isObject, ownValue, type JsonObject } from './json.js';
import { cappedList, firstPath, getPath, optionalText, optionalToken, timeValue, token, tokenList } from './fields.js';
import { AlertParseError, type EmailAlert } from './types.js';
import { emailIndicators, isHash } from './email-fields.js';

export function isCyren(obj: JsonObject): boolean {
  return Array.isArray(ownValue(obj, 'threat_indicators')) || (isObject(ownValue(obj, 'message_details')) && Object.hasOwn(obj, 'threat_type'));
}

const CLEAN_CLASSES = /^(clean|benign|safe|none|unknown|legitimate)$/i;

export function parseCyren(obj: JsonObject): EmailAlert {
  const idField = firstPath(obj, ['id', 'alert_id', 'incident_id', 'message_details.message_id']);
  if (!idField) throw new AlertParseError('id', 'missing (Cyren alert has no id, alert_id or incident_id)');
  const timeField = firstPath(obj, ['message_details.received_time', 'message_details.received', 'received_time', 'time', 'created_at']);
  const urls: string[] = [];
  const fileNames: string[] = [];
  const hashes: string[] = [];
  const add = (list: string[], v: string) => (list.includes(v) ? undefined : list.push(v));

  cappedList(ownValue(obj, 'threat_indicators'), 'threat_indicators').forEach((ind, i) => {
    const field = `threat_indicators[${i}]`;
    if (!isObject(ind)) throw new AlertParseError(field, 'expected an object with type and value');
    const type = token(ownValue(ind, 'type'), `${field}.type`, { max: 40 }).toLowerCase();
    const value = token(ownValue(ind, 'value'), `${field}.value`, { max: 4096 });
    const subTypeRaw = ownValue(ind, 'subType');
    const subType = typeof subTypeRaw === 'string' ? subTypeRaw.toLowerCase() : '';
    if (type === 'url') add(urls, value);
    else if (type === 'attachment' || type === 'file') {
      if (/hash|sha|md5/.test(subType) || (subType === '' && isHash(value))) add(hashes, value.toLowerCase());
      else add(fileNames, value);
    } else if (type === 'hash') add(hashes, value.toLowerCase());
  });

  cappedList(getPath(obj, 'message_details.urls_classification'), 'message_details.urls_classification').forEach((entry, i) => {
    const field = `message_details.urls_classification[${i}]`;
    if (typeof entry === 'string') return add(urls, token(entry, field, { max: 4096 }));
    if (!isObject(entry)) throw new AlertParseError(field, 'expected an object with url');
    const cls = ownValue(entry, 'classification') ?? ownValue(entry, 'category') ?? ownValue(entry, 'verdict');
    if (typeof cls === 'string' && CLEAN_CLASSES.test(cls)) return;
    const url = ownValue(entry, 'url');
    if (url !== undefined) add(urls, token(url, `${field}.url`, { max: 4096 }));
  });

  cappedList(ownValue(obj, 'attachments'), 'attachments').forEach((att, i) => {
    const field = `attachments[${i}]`;
    if (!isObject(att)) throw new AlertParseError(field, 'expected an object with file_name and file_hash');
    const fileName = ownValue(att, 'file_name');
    const fileHash = ownValue(att, 'file_hash');
    if (fileName !== undefined && fileName !== null) add(fileNames, token(fileName, `${field}.file_name`, { max: 512 }));
    if (fileHash !== undefined && fileHash !== null) add(hashes, token(fileHash, `${field}.file_hash`, { max: 128 }).toLowerCase());
  });

  const recipientsRaw = getPath(obj, 'message_details.recipients') ?? getPath(obj, 'recipients');
  const recipients = Array.isArray(recipientsRaw)
    ? tokenList(recipientsRaw.map((r) => (isObject(r) ? (ownValue(r, 'email') ?? ownValue(r, 'address')) : r)), 'message_details.recipients')
    : tokenList(recipientsRaw, 'message_details.recipients');
  const senderRaw = getPath(obj, 'message_details.sender');
  const mdRaw = ownValue(obj, 'message_details');
  const md = isObject(mdRaw) ? mdRaw : {};
  return {
    type: 'email.malicious',
    id: token(idField.value, idField.path),
    time: timeValue(timeField?.value, timeField?.path ?? 'message_details.received_time'),
    title: `Cyren: ${optionalText(obj, 'threat_type', 80) ?? 'malicious email'}`,
    severity: optionalText(obj, 'confidence', 40),
    source: 'Cyren Inbox Security',
    recipients,
    sender: isObject(senderRaw) ? optionalToken(senderRaw, 'email') : optionalToken(md, 'sender'),
    subject: optionalText(md, 'subject', 500),
    ...emailIndicators({ urls, fileNames, hashes }),
    raw: obj,
  };
}
