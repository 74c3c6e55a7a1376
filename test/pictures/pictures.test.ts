// The evidence pictures, read as SVG: lanes, labels, markers and escaping, on verdicts the real flows decided
// (the bundled demo, in memory) and on hand-made hostile facts. One test checks that a PNG comes out.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/cli/demo.js';
import { investigate } from '../../src/flows/engine.js';
import { pictureFilename, pictureSvg, renderPicture, type PictureInput } from '../../src/pictures/index.js';
import { readStoredVerdict } from '../../src/flows/stored-verdict.js';
import { FactsShapeError } from '../../src/flows/fact-types.js';
import { MAX_LANES } from '../../src/flows/aws/picture.js';
import { PNG_SCALE, PNG_SIGNATURE } from '../../src/pictures/png.js';
import { WIDTH } from '../../src/drawing/frame.js';
import type { Verdict } from '../../src/flows/verdict.js';
import { awsFacts, awsFactsOf, emailFactsOf, oktaFacts, oktaFactsOf, oktaSession, verdictWith } from '../support/facts.js';

const demo = new Map<string, PictureInput & { verdict: Verdict }>();

beforeAll(async () => {
  const { alerts, deps } = await loadDemo();
  for (const alert of alerts) demo.set(alert.id, { verdict: await investigate(alert, deps), alertTime: alert.time });
});

function svgOf(input: PictureInput): string {
  const out = pictureSvg(input);
  if ('nothing' in out) throw new Error(`no picture: ${out.nothing}`);
  return out.svg;
}

/** The opening tags of the elements carrying `class` (the word among others). */
const withClass = (svg: string, cls: string) => [...svg.matchAll(/<[a-z]+\b[^>]*\sclass="([^"]*)"[^>]*>/g)].filter((m) => m[1]!.split(' ').includes(cls)).map((m) => m[0]);
const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

const HOSTILE = '<script>alert("x")</script> & \'q\' \u001b[2J\u202eevil\u0000\ud800';

