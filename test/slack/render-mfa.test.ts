// Key facts of an MFA push fatigue verdict in Slack: the counts, the span, the approvals and each requesting IP
// with whether it is known — every value from the alert or the evidence shown as text Slack does not parse.
import { describe, expect, it } from 'vitest';
import { renderVerdict } from '../../src/slack/render.js';
import { decideMfaFatigue } from '../../src/flows/mfa-fatigue/decide.js';
import { AUTH_VIA_MFA, DENY_PUSH, mfaActivity, PUSH_SENT } from '../../src/flows/mfa-fatigue/activity.js';
import type { OktaEvent } from '../../src/evidence/ports.js';
import { mrkdwnTexts, shownText } from '../support/blocks.js';

const T = Date.parse('2026-09-14T03:11:15Z');
const at = (m: number) => new Date(T + m * 60_000);
const HOSTILE_LOGIN = '<!channel> *urgent* <https://evil.example/x|click>@example.com';
const events: OktaEvent[] = [
  { uuid: 'p1', time: at(-9), eventType: PUSH_SENT, ip: '185.220.101.33' },
  ...[-8, -7, -6, -5].map((m, i): OktaEvent => ({ uuid: `d${i}`, time: at(m), eventType: DENY_PUSH, ip: '172.58.14.201' })),
  { uuid: 'a1', time: at(-3), eventType: AUTH_VIA_MFA, factor: 'OKTA_VERIFY_PUSH', outcome: 'SUCCESS', ip: '185.220.101.33' },
];

describe('key facts of an MFA push fatigue verdict', () => {
  const v = decideMfaFatigue(
    { id: 'mfa <!here>', type: 'okta.mfa_fatigue', time: new Date(T), raw: {}, userLogin: HOSTILE_LOGIN, trigger: 'canonical alert' },
    {
      user: { login: HOSTILE_LOGIN },
      source: 'elasticsearch',
      window: { from: at(-60), to: at(60) },
      hasData: true,
      activity: mfaActivity(events),
      ips: [{ ip: '185.220.101.33', status: 'not_known', reason: 'not in the company CIDRs <!everyone>' }],
      minRejections: 3,
      notes: [],
    },
  );
  const blocks = renderVerdict({ verdict: v, alertKey: 'k' }).blocks;
  const shown = shownText(blocks);

  it('shows the counts, the approval after its rejections, and whether each requesting IP is known and why', () => {
    expect(shown).toContain('MFA pushes: 1 sent, 4 rejected, 1 approved, 0 reported by the user');
    expect(shown).toContain('Approved: 2026-09-14T03:08:15Z from 185[.]220[.]101[.]33 after 4 rejections');
    expect(shown).toContain('Requesting IPs: 185[.]220[.]101[.]33 not known — not in the company CIDRs <!everyone>');
    expect(shown).toContain('Span: 4 rejections in 2026-09-14T02:58:15Z – 2026-09-14T03:08:15Z');
  });

  it('never lets an alert or evidence value reach mrkdwn', () => {
    for (const text of mrkdwnTexts(blocks)) expect(text).not.toMatch(/<!channel>|<!everyone>|<!here>|evil|urgent/);
    expect(shown).toContain('<!channel> *urgent*');
  });
});
