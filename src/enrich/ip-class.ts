// Classification of a CloudTrail source address, in the order flows.md gives.
import { parseIp } from './ip.js';
import { PrefixTable } from './prefix-trie.js';
import type { AwsIpRanges } from './aws-ip-ranges.js';

export type IpClass =
  | { kind: 'aws-internal' } // a service name such as ec2.amazonaws.com, not an IP
  | { kind: 'internal'; range: string } // private or reserved (VPC endpoint)
  | { kind: 'trusted'; range: string } // configured trusted egress
  | { kind: 'aws'; region: string | null; range: string; service: string }
  | { kind: 'non-aws' };

const RESERVED = PrefixTable.fromCidrs([
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '::/128',
  '::1/128',
  'fc00::/7',
  'fe80::/10',
]);

/** An IP address outside the private and reserved ranges above (a device's public egress address, say). */
export function isPublicAddress(address: string): boolean {
  const ip = parseIp(address);
  return ip !== undefined && RESERVED.lookupParsed(ip) === undefined;
}

export function isPublicClass(c: IpClass): boolean {
  return c.kind === 'aws' || c.kind === 'trusted' || c.kind === 'non-aws';
}

export class IpClassifier {
  private readonly trusted: PrefixTable<string>;

  constructor(
    private readonly aws: AwsIpRanges,
    trustedEgressCidrs: string[] = [],
  ) {
    this.trusted = PrefixTable.fromCidrs(trustedEgressCidrs);
  }

  classify(address: string): IpClass {
    const ip = parseIp(address);
    if (!ip) return { kind: 'aws-internal' };
    const reserved = RESERVED.lookupParsed(ip);
    if (reserved) return { kind: 'internal', range: reserved };
    const trusted = this.trusted.lookupParsed(ip);
    if (trusted) return { kind: 'trusted', range: trusted };
    const aws = this.aws.lookupParsed(ip);
    if (aws) return { kind: 'aws', region: aws.region, range: aws.prefix, service: aws.service };
    return { kind: 'non-aws' };
  }
}
