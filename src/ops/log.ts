// One-line JSON logs on stderr; secrets are redacted whatever the message holds.
import { redactSecrets } from '../config.js';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevelName = keyof typeof LEVELS;

export function createLogger(min: LogLevelName, component: string) {
  return (level: LogLevelName, msg: string) => {
    if (LEVELS[level] < LEVELS[min]) return;
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, component, msg: redactSecrets(msg) })}\n`);
  };
}
