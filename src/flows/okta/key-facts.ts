// The impossible-travel flow's key facts in Slack: both sessions, the travel between them, the user.
import { label, plain, value, type KeyFactLine } from '../key-facts.js';
import type { OktaVerdict } from './decide.js';
import type { OktaSessionFacts } from './verdict-facts.js';

function sessionLine(name: 'A' | 'B', s: OktaSessionFacts): KeyFactLine {
  const line: KeyFactLine = [label(`Session ${name}: `), value(s.ip, 60), plain(` at ${s.sign_in}`)];
  if (s.geo?.city) line.push(plain(', '), value(s.geo.city, 60));
  if (s.user_agent) line.push(plain(' — '), value(s.user_agent, 160));
  return line;
}

export function oktaKeyFacts({ facts: f }: OktaVerdict): KeyFactLine[] {
  const lines: KeyFactLine[] = [];
  if (f.session_a) lines.push(sessionLine('A', f.session_a));
  if (f.session_b) lines.push(sessionLine('B', f.session_b));
  if (f.travel && f.travel.distance_km !== null) {
    lines.push([label('Travel: '), plain(`${f.travel.distance_km} km in ${f.travel.minutes_between} min (${f.travel.speed_kmh ?? '∞'} km/h)`)]);
  }
  lines.push([label('User: '), value(f.user.login ?? f.user.id ?? '?', 120)]);
  return lines;
}
