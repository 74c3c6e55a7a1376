// The one responder check: Responders against the fake Slack's user group, and onlyResponders as Bolt runs a
// listener middleware (the listener after it runs on next(), a denial answers instead).
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onlyResponders, Responders } from '../../src/app/responders.js';
import { slackClientOptions } from '../../src/slack/client.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';

let fake: FakeSlack;
let client: WebClient;

beforeAll(async () => {
  fake = await startFakeSlack({ responders: ['U0GROUPMEMBER'] });
  client = new WebClient('xoxb-test', slackClientOptions(fake.apiUrl));
});
afterAll(async () => fake?.close());

describe('Responders', () => {
  it('knows listed users and members of the responder group, and nobody else', async () => {
    const responders = new Responders(client, 'S0RESPONDERS', ['U0LISTED']);
    expect(await responders.isResponder('U0LISTED')).toBe(true);
    expect(await responders.isResponder('U0GROUPMEMBER')).toBe(true);
    expect(await responders.isResponder('U0OUTSIDER')).toBe(false);
  });

  it('never looks up an id not shaped like a Slack id, even one that would match a listed id loosely', async () => {
    const responders = new Responders(client, 'S0OTHERGROUP', ['U0LISTED']);
    const before = fake.callsOf('usergroups.users.list').length;
    for (const id of ['', 'u0listed', 'U0LISTED>', '<@U0LISTED>', 'U0LISTED\n', 'U'.repeat(40), '__proto__']) expect(await responders.isResponder(id)).toBe(false);
    expect(fake.callsOf('usergroups.users.list').length).toBe(before);
  });
});

describe('onlyResponders', () => {
  interface Args {
    user: string;
    text: string;
  }
  const run = async (user: string, text = 'status') => {
    const seen: string[] = [];
    const middleware = onlyResponders<Args>(new Responders(client, undefined, ['U0LISTED']), {
      user: (a) => a.user,
      exempt: (a) => a.text === 'help',
      deny: async (a) => void seen.push(`denied ${a.user}`),
    });
    // Bolt hands a middleware its arguments and next(); only the parts ours reads are given here.
    await middleware({ user, text, next: async () => void seen.push('listener ran') } as Parameters<typeof middleware>[0]);
    return seen;
  };

  it('runs the listener for a responder', async () => expect(await run('U0LISTED')).toEqual(['listener ran']));
  it('answers anyone else with the denial, and the listener never runs', async () => expect(await run('U0OUTSIDER')).toEqual(['denied U0OUTSIDER']));
  it('lets an exempt request through for anyone', async () => expect(await run('U0OUTSIDER', 'help')).toEqual(['listener ran']));
});
