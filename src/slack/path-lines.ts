// The decision path as Slack shows it: each step's id, question, answer and evidence (values), and — when KIBANA_URL
// is set and the step rests on a search — a link of ours to that search in Kibana, with its window as dates.
import type { PathStep } from '../flows/verdict-core.js';
import { discoverUrl, type KibanaSettings } from './kibana.js';
import { dateSpan, label, plain, value, type Span } from './rich-text.js';

/** Our words for every evidence link: never the alert's, never the URL itself. */
export const KIBANA_LINK_TEXT = 'Open in Kibana';

/** One line per step; links only with `kibana`, the window shown where it first appears (steps often share one). */
export function stepLines(path: PathStep[], kibana?: KibanaSettings): Span[][] {
  let shownWindow: string | undefined;
  return path.map((p) => {
    const line: Span[] = [label(`${p.step.slice(0, 8)} `), value(p.question, 200), plain(' → '), value(p.answer, 80, { bold: true }), plain('\n      '), value(p.evidence, 400)];
    const url = kibana && p.query ? discoverUrl(kibana, p.query) : undefined;
    if (!url || !p.query) return line;
    line.push(plain(' · '), { type: 'link', url, text: KIBANA_LINK_TEXT });
    const window = `${p.query.from}/${p.query.to}`;
    if (window !== shownWindow) line.push(plain(' (searched '), dateSpan(p.query.from), plain(' – '), dateSpan(p.query.to), plain(')'));
    shownWindow = window;
    return line;
  });
}
