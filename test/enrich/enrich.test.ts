import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AwsIpRanges } from '../../src/enrich/aws-ip-ranges.js';
import { IpClassifier } from '../../src/enrich/ip-class.js';
import { parseIp, sameIp } from '../../src/enrich/ip.js';
import { osFamily } from '../../src/enrich/user-agent.js';
import { distanceKm, speedKmh } from '../../src/enrich/geo.js';
import { UA } from '../support/cloudtrail.js';

import { AWS_RANGES_FILE, realAwsRanges } from '../support/aws-ranges.js';

// AWS's published ranges, the real snapshot (test/fixtures/aws-ip-ranges/): facts about them are checked against it.
const ranges = realAwsRanges();

describe('IP parsing', () => {
  it('parses IPv4, IPv6 (compressed, embedded IPv4, zone) and refuses junk', () => {
    expect(parseIp('3.80.1.10')?.family).toBe(4);
    expect(parseIp('2600:f0f0:2::1')?.family).toBe(6);
    expect(parseIp('::ffff:3.80.1.10')).toEqual(parseIp('3.80.1.10'));
    expect(parseIp('fe80::1%eth0')?.family).toBe(6);
    for (const bad of ['', '1.2.3', '1.2.3.256', 'ec2.amazonaws.com', '1::2::3', '12345::', 'AWS Internal']) expect(parseIp(bad)).toBeUndefined();
    expect(sameIp('2001:db8::1', '2001:DB8:0:0::1')).toBe(true);
  });
});

describe('AWS IP ranges', () => {
  it('finds region and service, IPv4 and IPv6, longest prefix winning', () => {
    expect(ranges.lookup('3.80.1.10')).toMatchObject({ region: 'us-east-1', prefix: '3.80.0.0/12', service: 'EC2' });
    expect(ranges.lookup('54.72.5.5')?.region).toBe('eu-west-1');
    expect(ranges.lookup('2600:f0f0:2::abcd')).toMatchObject({ region: 'us-east-1', prefix: '2600:f0f0:2::/48' });
    // 64.252.64.0/18 is GLOBAL (CloudFront); /24s inside it belong to regions: 64.252.81.0/24 to sa-east-1,
    // 64.252.70.0/24 to us-west-2; 64.252.90.0/24 to none, so the GLOBAL /18 answers there.
    expect(ranges.lookup('64.252.81.7')).toMatchObject({ region: 'sa-east-1', prefix: '64.252.81.0/24' });
    expect(ranges.lookup('64.252.70.7')).toMatchObject({ region: 'us-west-2', prefix: '64.252.70.0/24' });
    expect(ranges.lookup('64.252.90.7')).toMatchObject({ region: null, prefix: '64.252.64.0/18' });
    expect(ranges.lookup('45.155.205.10')).toBeUndefined();
  });

  it('refuses a file that is not ip-ranges.json', () => {
    expect(() => AwsIpRanges.fromJson({ hello: 1 })).toThrow(/not an AWS ip-ranges.json/);
  });
});

describe('source address classification', () => {
  const c = new IpClassifier(ranges, ['198.51.100.0/24']);
  it.each([
    ['ec2.amazonaws.com', 'aws-internal'],
    ['AWS Internal', 'aws-internal'],
    ['10.1.2.3', 'internal'],
    ['172.20.0.1', 'internal'],
    ['192.168.1.1', 'internal'],
    ['100.64.0.9', 'internal'],
    ['127.0.0.1', 'internal'],
    ['169.254.169.254', 'internal'],
    ['fd12:3456::1', 'internal'],
    ['fe80::1', 'internal'],
    ['198.51.100.20', 'trusted'],
    ['3.80.1.10', 'aws'],
    ['45.155.205.10', 'non-aws'],
    ['203.0.113.9', 'non-aws'],
  ])('%s is %s', (address, kind) => {
    expect(c.classify(address).kind).toBe(kind);
  });
});

describe('user-agent OS family', () => {
  it.each([
    [UA.linuxCli, 'linux'],
    [UA.boto3Linux, 'linux'],
    [UA.macCli, 'macos'],
    [UA.javaMac, 'macos'],
    [UA.windowsCli, 'windows'],
    ['aws-sdk-go/1.44 (go1.21; Windows_NT; amd64)', 'windows'],
    ['aws-sdk-js/3.400 os/Microsoft_Windows', 'windows'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Safari/605.1.15', 'macos'],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/120.0 Mobile Safari/537.36', 'android'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) Mobile/15E148', 'ios'],
    // v3: iOS as a token.
    ['aws-sdk-swift/1.0.0 ua/2.1 os/iOS_17.0 lang/swift#5.9', 'ios'],
    ['aws-sdk-iOS/2.33.0 iOS/17.1 en_US', 'ios'],
    ['MyApp/3.2 (iOS 17; iPhone15,2)', 'ios'],
    ['Boto3/1.34 md/Botocore#1.34 os/linux#6.1 md/BIOS#2.7', 'linux'],
    ['aws-cli/2.15 Python/3.11 Linux/6.1 biosphere-tool/1.0', 'linux'],
    ['Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0', 'linux'],
  ])('%s → %s', (ua, family) => {
    expect(osFamily(ua)).toBe(family);
  });
  it('has no family for AWS Internal', () => expect(osFamily('AWS Internal')).toBeUndefined());
});

