// Key facts of the MFA push fatigue flow (flows.md §4) for the verdict message. Every value from the alert or the
// evidence goes through rich-text.ts (escaped, defanged, cut); the facts are read, never trusted to be well-formed.
import { label, plain, value, type Span } from './rich-text.js';

type MfaCounts = { pushes: number; rejections: number; approvals: number; reports: number };
type MfaApproval = { time: string; ip: string | null; fatigue: boolean; rejections_in_10_min_before: number | null };
type RequestingIp = { ip: string; known: boolean | null; reason: string };

/** The MFA push fatigue flow's glance: the counts, the span that counted, the approvals, each requesting IP and whether it is known. */
export function mfaFacts(own: (k: string) => unknown): Span[][] {
  const lines: Span[][] = [];
  const counts = own('counts') as MfaCounts | undefined;
  if (counts && typeof counts.pushes === 'number') {
    lines.push([label('MFA pushes: '), plain(`${counts.pushes} sent, ${counts.rejections} rejected, ${counts.approvals} approved, ${counts.reports} reported by the user`)]);
  }
  const span = own('span') as { from: string; to: string; rejections: number } | null | undefined;
  if (span && typeof span.rejections === 'number') lines.push([label('Span: '), plain(`${span.rejections} rejections in ${String(span.from)} – ${String(span.to)}`)]);
  const approvals = own('approvals') as MfaApproval[] | undefined;
  if (Array.isArray(approvals) && approvals.length) {
    const line: Span[] = [label('Approved: ')];
    approvals.slice(0, 5).forEach((a, n) => {
      if (n > 0) line.push(plain('; '));
      line.push(plain(`${String(a.time)} from `), value(a.ip ?? 'no IP', 60), ...(a.fatigue ? [plain(` after ${a.rejections_in_10_min_before} rejections`)] : []));
    });
    lines.push(line);
  }
  const ips = own('requesting_ips') as RequestingIp[] | undefined;
  if (Array.isArray(ips) && ips.length) {
    const line: Span[] = [label('Requesting IPs: ')];
    ips.slice(0, 8).forEach((i, n) => {
      if (n > 0) line.push(plain('; '));
      line.push(value(i.ip, 60), plain(i.known === true ? ' known — ' : i.known === false ? ' not known — ' : ' status unknown — '), value(i.reason, 300));
    });
    lines.push(line);
  }
  return lines;
}

