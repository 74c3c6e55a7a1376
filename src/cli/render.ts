// Plain-text report of a verdict for the terminal.
import type { Verdict } from '../flows/verdict.js';

// Evidence values are attacker-controlled: a user agent holding ESC [2J or an OSC 8 link must not act on the
// analyst's terminal. Controls are shown as escapes (\x1b, \u202e); values stay whole, never defanged.
const CONTROLS = /[\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
const visible = (s: string) => s.replace(CONTROLS, (c) => (c.charCodeAt(0) < 0x100 ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));

export function renderText(v: Verdict): string {
  const lines = [
    `Alert ${visible(v.alert_id)} — ${v.flow}`,
    `Verdict: ${v.verdict.toUpperCase()}${v.score === null ? '' : ` (score ${v.score})`}`,
    `Summary: ${visible(v.summary)}`,
    'Decision path:',
    ...v.path.map((s) => `  ${visible(s.step).padEnd(3)} ${visible(s.question)}\n      → ${visible(s.answer)}: ${visible(s.evidence)}`),
  ];
  return lines.join('\n');
}