describe('geo', () => {
  it('measures New York → London at about 5570 km and the implied speed', () => {
    const d = distanceKm({ lat: 40.7128, lon: -74.006 }, { lat: 51.5074, lon: -0.1278 });
    expect(d).toBeGreaterThan(5550);
    expect(d).toBeLessThan(5600);
    expect(speedKmh(d, 3600_000)).toBeCloseTo(d);
    expect(speedKmh(10, 0)).toBe(Infinity);
  });
});

describe('prefix trie against a brute-force longest-prefix match', () => {
  it('agrees on 3 000 random addresses inside and around the real ranges', async () => {
    const { parseCidr } = await import('../../src/enrich/ip.js');
    const json = JSON.parse(readFileSync(AWS_RANGES_FILE, 'utf8')) as { prefixes: Array<{ ip_prefix: string; region: string; service: string }> };
    const cidrs = json.prefixes.map((p) => ({ cidr: parseCidr(p.ip_prefix)!, region: p.region === 'GLOBAL' ? null : p.region, generic: p.service === 'AMAZON' }));
    // Longest prefix; on an equal prefix a specific service's entry wins over the generic AMAZON one.
    const brute = (ip: string) => {
      const w = parseIp(ip)!.words[0]!;
      let best: { bits: number; region: string | null; generic: boolean } | undefined;
      for (const { cidr, region, generic } of cidrs) {
        const mask = cidr.bits === 0 ? 0 : (0xffffffff << (32 - cidr.bits)) >>> 0;
        if (((w & mask) >>> 0) !== ((cidr.words[0]! & mask) >>> 0)) continue;
        if (!best || cidr.bits > best.bits || (cidr.bits === best.bits && best.generic && !generic)) best = { bits: cidr.bits, region, generic };
      }
      return best?.region;
    };
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < 3_000; i++) {
      const base = cidrs[Math.floor(rnd() * cidrs.length)]!.cidr.words[0]!;
      const w = (base + Math.floor((rnd() - 0.3) * 2 ** 20)) >>> 0;
      const ip = `${w >>> 24}.${(w >>> 16) & 255}.${(w >>> 8) & 255}.${w & 255}`;
      expect(ranges.lookup(ip)?.region).toBe(brute(ip));
    }
  });
});

describe('URLs and domains', async () => {
  const { sameUrl, registrableDomain, isSameOrSubdomain, urlSpellings } = await import('../../src/enrich/url.js');
  it('compares URLs with scheme and host case, default port and trailing slash ignored, path case kept', () => {
    expect(sameUrl('https://login.evil.co.uk/verify', 'HTTPS://LOGIN.Evil.co.uk:443/verify/')).toBe(true);
    expect(sameUrl('https://evil.test', 'https://evil.test/')).toBe(true);
    expect(sameUrl('https://evil.test/a?x=1', 'https://evil.test/a/?x=1')).toBe(true);
    expect(sameUrl('https://evil.test/a', 'https://evil.test/A')).toBe(false);
    expect(sameUrl('https://evil.test/a', 'http://evil.test/a')).toBe(false);
    expect(sameUrl('https://evil.test:8443/a', 'https://evil.test/a')).toBe(false);
    expect(sameUrl('https://evil.test/a', 'evil.test/a')).toBe(true);
    expect(urlSpellings('https://Evil.test/a/')).toEqual(expect.arrayContaining(['https://evil.test/a', 'https://evil.test/a/', 'https://evil.test:443/a', 'evil.test/a']));
  });
  it('finds registrable domains on the ICANN public suffix list', () => {
    expect(registrableDomain('https://login.evil.co.uk/x')).toBe('evil.co.uk');
    expect(registrableDomain('https://a.b.example.com:8443/')).toBe('example.com');
    expect(registrableDomain('http://3.80.1.10/x')).toBeUndefined();
    expect(isSameOrSubdomain('cdn.login.evil.co.uk', 'evil.co.uk')).toBe(true);
    expect(isSameOrSubdomain('xevil.co.uk', 'evil.co.uk')).toBe(false);
  });
});
