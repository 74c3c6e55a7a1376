// Alert JSON attached to a message as a file. The file's URL comes from the event, which anyone who can post
// in an alert channel shapes: the bot token goes only to Slack's own file host, redirects are never followed,
// and the body is streamed under the alert size cap and a timeout.
import type { WebClient } from '@slack/web-api';
import { MAX_ALERT_BYTES } from '../alerts/json.js';
import { slackError } from '../slack/errors.js';

export interface SlackFile {
  id?: string;
  name?: string;
  mimetype?: string;
  filetype?: string;
  size?: number;
  url_private_download?: string;
  url_private?: string;
  /** Slack Connect and some shared files arrive with only an id: their details come from files.info. */
  file_access?: string;
}

export interface FileReadOptions {
  botToken: string;
  client: WebClient;
  /** Origins the token may be sent to: Slack's file host, plus the Web API's origin when SLACK_API_URL is set (tests). */
  allowedOrigins: string[];
  timeoutMs?: number;
  maxBytes?: number;
  fetchImpl?: typeof fetch;
}

export type FileRead = { text: string } | { problem: string } | { refused: string };

const SLACK_FILE_ORIGIN = 'https://files.slack.com';
const DEFAULT_TIMEOUT_MS = 10_000;

export function fileOrigins(apiUrl: string | undefined): string[] {
  const origins = [SLACK_FILE_ORIGIN];
  if (apiUrl) origins.push(new URL(apiUrl).origin);
  return origins;
}

const isJsonFile = (f: SlackFile) => f.filetype === 'json' || f.mimetype === 'application/json' || (f.name ?? '').toLowerCase().endsWith('.json');

/** The file's download URL, if the token may be sent there. */
function trustedUrl(raw: string | undefined, allowed: string[]): URL | undefined {
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  // Credentials in the URL would change who the request authenticates as.
  if (url.username || url.password) return undefined;
  return allowed.includes(url.origin) ? url : undefined;
}

/** Reads at most maxBytes of the body; more is refused rather than cut, so a cut alert never parses as a different one. */
async function readCapped(res: Response, maxBytes: number): Promise<{ bytes: Uint8Array } | { tooLarge: true }> {
  const reader = res.body?.getReader();
  if (!reader) return { bytes: new Uint8Array() };
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return { tooLarge: true };
    }
    chunks.push(value);
  }
  return { bytes: Buffer.concat(chunks) };
}

/** The first attached JSON file's text, why it could not be read, or why it was refused (not Slack's). */
export async function attachedJson(files: SlackFile[] | undefined, opts: FileReadOptions): Promise<FileRead | undefined> {
  const maxBytes = opts.maxBytes ?? MAX_ALERT_BYTES;
  let file = files?.find((f) => isJsonFile(f) || (f.file_access === 'check_file_info' && f.id));
  if (!file) return undefined;
  if (file.file_access === 'check_file_info' || (!file.url_private_download && !file.url_private && file.id)) {
    const info = await opts.client.files.info({ file: file.id ?? '' }).catch((err: unknown) => ({ ok: false, error: slackError(err) ?? 'request failed' }));
    if (!('file' in info) || !info.file) return { problem: `(file): Slack would not describe it (files.info: ${'error' in info ? String(info.error) : 'no file'})` };
    file = info.file as SlackFile;
    if (!isJsonFile(file)) return undefined;
  }
  if ((file.size ?? 0) > maxBytes) return { problem: `(file): larger than ${maxBytes} bytes` };
  const raw = file.url_private_download ?? file.url_private;
  const url = trustedUrl(raw, opts.allowedOrigins);
  if (!url) return raw ? { refused: 'file URL is not on Slack’s file host' } : undefined;
  const fetchImpl = opts.fetchImpl ?? fetch;
  try {
    const res = await fetchImpl(url, {
      headers: { authorization: `Bearer ${opts.botToken}` },
      redirect: 'manual',
      signal: AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel().catch(() => undefined);
      return { problem: `(file): Slack answered with a redirect (HTTP ${res.status}); not followed` };
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      return { problem: `(file): could not be downloaded (HTTP ${res.status})` };
    }
    const body = await readCapped(res, maxBytes);
    if ('tooLarge' in body) return { problem: `(file): larger than ${maxBytes} bytes` };
    try {
      // fatal: two different byte strings must never decode to the same alert id.
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(body.bytes) };
    } catch {
      return { problem: '(file): not valid UTF-8' };
    }
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError';
    return { problem: timedOut ? '(file): download timed out' : '(file): could not be downloaded' };
  }
}
