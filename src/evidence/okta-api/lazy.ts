// The Okta API, loaded when first asked: the official SDK is large (≈ 50 MB of the worker's memory), so a
// deployment without the Okta API configured never loads it, and one with it loads it on the first Okta alert.
import type { OktaDirectory, OktaLogEvidence } from '../ports.js';
import type { OktaApi, OktaApiOptions } from './api.js';

export function lazyOktaApi(opts: OktaApiOptions): OktaLogEvidence & OktaDirectory {
  let api: Promise<OktaApi> | undefined;
  const loaded = () => (api ??= import('./api.js').then((m) => new m.OktaApi(opts)));
  return {
    userEvents: async (user, window) => (await loaded()).userEvents(user, window),
    userEventsOfTypes: async (user, eventTypes, window) => (await loaded()).userEventsOfTypes(user, eventTypes, window),
    signInsFrom: async (user, ips, window) => (await loaded()).signInsFrom(user, ips, window),
    userAgentsSeen: async (user, userAgents, window) => (await loaded()).userAgentsSeen(user, userAgents, window),
    resolveUser: async (user) => (await loaded()).resolveUser(user),
    listFactors: async (userId) => (await loaded()).listFactors(userId),
  };
}
