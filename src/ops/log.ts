// One-line JSON logs on stderr; secrets are redacted whatever the message holds. The Slack SDK (Bolt, the Web
// API and Socket Mode clients) and BullMQ/ioredis errors are written through the same logger.
import { LogLevel, type Logger as SlackSdkLogger } from '@slack/web-api';
import { redactSecrets } from '../config.js';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevelName = keyof typeof LEVELS;
export type Log = (level: LogLevelName, msg: string) => void;

/** An SDK message can hold a whole payload (alert text included): logs keep the start of it. */
const MAX_MESSAGE_CHARS = 4000;

export function createLogger(min: LogLevelName, component: string): Log {
  return (level: LogLevelName, msg: string) => {
    if (LEVELS[level] < LEVELS[min]) return;
    const text = msg.length > MAX_MESSAGE_CHARS ? `${msg.slice(0, MAX_MESSAGE_CHARS)}… (${msg.length} chars)` : msg;
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, component, msg: redactSecrets(text) })}\n`);
  };
}

/** The SDK logs strings, errors and objects; one line of text for each call. */
function sdkText(parts: unknown[]): string {
  return parts
    .map((p) => {
      if (typeof p === 'string') return p;
      if (p instanceof Error) return `${p.name}: ${p.message}`;
      try {
        return JSON.stringify(p) ?? String(p);
      } catch {
        return String(p);
      }
    })
    .join(' ');
}

const SDK_LEVELS: Record<LogLevel, LogLevelName> = { [LogLevel.DEBUG]: 'debug', [LogLevel.INFO]: 'info', [LogLevel.WARN]: 'warn', [LogLevel.ERROR]: 'error' };

/** The Slack SDK's Logger interface over ours: Bolt's App, WebClient and the Socket Mode client accept it as `logger`. */
export function slackSdkLogger(min: LogLevelName, component: string): SlackSdkLogger {
  let level: LogLevelName = min;
  let name = component;
  const write = (at: LogLevelName, parts: unknown[]) => {
    if (LEVELS[at] >= LEVELS[level]) createLogger(level, name)(at, sdkText(parts));
  };
  return {
    debug: (...msg: unknown[]) => write('debug', msg),
    info: (...msg: unknown[]) => write('info', msg),
    warn: (...msg: unknown[]) => write('warn', msg),
    error: (...msg: unknown[]) => write('error', msg),
    setLevel: (l: LogLevel) => {
      level = SDK_LEVELS[l] ?? level;
    },
    getLevel: () => (Object.entries(SDK_LEVELS).find(([, n]) => n === level)?.[0] ?? LogLevel.INFO) as LogLevel,
    setName: (n: string) => {
      name = `${component}/${n}`;
    },
  };
}

/**
 * Error events (BullMQ's queue, worker and event stream; ioredis connections) logged at most once a minute per
 * message: a Redis outage makes every client report the same refused connection on every reconnect attempt.
 */
export function errorEventLogger(log: Log, everyMs = 60_000, now: () => number = Date.now): (source: string) => (err: Error) => void {
  const last = new Map<string, { at: number; suppressed: number }>();
  return (source) => (err) => {
    const text = `${source}: ${err.message}`;
    const seen = last.get(text);
    const t = now();
    if (seen && t - seen.at < everyMs) {
      seen.suppressed++;
      return;
    }
    if (last.size >= 100) last.clear(); // messages with ids in them must not grow the map forever
    last.set(text, { at: t, suppressed: 0 });
    log('error', seen?.suppressed ? `${text} (${seen.suppressed} more like it since)` : text);
  };
}
