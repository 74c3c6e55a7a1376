// The AWS flow's key facts in Slack: what an analyst looks at first — the role whose credentials were taken, and
// what each address that is not the instance's called — then every source address of the key.
import { label, plain, value, type KeyFactLine } from '../key-facts.js';
import type { AwsVerdict } from './decide.js';
import type { AwsAddressFacts, AwsFacts } from './verdict-facts.js';

/** Foreign addresses with their calls shown one line each; the rest are counted on the last line. */
const MAX_FOREIGN_LINES = 3;
const CLASS_TEXT: Record<AwsAddressFacts['class'], string> = { aws: 'AWS', trusted: 'trusted egress', 'non-aws': 'non-AWS', internal: 'internal', 'aws-internal': 'AWS service' };

/**
 * The addresses that are not the instance's: every public address outside AWS (and not a trusted egress); an
 * AWS address too when the instance's own addresses are known and it is not one of them, or when it is in
 * another region than the instance's (flows.md A1, A3, A4).
 */
export function foreignAddresses(f: AwsFacts): AwsAddressFacts[] {
  const own = new Set(f.instance_public_ips);
  return f.ips.filter((ip) => {
    if (ip.class === 'non-aws') return true;
    if (ip.class !== 'aws') return false;
    if (own.size > 0) return !own.has(ip.address);
    return f.home_region !== null && ip.region !== null && ip.region !== f.home_region;
  });
}

function roleLine(f: AwsFacts): KeyFactLine {
  if (f.role_arn) return [label('Role: '), value(f.role_arn, 300)];
  if (f.session_issuer_arns.length) return [label('Role: '), value(f.session_issuer_arns.slice(0, 3).join(', '), 600)];
  return [label('Role: '), plain('no event of the key names it')];
}

/** "GetCallerIdentity ×5, ListBuckets ×2": each call with its count when the evidence counted them, else the names. */
function callsOf(ip: AwsAddressFacts): string | undefined {
  if (ip.calls?.length) return ip.calls.map((c) => `${c.name} ×${c.events}`).join(', ');
  return ip.event_names.length ? ip.event_names.join(', ') : undefined;
}

function callsLine(ip: AwsAddressFacts): KeyFactLine {
  return [
    label('Calls from '),
    value(ip.address, 60),
    plain(` (${CLASS_TEXT[ip.class]}${ip.region ? ' ' : ''}`),
    ...(ip.region ? [value(ip.region, 20)] : []),
    plain(`, ${ip.events} event${ip.events === 1 ? '' : 's'}): `),
    ...(callsOf(ip) ? [value(callsOf(ip)!, 600)] : [plain('no call names in the events')]),
  ];
}

function addressesLine(f: AwsFacts): KeyFactLine | undefined {
  if (!f.ips.length) return undefined;
  const line: KeyFactLine = [label('IPs: ')];
  f.ips.slice(0, 8).forEach((i, n) => {
    if (n > 0) line.push(plain(', '));
    line.push(value(i.address, 60), plain(` (${i.class}${i.region ? ' ' : ''}`), ...(i.region ? [value(i.region, 20)] : []), plain(`, ${i.events} events)`));
  });
  return line;
}

export function awsKeyFacts({ facts: f }: AwsVerdict): KeyFactLine[] {
  const foreign = foreignAddresses(f);
  const lines: KeyFactLine[] = [roleLine(f), ...foreign.slice(0, MAX_FOREIGN_LINES).map(callsLine)];
  if (foreign.length > MAX_FOREIGN_LINES) lines.push([plain(`… and ${foreign.length - MAX_FOREIGN_LINES} more address(es) not the instance's: see the audit record.`)]);
  const all = addressesLine(f);
  if (all) lines.push(all);
  return lines;
}
