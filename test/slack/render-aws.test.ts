// Key facts of an AWS verdict in Slack (issue 22, item 4): what an analyst looks at first — the role whose
// credentials were taken, and what each address that is not the instance's called — with every value from the
// alert or the evidence shown as text Slack does not parse, defanged.
import { beforeAll, describe, expect, it } from 'vitest';
import { renderVerdict } from '../../src/slack/render.js';
import { loadDemo } from '../../src/cli/demo.js';
import { investigate } from '../../src/flows/engine.js';
import type { AwsAddressFacts, AwsFacts } from '../../src/flows/aws/verdict-facts.js';
import type { Verdict } from '../../src/flows/verdict.js';
import { mrkdwnTexts, shownText } from '../support/blocks.js';
import { awsFacts, verdictWith } from '../support/facts.js';

const ROLE = 'arn:aws:iam::111122223333:role/app-role';
const address = (over: Partial<AwsAddressFacts>): AwsAddressFacts => ({
  address: '198.51.100.1',
  class: 'aws',
  region: 'us-east-1',
  range: null,
  first_seen: '2026-11-20T08:00:00.000Z',
  last_seen: '2026-11-20T09:00:00.000Z',
  events: 3,
  user_agents: [],
  event_names: ['DescribeInstances'],
  ...over,
});
const rendered = (facts: Partial<AwsFacts>) => renderVerdict({ verdict: verdictWith('aws_instance_credentials', awsFacts(facts), { alert_id: 'aws-1', verdict: 'malicious', score: 90, summary: 's', path: [] }), alertKey: 'k' }).blocks;

describe('key facts of an AWS verdict', () => {
  it('lead with the role, then the calls of each address that is not the instance’s, with their counts', () => {
    const shown = shownText(
      rendered({
        role_arn: ROLE,
        home_region: 'us-east-1',
        instance_public_ips: ['3.80.1.20'],
        ips: [
          address({ address: '3.80.1.20', event_names: ['DescribeInstances'] }),
          address({ address: '45.155.205.10', class: 'non-aws', region: null, events: 12, event_names: ['GetCallerIdentity', 'ListBuckets', 'GetObject'] }),
          address({ address: '3.81.9.9', events: 1, event_names: ['ListUsers'] }),
          address({ address: '203.0.113.50', class: 'trusted', region: null, event_names: ['PutObject'] }),
        ],
      }),
    );
    expect(shown).toContain('Role: arn:aws:iam::111122223333:role/app-role');
    expect(shown).toContain('Calls from 45[.]155[.]205[.]10 (non-AWS, 12 events): GetCallerIdentity, ListBuckets, GetObject');
    // An AWS address that is not one of the instance's own is foreign too; the instance's and a trusted egress are not.
    expect(shown).toContain('Calls from 3[.]81[.]9[.]9 (AWS us-east-1, 1 event): ListUsers');
    expect(shown).not.toContain('Calls from 3[.]80[.]1[.]20');
    expect(shown).not.toContain('Calls from 203[.]0[.]113[.]50');
    expect(shown.indexOf('Role: ')).toBeLessThan(shown.indexOf('Calls from '));
    expect(shown.indexOf('Calls from ')).toBeLessThan(shown.indexOf('IPs: '));
  });

  it('count each call when the evidence counted them', () => {
    const calls = [{ name: 'GetObject', events: 9 }, { name: 'ListBuckets', events: 2 }, { name: 'GetCallerIdentity', events: 1 }];
    const shown = shownText(rendered({ ips: [address({ address: '45.155.205.10', class: 'non-aws', region: null, events: 12, event_names: calls.map((c) => c.name), calls })] }));
    expect(shown).toContain('Calls from 45[.]155[.]205[.]10 (non-AWS, 12 events): GetObject ×9, ListBuckets ×2, GetCallerIdentity ×1');
  });

  it('without the instance’s own addresses, an AWS address counts as foreign only in another region than the instance’s', () => {
    const shown = shownText(rendered({ home_region: 'us-east-1', ips: [address({ address: '3.80.1.20' }), address({ address: '52.58.0.1', region: 'eu-central-1', event_names: ['CreateUser'] })] }));
    expect(shown).toContain('Calls from 52[.]58[.]0[.]1 (AWS eu-central-1, 3 events): CreateUser');
    expect(shown).not.toContain('Calls from 3[.]80[.]1[.]20');
  });

  it('name the session issuers when no single role is known, and say so when no event names one', () => {
    expect(shownText(rendered({ session_issuer_arns: [ROLE, 'arn:aws:iam::111122223333:role/other'] }))).toContain(`Role: ${ROLE}, arn:aws:iam::111122223333:role/other`);
    expect(shownText(rendered({}))).toContain('Role: no event of the key names it');
    expect(shownText(rendered({ ips: [address({ class: 'non-aws', region: null, event_names: [] })] }))).toContain('(non-AWS, 3 events): no call names in the events');
  });

  it('never let a role, an address or a call name reach mrkdwn, and defang them', () => {
    const hostile = '<!channel> *urgent* <https://evil.example/x|click>';
    const blocks = rendered({ role_arn: `arn:aws:iam::111122223333:role/${hostile}`, ips: [address({ address: `${hostile}`, class: 'non-aws', region: null, event_names: [hostile, 'GetObject\u202e'] })] });
    for (const text of mrkdwnTexts(blocks)) expect(text).not.toMatch(/<!channel>|evil|urgent/);
    const shown = shownText(blocks);
    expect(shown).toContain('Role: arn:aws:iam::111122223333:role/<!channel> *urgent* <hxxps://evil[.]example/x|click>');
    expect(shown).toContain('<hxxps://evil[.]example/x|click>, GetObject');
    expect(shown).not.toContain('\u202e');
  });
});

describe('the demo’s stolen key used from a VPS', () => {
  let verdict: Verdict;
  beforeAll(async () => {
    const { alerts, deps } = await loadDemo();
    verdict = await investigate(alerts.find((a) => a.id === 'demo-aws-vps')!, deps);
  });

  it('shows the VPS address’s calls in the key facts', () => {
    const shown = shownText(renderVerdict({ verdict, alertKey: 'k' }).blocks);
    expect(shown).toMatch(/Calls from [\d[\].]+ \(non-AWS, \d+ events?\): \w+/);
  });
});
