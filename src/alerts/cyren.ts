// A Cyren Inbox Security incident as Cyren's API returns it (GET /v1/incidents, each item of `data`),
// the shape of demisto/content Packs/CyrenInboxSecurity (test_data/sample-incidents.json):
// incident_id, threat_type, confidence, created_at (epoch seconds), message_details {received_datetime,
// targeted_employee, to/cc/bcc recipients, sender, from, email_subject, urls_classification, attachments},
// threat_indicators [{type: url | attachment, subType, value, attachment {file_name, file_hash}}].
import { isObject, ownValue, type JsonObject } from './json.js';
import { cappedList, cleanText, describe, getPath, MAX_LIST, optionalText, optionalToken, requiredToken, timeValue, token } from './fields.js';
import { AlertParseError, type EmailAlert, type SkippedIndicator } from './types.js';
import { emailIndicators, isHash } from './email-fields.js';

export function isCyren(obj: JsonObject): boolean {
  return (
    Array.isArray(ownValue(obj, 'threat_indicators')) ||
    (isObject(ownValue(obj, 'message_details')) && (Object.hasOwn(obj, 'threat_type') || Object.hasOwn(obj, 'incident_id')))
  );
}

/** The `source` of every alert read from a Cyren incident (containment remediates only those). */
export const CYREN_SOURCE = 'Cyren Inbox Security';

const CLEAN_CLASSES = /^(clean|benign|safe|none|unknown|legitimate)$/i;
const RECIPIENT_LISTS = ['to_recipients', 'to_cc_recipients', 'to_bcc_recipients'] as const;

/** Indicators gathered from every part of the incident, each once; invalid hashes set aside by name. */
class Indicators {
  readonly urls: string[] = [];
  readonly fileNames: string[] = [];
  readonly hashes: string[] = [];
  readonly skipped: SkippedIndicator[] = [];

  url(value: unknown, field: string): void {
    add(this.urls, token(value, field, { max: 4096 }));
  }

  fileName(value: unknown, field: string): void {
    if (value === undefined || value === null || value === '') return;
    add(this.fileNames, token(value, field, { max: 512 }));
  }

  /** A hash of no known length (Cyren's own sample says "hash") is skipped and named, not fatal. */
  hash(value: unknown, field: string): void {
    if (value === undefined || value === null || value === '') return;
    if (typeof value !== 'string') throw new AlertParseError(field, `expected a string, got ${describe(value)}`);
    const v = value.trim();
    if (isHash(v)) add(this.hashes, v.toLowerCase());
    else this.skipped.push({ field, value: cleanText(v, 100), reason: 'not an MD5, SHA-1 or SHA-256 hex digest' });
  }
}

function add(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

function readThreatIndicators(obj: JsonObject, found: Indicators): void {
  cappedList(ownValue(obj, 'threat_indicators'), 'threat_indicators').forEach((ind, i) => {
    const field = `threat_indicators[${i}]`;
    if (!isObject(ind)) throw new AlertParseError(field, 'expected an object with type and value');
    const type = token(ownValue(ind, 'type'), `${field}.type`, { max: 40 }).toLowerCase();
    const subTypeRaw = ownValue(ind, 'subType');
    const subType = typeof subTypeRaw === 'string' ? subTypeRaw.toLowerCase() : '';
    const value = ownValue(ind, 'value');
    if (type === 'url') return found.url(value, `${field}.value`);
    if (type !== 'attachment') {
      found.skipped.push({ field: `${field}.type`, value: cleanText(type, 40), reason: 'not an indicator type this flow investigates (url, attachment)' });
      return;
    }
    // subType says what the value is: "attachment_hash" a hash; otherwise a hash only if it looks like one.
    if (/hash|sha|md5/.test(subType)) found.hash(value, `${field}.value`);
    else if (typeof value === 'string' && isHash(value.trim())) found.hash(value, `${field}.value`);
    else found.fileName(value, `${field}.value`);
    const attachment = ownValue(ind, 'attachment');
    if (attachment === undefined || attachment === null) return;
    if (!isObject(attachment)) throw new AlertParseError(`${field}.attachment`, 'expected an object with file_name and file_hash');
    found.fileName(ownValue(attachment, 'file_name'), `${field}.attachment.file_name`);
    found.hash(ownValue(attachment, 'file_hash'), `${field}.attachment.file_hash`);
  });
}

function readMessageDetails(md: JsonObject, found: Indicators): void {
  const classified = 'message_details.urls_classification';
  cappedList(ownValue(md, 'urls_classification'), classified).forEach((entry, i) => {
    const field = `${classified}[${i}]`;
    if (!isObject(entry)) throw new AlertParseError(field, 'expected an object with url');
    const cls = ownValue(entry, 'classification') ?? ownValue(entry, 'classification_type');
    if (typeof cls === 'string' && CLEAN_CLASSES.test(cls)) return;
    const url = ownValue(entry, 'url');
    if (url !== undefined && url !== null) found.url(url, `${field}.url`);
  });
  const attachments = 'message_details.attachments';
  cappedList(ownValue(md, 'attachments'), attachments).forEach((att, i) => {
    const field = `${attachments}[${i}]`;
    if (!isObject(att)) throw new AlertParseError(field, 'expected an object with file_name and file_hash');
    found.fileName(ownValue(att, 'file_name'), `${field}.file_name`);
    found.hash(ownValue(att, 'file_hash'), `${field}.file_hash`);
  });
}

/** The targeted employee and the To, Cc and Bcc recipients, each address once; more than the cap refuse the incident. */
function recipients(obj: JsonObject, md: JsonObject): string[] {
  const out: string[] = [];
  const target = optionalToken(obj, 'message_details.targeted_employee.address');
  if (target) out.push(target);
  for (const list of RECIPIENT_LISTS) {
    const field = `message_details.${list}`;
    cappedList(ownValue(md, list), field).forEach((r, i) => {
      if (!isObject(r)) throw new AlertParseError(`${field}[${i}]`, 'expected an object with address');
      const address = ownValue(r, 'address');
      if (address !== undefined && address !== null && address !== '') add(out, token(address, `${field}[${i}].address`));
    });
  }
  if (out.length > MAX_LIST) throw new AlertParseError('message_details', `more than ${MAX_LIST} recipients in all`);
  return out;
}

export function parseCyren(obj: JsonObject): EmailAlert {
  const id = requiredToken(obj, 'incident_id');
  const mdRaw = ownValue(obj, 'message_details');
  if (!isObject(mdRaw)) throw new AlertParseError('message_details', mdRaw === undefined ? 'missing' : `expected an object, got ${describe(mdRaw)}`);
  // T is the delivery time; created_at (epoch seconds) is when Cyren opened the incident, later.
  const time = timeValue(getPath(obj, 'message_details.received_datetime'), 'message_details.received_datetime');
  const found = new Indicators();
  readThreatIndicators(obj, found);
  readMessageDetails(mdRaw, found);
  const threat = optionalText(obj, 'threat_type', 80);
  return {
    type: 'email.malicious',
    id,
    time,
    title: `Cyren: ${threat ?? 'malicious email'}`,
    severity: optionalText(obj, 'confidence', 40),
    source: CYREN_SOURCE,
    recipients: recipients(obj, mdRaw),
    sender: optionalToken(obj, 'message_details.sender.address') ?? optionalToken(obj, 'message_details.from.address'),
    subject: optionalText(obj, 'message_details.email_subject', 500),
    ...emailIndicators({ urls: found.urls, fileNames: found.fileNames, hashes: found.hashes }),
    skippedIndicators: found.skipped,
    raw: obj,
  };
}
