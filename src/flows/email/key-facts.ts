// The malicious e-mail flow's key facts in Slack: the recipients, indicators not investigated, and who ran,
// clicked, contacted or holds what the message carried (a Proofpoint TAP click: from which address).
import { label, plain, value, type KeyFactLine } from '../key-facts.js';
import type { EmailVerdict } from './decide.js';
import type { EmailFacts } from './verdict-facts.js';

/** One interaction as shown: who, where (a host, or the addresses a Proofpoint TAP click came from), when. */
interface Shown {
  users: string[];
  host: string | null;
  tapFrom?: string[];
  first: string;
}

const asShown = (h: { users: string[]; host: string | null; first: string }): Shown => ({ users: h.users, host: h.host, first: h.first });
const clickShown = (c: EmailFacts['clicks'][number]): Shown => (c.source === 'proofpoint_tap' ? { ...asShown(c), tapFrom: c.click_ips } : asShown(c));

function hitsLine(name: string, hits: Shown[]): KeyFactLine | undefined {
  if (!hits.length) return undefined;
  const line: KeyFactLine = [label(`${name}: `)];
  hits.slice(0, 5).forEach((h, n) => {
    if (n > 0) line.push(plain('; '));
    if (h.tapFrom) line.push(value(h.users.join(', ') || '?', 120), plain(' via Proofpoint TAP from '), value(h.tapFrom.join(', ') || '?', 80), plain(` at ${h.first}`));
    else line.push(value(h.users.join(', ') || '?', 120), plain(' on '), value(h.host ?? '?', 80), plain(` at ${h.first}`));
  });
  return line;
}

export function emailKeyFacts({ facts: f }: EmailVerdict): KeyFactLine[] {
  const lines: KeyFactLine[] = [];
  if (f.recipients.length) lines.push([label('Recipients: '), value(f.recipients.slice(0, 10).join(', '), 1200)]);
  const skipped = f.skipped_indicators ?? [];
  if (skipped.length) lines.push([label('Not investigated: '), value(skipped.slice(0, 5).map((k) => `${k.value} (${k.reason})`).join('; '), 600)]);
  const hits: Array<[string, Shown[]]> = [
    ['executions', f.executions.map(asShown)],
    ['clicks', f.clicks.map(clickShown)],
    ['blocked clicks', f.blocked_clicks.map(clickShown)],
    ['domain contacts', f.domain_contacts.map(asShown)],
    ['files on disk', f.files_on_disk.map(asShown)],
  ];
  for (const [name, shown] of hits) {
    const line = hitsLine(name, shown);
    if (line) lines.push(line);
  }
  return lines;
}
