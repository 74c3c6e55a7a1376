// The MFA push fatigue picture, read as SVG: one marker per push, rejection and approval, the span shaded,
// each requesting IP with whether it is known — on the demo's verdicts and on hostile hand-made facts.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/cli/demo.js';
import { investigate } from '../../src/flows/engine.js';
import { pictureSvg, renderPicture, type PictureInput } from '../../src/pictures/index.js';
import { PNG_SIGNATURE } from '../../src/pictures/png.js';
import type { Verdict } from '../../src/flows/verdict.js';
import { readStoredVerdict } from '../../src/flows/stored-verdict.js';
import { mfaFacts, mfaFactsOf, verdictWith } from '../support/facts.js';

const demo = new Map<string, PictureInput & { verdict: Verdict }>();
beforeAll(async () => {
  const { alerts, deps } = await loadDemo();
  for (const alert of alerts.filter((a) => a.type === 'okta.mfa_fatigue')) demo.set(alert.id, { verdict: await investigate(alert, deps), alertTime: alert.time });
});

function svgOf(input: PictureInput): string {
  const out = pictureSvg(input);
  if ('nothing' in out) throw new Error(`no picture: ${out.nothing}`);
  return out.svg;
}
const count = (svg: string, cls: string) => [...svg.matchAll(new RegExp(`class="${cls}"`, 'g'))].length;
const HOSTILE = '<script>alert("x")</script> & \u202eevil\u0000';

describe('the MFA push fatigue picture', () => {
  it('draws every push, rejection and approval, the fatigue approval in red, and the span that counted', () => {
    const svg = svgOf(demo.get('demo-mfa-lena')!);
    expect(count(svg, 'push')).toBe(5);
    expect(count(svg, 'rejection')).toBe(4);
    expect(count(svg, 'approval fatigue')).toBe(1);
    expect(count(svg, 'span')).toBe(1);
    expect(svg).toContain('10-min span: 4 rejection(s)');
    expect(svg).toContain('185.220.101.33');
    expect(svg).toMatch(/NOT KNOWN — not in the company CIDRs/);
  });

  it('a benign morning: known IPs in green, no span', () => {
    const svg = svgOf(demo.get('demo-mfa-omar')!);
    expect(count(svg, 'span')).toBe(0);
    expect(svg).toMatch(/known — the user signed in successfully from it/);
    expect(svg).toContain('fill="#2f855a"');
  });

  it('comes out as a PNG', async () => {
    const out = await renderPicture(demo.get('demo-mfa-lena')!);
    if ('nothing' in out) throw new Error(out.nothing);
    expect(out.png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(out.alt).toBe('MFA push fatigue of lena.berg@example.com: 5 pushes, 4 rejections, 1 approvals, 0 reports; requesting IPs: 185.220.101.33 not known');
  });

  it('nothing to draw without any MFA event; malformed facts refuse the picture', () => {
    const v = (facts: Record<string, unknown>) => readStoredVerdict({ alert_id: 'm', flow: 'okta_mfa_fatigue', verdict: 'inconclusive', score: null, summary: '', path: [], facts })!;
    const empty = mfaFacts({ user: { login: 'a' } });
    expect(pictureSvg({ verdict: v(empty) })).toEqual({ nothing: 'no MFA push activity of the user found' });
    expect(() => pictureSvg({ verdict: v({ ...empty, counts: { pushes: 'many' } }) })).toThrow();
  });

  it('escapes every value from the alert or the evidence', () => {
    const lena = demo.get('demo-mfa-lena')!.verdict;
    const facts = { ...mfaFactsOf(lena), user: { login: HOSTILE }, requesting_ips: [{ ip: HOSTILE, known: null, reason: HOSTILE }] };
    const svg = svgOf({ verdict: verdictWith('okta_mfa_fatigue', facts, { ...lena, alert_id: HOSTILE }) });
    expect(svg).not.toMatch(/<script/i);
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).not.toMatch(/[\u0000\u202e]/);
    expect(svg).toContain('status unknown — ');
  });
});
