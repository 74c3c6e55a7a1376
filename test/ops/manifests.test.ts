// The Slack app manifests ask for exactly the scopes the code uses (no users:read: nothing calls users.*), and
// the HTTP one points every request URL at the path Bolt serves.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../support/cli.js';

interface Manifest {
  display_information: Record<string, unknown>;
  features: { slash_commands: Array<{ command: string; url?: string }>; [k: string]: unknown };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { request_url?: string; bot_events: string[] }; interactivity: { is_enabled: boolean; request_url?: string }; socket_mode_enabled: boolean; [k: string]: unknown };
}

const load = (file: string) => parse(readFileSync(`${ROOT}${file}`, 'utf8')) as Manifest;
const socket = load('manifest.yml');
const http = load('manifest.http.yml');

/** The scope each Web API method the code calls needs (none: Slack asks for none). A new call fails this test until listed. */
const METHOD_SCOPES: Record<string, string | null> = {
  'chat.postMessage': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.update': 'chat:write',
  'chat.delete': 'chat:write',
  'conversations.replies': 'channels:history',
  'conversations.history': 'channels:history',
  'reactions.get': 'reactions:read',
  'chat.getPermalink': null,
  'reactions.add': 'reactions:write',
  'reactions.remove': 'reactions:write',
  'files.info': 'files:read',
  // files.getUploadURLExternal and files.completeUploadExternal underneath: both files:write.
  'files.uploadV2': 'files:write',
  'usergroups.users.list': 'usergroups:read',
  'views.open': null,
  'views.publish': null,
  'auth.test': null,
  'apps.connections.open': null,
};
/** Scopes that come with what the app receives rather than what it calls. */
const EVENT_SCOPES: Record<string, string | null> = { 'message.channels': 'channels:history', 'message.groups': 'groups:history', app_home_opened: null };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Web API methods called anywhere in src/ (`client.chat.postMessage(`, `slack.reactions.add(` …), and any by name (apiCall). */
function methodsCalled(): string[] {
  const families = 'admin|apps|auth|bookmarks|bots|chat|conversations|dnd|emoji|files|pins|reactions|reminders|search|stars|team|usergroups|users|views';
  // On a WebClient: our clients are named client, slack or interactive wherever they are held.
  // Method names may end in a digit (files.uploadV2).
  const re = new RegExp(`\\b(?:client|slack|interactive)\\.((?:${families})\\.[a-zA-Z][a-zA-Z0-9]*(?:\\.[a-zA-Z][a-zA-Z0-9]*)?)\\(`, 'g');
  const found = new Set<string>();
  for (const file of sourceFiles(`${ROOT}src`)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(re)) found.add(m[1]!);
    for (const m of text.matchAll(/apiCall\(\s*['"]([a-z.A-Z]+)['"]/g)) found.add(m[1]!);
  }
  return [...found].sort();
}

describe('Slack app manifests', () => {
  it('every Web API method the code calls has a known scope, and none is a users.* method', () => {
    const called = methodsCalled();
    expect(called).toContain('chat.postMessage');
    expect(called.filter((m) => !(m in METHOD_SCOPES))).toEqual([]);
    expect(called.filter((m) => m.startsWith('users.'))).toEqual([]);
  });

  it.each([
    ['manifest.yml', socket],
    ['manifest.http.yml', http],
  ])('%s asks for exactly the scopes the code needs', (_name, manifest) => {
    const needed = new Set([
      ...methodsCalled().map((m) => METHOD_SCOPES[m]),
      ...manifest.settings.event_subscriptions.bot_events.map((e) => EVENT_SCOPES[e]),
      manifest.features.slash_commands.length ? 'commands' : null,
    ].filter((s): s is string => typeof s === 'string'));
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
    expect(manifest.oauth_config.scopes.bot).not.toContain('users:read');
  });

  it('the Socket Mode manifest has no request URLs; the HTTP one sends events, interactivity and /triage to /slack/events', () => {
    expect(socket.settings.socket_mode_enabled).toBe(true);
    expect(socket.settings.event_subscriptions.request_url).toBeUndefined();
    expect(http.settings.socket_mode_enabled).toBe(false);
    const url = http.settings.event_subscriptions.request_url!;
    expect(url).toMatch(/^https:\/\/[^/]+\/slack\/events$/);
    expect(http.settings.interactivity).toEqual({ is_enabled: true, request_url: url });
    expect(http.features.slash_commands.map((c) => [c.command, c.url])).toEqual([['/triage', url]]);
  });

  it('the two differ only in how Slack reaches the app', () => {
    const strip = (m: Manifest) => {
      const copy = structuredClone(m);
      delete copy.settings.event_subscriptions.request_url;
      delete copy.settings.interactivity.request_url;
      for (const c of copy.features.slash_commands) delete c.url;
      return { ...copy, settings: { ...copy.settings, socket_mode_enabled: null } };
    };
    expect(strip(http)).toEqual(strip(socket));
  });
});
