// The Home tab: usage for everyone; for responders only, the last verdicts (alert ids, outcomes), the
// suppressions in force and the bot's track record.
import type { App } from '@slack/bolt';
import { publicReason } from '../../ops/public-error.js';
import type { Block } from '../../slack/render.js';
import { recentBlock, suppressionBlocks, SUPPRESSIONS_IN_HOME, trackRecordBlocks, USAGE } from '../analyst-views.js';
import type { ListenerDeps } from '../deps.js';

const FOR_RESPONDERS_ONLY: Block[] = [{ type: 'context', elements: [{ type: 'mrkdwn', text: 'Recent verdicts, suppressions and the track record are shown to SOC responders only.' }] }];

async function responderBlocks(deps: ListenerDeps): Promise<Block[]> {
  const [recent, suppressions, record] = await Promise.all([
    deps.state.recentVerdicts(10),
    deps.state.suppressions.list(),
    deps.readTrackRecord().catch((err: unknown) => {
      deps.log('warn', `Home tab: track record not read: ${(err as Error).message}`);
      return publicReason(err);
    }),
  ]);
  return [
    { type: 'section', text: { type: 'mrkdwn', text: `*Last verdicts*${recent.length ? '' : '\nnone yet'}` } },
    ...recentBlock(recent),
    { type: 'divider' },
    ...suppressionBlocks(suppressions, SUPPRESSIONS_IN_HOME),
    { type: 'divider' },
    ...(typeof record === 'string' ? [{ type: 'section', text: { type: 'mrkdwn', text: `*Track record*\n:warning: not available: ${record}` } }] : trackRecordBlocks(record)),
  ];
}

/** Publishes the user's Home tab; `note` is a line of ours on top (after a Lift). */
export async function publishHome(deps: ListenerDeps, userId: string, note?: string): Promise<void> {
  // Not a gate: everyone gets a Home tab, responders a fuller one (a failed lookup shows the short one).
  const responder = await deps.responders.isResponder(userId).catch(() => false);
  const blocks = [
    ...(note ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: note }] }] : []),
    { type: 'section', text: { type: 'mrkdwn', text: `*SOC Triage*\n${USAGE}` } },
    ...(responder ? await responderBlocks(deps) : FOR_RESPONDERS_ONLY),
  ];
  await deps.client.views.publish({ user_id: userId, view: { type: 'home', blocks: blocks as never } });
}

export function register(app: App, deps: ListenerDeps): void {
  app.event('app_home_opened', async ({ event }) => publishHome(deps, event.user));
}
