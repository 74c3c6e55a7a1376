// Plain-text report of a verdict for the terminal.
import type { Verdict } from '../verdict.js';

export function renderText(v: Verdict): string {
  const lines = [
    `Alert ${v.alert_id} — ${v.flow}`,
    `Verdict: ${v.verdict.toUpperCase()}${v.score === null ? '' : ` (score ${v.score})`}`,
    `Summary: ${v.summary}`,
    'Decision path:',
    ...v.path.map((s) => `  ${s.step.padEnd(3)} ${s.question}\n      → ${s.answer}: ${s.evidence}`),
  ];
  return lines.join('\n');
}
