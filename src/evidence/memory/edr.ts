// Proxy and EDR evidence in memory: the same questions as elastic/edr.ts, answered over documents.
import { HASH_LENGTHS, hashSpellings } from '../../alerts/email-fields.js';
import { foldSchemeAndHost } from '../../enrich/url.js';
import { reachedNames, reachesDomain } from '../domains.js';
import { strings, timestamp, type EcsDocument } from '../documents.js';
import { BLOCKED_ACTION, EDR_FIELDS, PROXY_FIELDS, PROXY_PERSON_FIELDS } from '../devices.js';
import type { DomainContact, EdrEvidence, IndicatorHit, Interaction, ProxyEvidence, Searched, TimeWindow, UrlHit } from '../ports.js';
import type { MemoryDocuments } from './store.js';

const lower = (s: string) => s.toLowerCase();

/**
 * Groups documents by device into interactions, as the per-host aggregations do: the device is named by the
 * first of `devices` an event carries (every value of it), '' when none.
 */
function byHost(docs: EcsDocument[], fields: { devices: readonly string[]; users: readonly string[] } = EDR_FIELDS): Array<Interaction & { docs: EcsDocument[] }> {
  const groups = new Map<string, EcsDocument[]>();
  for (const d of docs) {
    const named = fields.devices.map((f) => strings(d, f)).find((v) => v.length > 0) ?? [''];
    for (const host of new Set(named)) groups.set(host, [...(groups.get(host) ?? []), d]);
  }
  return [...groups.entries()].map(([host, group]) => {
    const times = group.map((d) => timestamp(d)!.getTime());
    return {
      ...(host ? { host } : {}),
      users: [...new Set(group.flatMap((d) => fields.users.flatMap((f) => strings(d, f))))].sort(),
      first: new Date(Math.min(...times)),
      last: new Date(Math.max(...times)),
      count: group.length,
      docs: group,
    };
  });
}

function strip<T extends { docs: EcsDocument[] }>(x: T): Omit<T, 'docs'> {
  const { docs: _docs, ...rest } = x;
  return rest;
}

/** A proxy record's person: the first person field it carries; the later fields' values are other spellings. */
function proxyPerson(d: EcsDocument): { users: string[]; others: string[] } {
  const i = PROXY_PERSON_FIELDS.findIndex((f) => strings(d, f).length > 0);
  if (i < 0) return { users: [], others: [] };
  return { users: strings(d, PROXY_PERSON_FIELDS[i]!), others: PROXY_PERSON_FIELDS.slice(i + 1).flatMap((f) => strings(d, f)) };
}

const isBlocked = (d: EcsDocument) => ['event.action', 'zscaler_zia.web.action'].some((f) => strings(d, f).some((a) => lower(a) === BLOCKED_ACTION));

export class MemoryProxy implements ProxyEvidence {
  constructor(private readonly docs: MemoryDocuments) {}

  async urlHits(spellings: string[], window: TimeWindow): Promise<Searched<UrlHit[]>> {
    const inWindow = this.docs.inWindow('zscaler_zia.web', window);
    const wanted = new Set(spellings.map(foldSchemeAndHost));
    const byUrl = new Map<string, EcsDocument[]>();
    for (const d of inWindow) {
      const urls = new Set([...strings(d, 'url.full'), ...strings(d, 'url.original')].filter((u) => wanted.has(foldSchemeAndHost(u))));
      for (const u of urls) {
        const key = `${isBlocked(d) ? 'blocked' : 'allowed'}\u0000${u}`;
        byUrl.set(key, [...(byUrl.get(key) ?? []), d]);
      }
    }
    const found = [...byUrl.entries()].flatMap(([key, docs]) => {
      const [action, url] = key.split('\u0000') as [string, string];
      return byHost(docs, PROXY_FIELDS).map((h) => {
        const persons = h.docs.map(proxyPerson);
        const users = [...new Set(persons.flatMap((p) => p.users))].sort();
        const otherNames = [...new Set(persons.flatMap((p) => p.others))].filter((n) => !users.includes(n)).sort();
        return { url, ...strip(h), users, ...(otherNames.length ? { otherNames } : {}), ...(action === 'blocked' ? { blocked: true } : {}) };
      });
    });
    return { hasData: inWindow.length > 0, found };
  }
}

