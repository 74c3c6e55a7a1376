// Values an attacker can influence (alert fields, evidence) reach Slack only as rich_text `text` elements or
// plain_text: Slack parses neither as mrkdwn, so `*bold*`, `<!channel>` and fake verdict lines stay inert.
// Each value is one line, cut to a bound, and its indicators are defanged so Slack never links them.
import { cut } from './escape.js';

type Style = { bold?: boolean; italic?: boolean; code?: boolean };
/** A time Slack shows in each reader's own time zone (rich text's date element); `fallback` for clients that cannot. */
export type DateSpan = { type: 'date'; timestamp: number; format: string; fallback: string };
/** A link of ours (never an alert's URL), with our own words as its text. */
export type LinkSpan = { type: 'link'; url: string; text: string };
export type Span = { type: 'text'; text: string; style?: Style } | { type: 'emoji'; name: string } | { type: 'user'; user_id: string } | DateSpan | LinkSpan;
export type RichTextBlock = { type: 'rich_text'; block_id?: string; elements: Array<{ type: 'rich_text_section'; elements: Span[] }> };
export type PlainText = { type: 'plain_text'; text: string; emoji: false };

// Line breaks become spaces (a value can never start a line of its own); other C0/C1 controls and bidi
// overrides go (no reversed text, and no 6-character JSON escapes that blow Slack's size limit).
const LINE_BREAKS = /[\r\n\t\v\f\u0085\u2028\u2029]+/g;
const INVISIBLE = /[\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** One line, nothing invisible. */
export function oneLine(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(INVISIBLE, '');
}

const IPV4 = /(?<![\w.\/])(\d{1,3}(?:\.\d{1,3}){3})(?![\w]|\.\d)/g;
// Full stops of other scripts that browsers and Slack treat as dots in host names (。．｡).
const ODD_DOTS = /[\u3002\uFF0E\uFF61]/g;
// A host name whose last label starts with a letter, in any script (evil.com, invoice.zip, пример.рф): what Slack would link.
const HOSTNAME = /(?<![\p{L}\p{N}_-])((?:[\p{L}\p{N}_][\p{L}\p{N}_-]*\.)+\p{L}[\p{L}\p{N}-]*)(?![\p{L}\p{N}_-])/gu;
const EMAIL_AT = /([\p{L}\p{N}_.+-])@(?=[\p{L}\p{N}-]+(?:\[\.\]|\.))/gu;

/** hxxps://evil[.]com, 198[.]51[.]100[.]7, user[@]example[.]com: readable, never a link. */
export function defang(text: string): string {
  return text
    .replace(/\bh(tt|xx)p(s?):\/\//gi, (_m, _t: string, s: string) => `hxxp${s}://`)
    .replace(/\bftp:\/\//gi, 'fxp://')
    .replace(ODD_DOTS, '[.]')
    .replace(IPV4, (ip: string) => ip.replace(/\./g, '[.]'))
    .replace(HOSTNAME, (host: string) => host.replace(/\./g, '[.]'))
    .replace(EMAIL_AT, '$1[@]');
}

/** An attacker-influenced value as Slack may show it: one line, bounded (before defanging, so cuts never split "[.]"), defanged. */
export function slackValue(text: string, max: number): string {
  // Slack refuses empty text elements; a value that was all invisible shows as a dash.
  return defang(cut(oneLine(text), max)) || '—';
}

export const label = (text: string): Span => ({ type: 'text', text, style: { bold: true } });
export const plain = (text: string): Span => ({ type: 'text', text });
export const value = (text: string, max: number, style?: Style): Span => ({ type: 'text', text: slackValue(text, max), ...(style ? { style } : {}) });
/** A Slack user id from Slack itself (a payload's user), shown as a mention element. */
export const user = (userId: string): Span => ({ type: 'user', user_id: userId });
export const emoji = (name: string): Span => ({ type: 'emoji', name });
/** A problem that may quote the alert (a value) and our own hint on it (our words: never defanged, so "e.g." stays "e.g."). */
export const problemWithHint = (problem: string, max: number, hint?: string): Span[] => [value(problem, max), ...(hint ? [plain(` (${hint.slice(0, 300)})`)] : [])];
export const newline: Span = { type: 'text', text: '\n' };

/** One rich_text block from lines of spans; lines are joined by our own newlines, never a value's. */
export function richText(lines: Span[][], blockId?: string): RichTextBlock {
  const elements: Span[] = [];
  lines.forEach((line, i) => {
    if (i > 0) elements.push(newline);
    elements.push(...line);
  });
  return { type: 'rich_text', ...(blockId ? { block_id: blockId } : {}), elements: [{ type: 'rich_text_section', elements }] };
}

export const plainText = (text: string, max: number): PlainText => ({ type: 'plain_text', text: slackValue(text, max), emoji: false });

/** Characters a list of lines would occupy in Slack, for splitting long content over several blocks. */
export const spanLength = (line: Span[]): number => line.reduce((n, s) => n + spanSize(s), 1);
function spanSize(s: Span): number {
  if (s.type === 'text') return s.text.length;
  if (s.type === 'emoji') return s.name.length + 2;
  if (s.type === 'date') return s.fallback.length + s.format.length + 20;
  if (s.type === 'link') return s.url.length + s.text.length;
  return 14;
}

/** How Slack shows our times: "Nov 5, 2026 13:00" (or "Yesterday 13:00") in the reader's time zone. */
export const DATE_FORMAT = '{date_short_pretty} {time}';

/** A time as ISO 8601 in UTC to the second: what a client that cannot show dates shows instead. */
export const isoUtc = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A time we produced, or parsed and verified, as a Date; undefined for anything else (never guessed). */
function ourTime(time: Date | string): Date | undefined {
  const d = time instanceof Date ? time : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(time) ? new Date(time) : undefined;
  return d && Number.isFinite(d.getTime()) ? d : undefined;
}

/**
 * One of our times (the alert's, a decision's, a suppression's end, a search window's edge) as a rich-text date
 * element: each reader sees it in their own time zone. Alert text never becomes a date: a time that is not a
 * well-formed one of ours is shown as the value it is.
 */
export function dateSpan(time: Date | string): Span {
  const d = ourTime(time);
  if (!d) return value(String(time), 40);
  return { type: 'date', timestamp: Math.floor(d.getTime() / 1000), format: DATE_FORMAT, fallback: isoUtc(d) };
}

/** The same for mrkdwn text: Slack's date token, `<!date^EPOCH^FORMAT|FALLBACK>`. */
export function dateToken(time: Date | string): string {
  const d = ourTime(time);
  if (!d) return 'an unknown time';
  return `<!date^${Math.floor(d.getTime() / 1000)}^${DATE_FORMAT}|${isoUtc(d)}>`;
}
