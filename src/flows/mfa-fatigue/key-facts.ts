// The MFA push fatigue flow's key facts in Slack (flows.md §4): the user, the counts, the span that counted, the
// approvals, each requesting IP and whether it is known. Values are shown escaped and defanged by src/slack.
import { label, plain, value, type KeyFactLine } from '../key-facts.js';
import type { MfaFatigueVerdict } from './decide.js';

const knownText = (known: boolean | null) => (known === true ? ' known — ' : known === false ? ' not known — ' : ' status unknown — ');

export function mfaFatigueKeyFacts({ facts: f }: MfaFatigueVerdict): KeyFactLine[] {
  const lines: KeyFactLine[] = [[label('User: '), value(f.user.login ?? f.user.id ?? '?', 120)]];
  const c = f.counts;
  lines.push([label('MFA pushes: '), plain(`${c.pushes} sent, ${c.rejections} rejected, ${c.approvals} approved, ${c.reports} reported by the user`)]);
  if (f.span) lines.push([label('Span: '), plain(`${f.span.rejections} rejections in ${f.span.from} – ${f.span.to}`)]);
  if (f.approvals.length) {
    const line: KeyFactLine = [label('Approved: ')];
    f.approvals.slice(0, 5).forEach((a, n) => {
      if (n > 0) line.push(plain('; '));
      line.push(plain(`${a.time} from `), value(a.ip ?? 'no IP', 60), ...(a.fatigue ? [plain(` after ${a.rejections_in_10_min_before} rejections`)] : []));
    });
    lines.push(line);
  }
  if (f.requesting_ips.length) {
    const line: KeyFactLine = [label('Requesting IPs: ')];
    f.requesting_ips.slice(0, 8).forEach((i, n) => {
      if (n > 0) line.push(plain('; '));
      line.push(value(i.ip, 60), plain(knownText(i.known)), value(i.reason, 300));
    });
    lines.push(line);
  }
  return lines;
}