export class MemoryEdr implements EdrEvidence {
  constructor(private readonly docs: MemoryDocuments) {}

  async domainContacts(domains: string[], window: TimeWindow): Promise<Searched<DomainContact[]>> {
    const inWindow = this.docs.inWindow('endpoint.events.network', window);
    const found = domains.flatMap((domain) =>
      byHost(inWindow.filter((d) => reachesDomain(d, domain))).map((h) => ({
        domain,
        names: [...new Set(h.docs.flatMap(reachedNames))].sort(),
        ...strip(h),
      })),
    );
    return { hasData: inWindow.length > 0, found };
  }

  async domainUsers(domains: string[], window: TimeWindow): Promise<Searched<Record<string, number>>> {
    const inWindow = this.docs.inWindow('endpoint.events.network', window);
    const found = Object.fromEntries(domains.map((domain) => [domain, new Set(inWindow.filter((d) => reachesDomain(d, domain)).flatMap((d) => strings(d, 'user.name'))).size]));
    return { hasData: inWindow.length > 0, found };
  }

  async processHits(fileNames: string[], hashes: string[], window: TimeWindow): Promise<Searched<IndicatorHit[]>> {
    const inWindow = this.docs.inWindow('endpoint.events.process', window);
    const starts = inWindow.filter((d) => {
      const types = strings(d, 'event.type');
      return types.length === 0 || types.includes('start');
    });
    const tests: Array<[IndicatorHit['matchedBy'], string, (d: EcsDocument) => boolean]> = [];
    for (const name of fileNames) {
      tests.push(['command_line', name, (d) => strings(d, 'process.command_line').some((c) => lower(c).includes(lower(name)))]);
      tests.push(['process_name', name, (d) => strings(d, 'process.name').some((n) => lower(n) === lower(name))]);
    }
    for (const h of hashes) tests.push(['hash', h, hashMatches('process.hash', h)]);
    return { hasData: inWindow.length > 0, found: indicatorHits(starts, tests, 'process.command_line') };
  }

  async fileHits(fileNames: string[], hashes: string[], window: TimeWindow): Promise<Searched<IndicatorHit[]>> {
    const inWindow = this.docs.inWindow('endpoint.events.file', window);
    const creations = inWindow.filter((d) => strings(d, 'event.type').includes('creation') || strings(d, 'event.action').includes('creation'));
    const tests: Array<[IndicatorHit['matchedBy'], string, (d: EcsDocument) => boolean]> = [];
    for (const name of fileNames) tests.push(['file_name', name, (d) => strings(d, 'file.name').some((n) => lower(n) === lower(name))]);
    for (const h of hashes) tests.push(['hash', h, hashMatches('file.hash', h)]);
    return { hasData: inWindow.length > 0, found: indicatorHits(creations, tests, 'file.path') };
  }
}

/** Events carrying the hash, in a spelling the Elasticsearch adapter asks for, on its algorithm's field. */
function hashMatches(prefix: string, hash: string): (d: EcsDocument) => boolean {
  const algo = HASH_LENGTHS[hash.length];
  const spellings = hashSpellings(hash);
  return (d) => algo !== undefined && strings(d, `${prefix}.${algo}`).some((v) => spellings.includes(v));
}

function indicatorHits(docs: EcsDocument[], tests: Array<[IndicatorHit['matchedBy'], string, (d: EcsDocument) => boolean]>, examplesField: string): IndicatorHit[] {
  return tests.flatMap(([matchedBy, indicator, test]) =>
    byHost(docs.filter(test)).map((h) => ({
      indicator,
      matchedBy,
      examples: [...new Set(h.docs.flatMap((d) => strings(d, examplesField)))].sort().slice(0, 3),
      ...strip(h),
    })),
  );
}