function hostileText(svg: string): void {
  expect(svg).not.toMatch(/<script/i);
  expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;q&apos; \\x1b[2J\\u202eevil\\x00\uFFFD');
  // No C0 control (other than none at all), no bidi override, no lone surrogate reaches the document.
  expect(svg).not.toMatch(/[\u0000-\u001F\u007F\u202A-\u202E]/);
  expect(svg).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
}

const base = { alert_id: 'hostile-1', score: 90, summary: `Summary ${HOSTILE}`, path: [] as Verdict['path'] };

describe('AWS picture', () => {
  it('draws one lane per source address, coloured by class, with its event count, and the alert time', () => {
    const svg = svgOf(demo.get('demo-aws-reboot')!);
    const lanes = withClass(svg, 'lane');
    expect(lanes.map((l) => [attr(l, 'data-address'), attr(l, 'data-class')])).toEqual([
      ['3.80.1.20', 'aws'],
      ['3.80.77.31', 'aws'],
    ]);
    expect(svg).toContain('>AWS us-east-1 · 3.80.0.0/12</text>');
    expect(svg.match(/>3 events<\/text>/g)).toHaveLength(2);
    expect(withClass(svg, 'bar')).toHaveLength(2);
    expect(withClass(svg, 'alert-time')).toHaveLength(1);
    expect(svg).toContain('>alert 10:30 UTC</text>');
    expect(svg).toContain('>evidence window</text>');
  });

  it('ties an explaining call to its change as a marker, and dashes an unexplained change', () => {
    const reboot = svgOf(demo.get('demo-aws-reboot')!);
    const explained = withClass(reboot, 'explained');
    expect(explained.map((t) => [attr(t, 'data-from'), attr(t, 'data-to')])).toEqual([['3.80.1.20', '3.80.77.31']]);
    expect(withClass(reboot, 'call').map((t) => attr(t, 'data-action'))).toEqual(['RebootInstances']);
    expect(reboot).toContain('RebootInstances on this instance 10:20 UTC');
    expect(reboot).not.toContain('(case ');
    expect(withClass(reboot, 'unexplained')).toEqual([]);

    const vps = svgOf(demo.get('demo-aws-vps')!);
    expect(withClass(vps, 'lane').map((l) => attr(l, 'data-class'))).toEqual(['aws', 'non-aws']);
    expect(withClass(vps, 'unexplained').map((t) => [attr(t, 'data-from'), attr(t, 'data-to')])).toEqual([['3.80.1.10', '45.155.205.10']]);
    expect(vps).toContain('IP change, no explaining call');
    expect(withClass(vps, 'call')).toEqual([]);
  });

  it(`draws at most ${MAX_LANES} lanes, public addresses first, and says how many it left out`, () => {
    const reboot = demo.get('demo-aws-reboot')!.verdict;
    const facts = awsFactsOf(reboot);
    const ip = (address: string, cls: 'internal' | 'non-aws', minute: number) => ({ ...facts.ips[0]!, address, class: cls, region: null, range: null, first_seen: `2026-11-21T10:${String(minute).padStart(2, '0')}:00.000Z`, last_seen: `2026-11-21T10:${String(minute).padStart(2, '0')}:30.000Z`, events: 1 });
    const ips = [...Array.from({ length: 28 }, (_, i) => ip(`10.0.0.${i}`, 'internal', i)), ip('45.155.205.10', 'non-aws', 50)];
    const svg = svgOf({ verdict: { ...reboot, flow: 'aws_instance_credentials', facts: { ...facts, ips, ip_changes: [] } } });
    const lanes = withClass(svg, 'lane');
    expect(lanes).toHaveLength(MAX_LANES);
    expect(lanes.map((l) => attr(l, 'data-address'))).toContain('45.155.205.10');
    expect(svg).toContain(`${29 - MAX_LANES} more address(es) not drawn`);
  });

  it('escapes alert-derived text in text and attributes', () => {
    const facts = awsFacts({
      access_key_id: HOSTILE,
      instance_id: HOSTILE,
      window: { from: '2026-11-10T00:00:00Z', to: '2026-11-11T00:00:00Z' },
      events: 2,
      ips: [{ address: HOSTILE, class: 'non-aws', region: null, range: null, first_seen: '2026-11-10T10:00:00Z', last_seen: '2026-11-10T10:05:00Z', events: 2, user_agents: [HOSTILE], event_names: [HOSTILE] }],
      incomplete: [HOSTILE],
    });
    const svg = svgOf({ verdict: verdictWith('aws_instance_credentials', facts, { ...base, alert_id: HOSTILE, verdict: 'malicious' }) });
    hostileText(svg);
    expect(withClass(svg, 'lane')).toHaveLength(1);
    expect(attr(withClass(svg, 'lane')[0]!, 'data-address')).toMatch(/^&lt;script&gt;/);
  });

  it('has nothing to draw without a source address', () => {
    const v = demo.get('demo-aws-vps')!.verdict;
    expect(pictureSvg({ verdict: { ...v, flow: 'aws_instance_credentials', facts: { ...awsFactsOf(v), ips: [], ip_changes: [], events: 0 } } })).toEqual({ nothing: 'no CloudTrail event of the key in the window' });
  });
});

describe('Okta picture', () => {
  it('puts sessions A and B on the world map, joined by a great circle labelled with distance, time and speed', () => {
    const svg = svgOf(demo.get('demo-okta-jane-evt')!);
    const sessions = withClass(svg, 'session');
    expect(sessions.map((s) => [attr(s, 'class'), attr(s, 'data-ip'), attr(s, 'data-role'), attr(s, 'data-company')])).toEqual([
      ['session session-A', '203.0.113.10', 'reference', 'no'],
      ['session session-B', '185.220.101.4', 'mystery', 'no'],
    ]);
    expect(withClass(svg, 'great-circle')).toHaveLength(1);
    expect(svg).toContain('>5,863 km in 2 h: 2,932 km/h (over 900 km/h)</text>');
    expect(svg).toContain('>Amsterdam, NL · 2026-11-26 11:00 UTC</text>');
    expect(svg).toContain('>proxy/anonymizer · AS M247 Europe SRL</text>');
    // Natural Earth's countries: one long path of many rings.
    const map = /<g class="map">.*?<\/g>/s.exec(svg)![0];
    expect((map.match(/M/g) ?? []).length).toBeGreaterThan(150);
  });

  it('marks a known company IP, and says plausible for a plausible speed', () => {
    const raj = demo.get('demo-okta-raj')!.verdict;
    const f = oktaFactsOf(raj);
    const verdict: Verdict = { ...raj, flow: 'okta_impossible_travel', facts: { ...f, session_a: { ...f.session_a!, known_company_ip: 'office Boston (198.51.100.0/24)' } } };
    const svg = svgOf({ verdict });
    const a = withClass(svg, 'session-A')[0]!;
    expect(attr(a, 'data-company')).toBe('yes');
    expect(withClass(svg, 'company')).toHaveLength(1);
    expect(svg).toContain('>company IP: office Boston (198.51.100.0/24)</text>');
    expect(svg).toContain('306 km in 2 h: 153 km/h (plausible)');
  });

  it('draws the located session alone and names the one without geolocation; none located: nothing to draw', () => {
    const jane = demo.get('demo-okta-jane-evt')!.verdict;
    const f = oktaFactsOf(jane);
    const oneLocated: Verdict = { ...jane, flow: 'okta_impossible_travel', facts: { ...f, session_a: { ...f.session_a!, geo: null } } };
    const svg = svgOf({ verdict: oneLocated });
    expect(withClass(svg, 'session').map((s) => attr(s, 'data-ip'))).toEqual(['185.220.101.4']);
    expect(withClass(svg, 'great-circle')).toEqual([]);
    expect(svg).toContain('A 203.0.113.10: no geolocation, not on the map.');
    // A latitude out of range, read back from storage, is no geolocation either.
    const offMap = readStoredVerdict({ ...jane, facts: { ...f, session_a: { ...f.session_a!, geo: null }, session_b: { ...f.session_b!, geo: { lat: 500, lon: 0 } } } })!;
    expect(pictureSvg({ verdict: offMap })).toEqual({ nothing: 'no geolocation for the sessions' });
  });

  it('says "in question" and "reference" as docs/flows.md does, never "mystery" (issue 22)', () => {
    const svg = svgOf(demo.get('demo-okta-jane-evt')!);
    expect(svg).toContain('>sign-in in question</text>');
    expect(svg).toContain('>reference sign-in</text>');
    expect(svg).toContain('>B · 185.220.101.4 · in question</text>');
    expect(svg).toContain('>A · 203.0.113.10 · reference</text>');
    expect(svg.replace(/data-role="mystery"/g, '')).not.toMatch(/mystery/i);
  });

  it('wraps why an address is known over lines in its label instead of cutting it off (issue 22)', () => {
    const jane = demo.get('demo-okta-jane-evt')!.verdict;
    const f = oktaFactsOf(jane);
    const why = 'company agents recorded it as a device’s own address in the last 30 days';
    const svg = svgOf({ verdict: { ...jane, flow: 'okta_impossible_travel', facts: { ...f, session_a: { ...f.session_a!, known_company_ip: why } } } });
    const label = /<g class="session session-A"[^>]*>[\s\S]*?<\/g>/.exec(svg)![0];
    const lines = [...label.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
    expect(lines.join(' ')).toContain(`company IP: ${why}`);
    expect(lines.every((l) => l.length <= 60 && !l.endsWith('…'))).toBe(true);
    // The box grows with its lines: every line sits inside it.
    const box = /<rect[^>]*rx="4"[^>]*>/.exec(label)![0];
    const [y, h] = [Number(attr(box, 'y')), Number(attr(box, 'height'))];
    for (const m of label.matchAll(/<text[^>]*\sy="([\d.]+)"/g)) expect(Number(m[1])).toBeLessThan(y + h);
  });

  it('escapes alert-derived text', () => {
    const session = (ip: string, lat: number, lon: number) => oktaSession({ ip, known_company_ip: HOSTILE, sign_in: '2026-11-10T10:00:00Z', geo: { lat, lon, city: HOSTILE, country: '"&' }, is_proxy: true, as_organization: HOSTILE });
    const facts = oktaFacts({ user: { login: HOSTILE }, session_a: session(HOSTILE, 48.85, 2.35), session_b: session('198.51.100.9', 35.68, 139.69) });
    const svg = svgOf({ verdict: verdictWith('okta_impossible_travel', facts, { ...base, verdict: 'suspicious', path: [{ step: 'O2', question: 'q', answer: 'B', evidence: 'e' }] }) });
    hostileText(svg);
    expect(attr(withClass(svg, 'session-A')[0]!, 'data-ip')).toMatch(/^&lt;script&gt;/);
  });
});

describe('E-mail picture', () => {
  it('draws the delivery, then each interaction per user on a timeline', () => {
    const svg = svgOf(demo.get('demo-email-click')!);
    const lanes = withClass(svg, 'lane');
    expect(lanes.map((l) => [attr(l, 'data-user'), attr(l, 'data-recipient')])).toEqual([['bob@example.com, bob', 'yes']]);
    expect(withClass(svg, 'interaction').map((t) => attr(t, 'data-kind'))).toEqual(['contact', 'click']);
    expect(svg).toContain('09:12 clicked https://login.micros0ft-verify.co.uk/session/confirm on LAPTOP-BOB');
    expect(svg).toContain('reached micros0ft-verify.co.uk (prior popularity unknown)');
    expect(withClass(svg, 'delivery')).toHaveLength(1);
    expect(svg).toContain('>delivered 09:00</text>');
    // A source without data is said, never drawn as "nothing happened".
    expect(svg).toContain('EDR network, 30 days before: NO DATA');

    const attachment = svgOf(demo.get('demo-email-attachment')!);
    expect(withClass(attachment, 'interaction').map((t) => attr(t, 'data-kind'))).toEqual(['execution']);
    expect(attachment).toContain('ran Remittance_Advice.js on LAPTOP-DAVE');
  });

  it('gives each user a lane, files on disk included; no interaction: nothing to draw', () => {
    const click = demo.get('demo-email-click')!.verdict;
    const hit = (users: string[], host: string, first: string) => ({ host, users, recipients: users.filter((u) => u.startsWith('bob')), first, last: first, count: 1 });
    const facts = {
      ...emailFactsOf(click),
      clicks: [],
      domain_contacts: [],
      files_on_disk: [{ indicator: 'invoice.docm', matched_by: 'file_name' as const, examples: [], ...hit(['alice'], 'PC-ALICE', '2026-11-23T09:30:00Z') }],
      executions: [{ indicator: 'invoice.docm', matched_by: 'command_line' as const, examples: [], ...hit(['bob'], 'PC-BOB', '2026-11-23T09:40:00Z') }, { indicator: 'invoice.docm', matched_by: 'command_line' as const, examples: [], ...hit([], 'KIOSK-1', '2026-11-23T09:50:00Z') }],
    };
    const svg = svgOf({ verdict: { ...click, flow: 'malicious_email', facts } });
    expect(withClass(svg, 'lane').map((l) => attr(l, 'data-user'))).toEqual(['bob', 'alice', 'unknown user on KIOSK-1']);
    expect(withClass(svg, 'interaction').map((t) => attr(t, 'data-kind'))).toEqual(['execution', 'file', 'execution']);
    expect(pictureSvg(demo.get('demo-email-ignored')!)).toEqual({ nothing: 'no interaction with the e-mail found' });
  });

  it('escapes alert-derived text', () => {
    const click = demo.get('demo-email-click')!.verdict;
    const facts = {
      ...emailFactsOf(click),
      sender: HOSTILE,
      subject: HOSTILE,
      recipients: [HOSTILE],
      clicks: [{ url: `https://x.test/${HOSTILE}`, source: 'proxy' as const, host: HOSTILE, users: [HOSTILE], recipients: [HOSTILE], first: '2026-11-23T09:12:00Z', last: '2026-11-23T09:12:00Z', count: 1 }],
      domain_contacts: [],
    };
    const svg = svgOf({ verdict: verdictWith('malicious_email', facts, { ...click, ...base, verdict: 'malicious' }) });
    hostileText(svg);
    expect(attr(withClass(svg, 'lane')[0]!, 'data-user')).toMatch(/^&lt;script&gt;/);
  });
});

describe('pictures', () => {
  it('refuse stored facts not in the flow’s shape, naming the field but not the value', () => {
    const v = demo.get('demo-aws-vps')!.verdict;
    const bad = readStoredVerdict({ ...v, facts: { ...v.facts, ips: [{ address: '<secret-value>', class: 'martian' }] } })!;
    expect(() => pictureSvg({ verdict: bad })).toThrow(FactsShapeError);
    expect(() => pictureSvg({ verdict: bad })).toThrow(/ips\.0\.class/);
    expect(() => pictureSvg({ verdict: bad })).not.toThrow(/secret-value/);
  });

  it('name their file from safe characters of the alert id', () => {
    expect(pictureFilename({ ...demo.get('demo-aws-vps')!.verdict, alert_id: '../../etc/passwd <x>' })).toBe('evidence-etc_passwd_x_.png');
    expect(pictureFilename({ ...demo.get('demo-aws-vps')!.verdict, alert_id: '…' })).toBe('evidence-alert.png');
  });

  it('come out as PNG, hostile text included', async () => {
    for (const id of ['demo-aws-reboot', 'demo-okta-jane-evt', 'demo-email-click']) {
      const picture = await renderPicture(demo.get(id)!);
      if ('nothing' in picture) throw new Error(picture.nothing);
      expect(picture.png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      expect(picture.png.length).toBeGreaterThan(20_000);
      // IHDR: the width as drawn, scaled.
      expect(picture.png.readUInt32BE(16)).toBe(WIDTH * PNG_SCALE);
      expect(picture.alt.length).toBeGreaterThan(20);
    }
    const vps = demo.get('demo-aws-vps')!.verdict;
    const hostile = await renderPicture({ verdict: { ...vps, flow: 'aws_instance_credentials', alert_id: HOSTILE, facts: { ...awsFactsOf(vps), access_key_id: HOSTILE } } });
    expect('png' in hostile && hostile.png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });
});
