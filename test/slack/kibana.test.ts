// Kibana Discover links per decision step (KIBANA_URL): built from the step's structured query, never from text.
// Hostile values (quotes, `!`, `'`, parentheses, spaces, newlines, `)&_a=(`, unicode, very long) must come back
// exactly as they went in when the link is decoded as Kibana decodes it — or there is no link at all.
import { describe, expect, it } from 'vitest';
import type { StepQuery } from '../../src/flows/verdict-core.js';
import type { Verdict } from '../../src/flows/verdict.js';
import { kibanaUrlProblem } from '../../src/config/values.js';
import { readStoredVerdict } from '../../src/flows/stored-verdict.js';
import { loadConfig } from '../../src/config.js';
import { discoverUrl, kqlOf, kqlQuote, MAX_LINK_LENGTH, risonString, type KibanaSettings } from '../../src/slack/kibana.js';
import { KIBANA_LINK_TEXT } from '../../src/slack/path-lines.js';
import { renderVerdict } from '../../src/slack/render.js';
import { blockProblem } from '../fakes/slack-rules.js';
import { mrkdwnTexts } from '../support/blocks.js';
import { oktaFacts } from '../support/facts.js';

const settings: KibanaSettings = {
  url: 'https://kibana.example.com/s/soc/',
  indices: { cloudtrail: 'logs-aws.cloudtrail-*', okta: 'logs-okta.system-*', proxy: 'logs-proxy-*', edrProcess: 'logs-endpoint.events.process-*', edrFile: 'logs-endpoint.events.file-*', edrNetwork: 'logs-endpoint.events.network-*', proofpoint: 'logs-proofpoint*', agentSightings: 'logs-*' },
};
const query = (values: string[], extra: StepQuery['match'] = []): StepQuery => ({ evidence: 'okta', match: [{ field: 'okta.actor.alternate_id', values }, ...extra], from: '2026-11-04T11:00:00.000Z', to: '2026-11-05T13:00:00.000Z' });

// --- A reader of what Kibana reads: rison (objects, quoted strings, ids) and KQL's quoted values. ---
type Rison = string | { [k: string]: Rison };
function parseRison(text: string): Rison {
  let i = 0;
  const value = (): Rison => {
    if (text[i] === '(') {
      i++;
      const out: Record<string, Rison> = {};
      while (text[i] !== ')') {
        const key = /^[A-Za-z_][\w.-]*/.exec(text.slice(i))![0];
        i += key.length;
        if (text[i++] !== ':') throw new Error(`expected : at ${i}`);
        out[key] = value();
        if (text[i] === ',') i++;
      }
      i++;
      return out;
    }
    if (text[i] === "'") {
      let s = '';
      for (i++; text[i] !== "'"; i++) {
        if (i >= text.length) throw new Error('unterminated string');
        if (text[i] === '!') i++;
        s += text[i];
      }
      i++;
      return s;
    }
    const id = /^[\w.-]+/.exec(text.slice(i))![0];
    i += id.length;
    return id;
  };
  const out = value();
  if (i !== text.length) throw new Error(`trailing text at ${i}: ${text.slice(i, i + 20)}`);
  return out;
}

/** The app state and global state of a Discover link, decoded as Kibana does (URL, then rison). */
function decodeLink(url: string): { base: string; g: Rison; a: Rison } {
  const [base, hash] = url.split('#');
  expect(hash!.startsWith('/?')).toBe(true);
  const params = new URLSearchParams(hash!.slice(2));
  expect([...params.keys()]).toEqual(['_g', '_a']);
  return { base: base!, g: parseRison(params.get('_g')!), a: parseRison(params.get('_a')!) };
}

/** The values of a KQL `field:"v"` or `field:("a" or "b")` clause list, unquoted. */
function kqlValues(kql: string): Array<[string, string[]]> {
  const out: Array<[string, string[]]> = [];
  const clause = /([\w.@-]+):(?:\(((?:"(?:[^"\\]|\\.)*"(?: or )?)+)\)|("(?:[^"\\]|\\.)*"))(?: and |$)/gy;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = clause.exec(kql))) {
    const quoted = (m[2] ?? m[3])!.match(/"(?:[^"\\]|\\.)*"/g)!;
    out.push([m[1]!, quoted.map((q) => q.slice(1, -1).replace(/\\(.)/gs, '$1'))]);
    end = clause.lastIndex;
  }
  expect(end).toBe(kql.length);
  return out;
}

const HOSTILE = [`o'brien@example.com`, 'a"b\\"c\\', 'bang!!x!', ')&_a=(query:(language:lucene,query:x))', "')&_g=(time:(from:now-100y))&x=('", 'two words (and) more', 'line\nbreak\r\ttab', 'ünïcødé 名前 🔑 \u202E', 'x:* or *', '%27%21%28', '#frag?q=1'];

describe('KQL and rison', () => {
  it('KQL-quotes a value: backslash and double quote escaped, nothing else touched', () => {
    expect(kqlQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(kqlQuote('x:* or y')).toBe('"x:* or y"');
    expect(kqlOf(query(['a', 'b"'], [{ field: 'event.action', values: ['x'] }]))).toBe('okta.actor.alternate_id:("a" or "b\\"") and event.action:"x"');
  });

  it('one of several fields (any): each field in KQL, joined by or, in parentheses; a bad field spoils the link', () => {
    const any = { any: [{ field: 'url.full', values: ['https://a.test/x', 'b") or (x:*'] }, { field: 'url.original', values: ['https://a.test/x'] }] };
    expect(kqlOf({ ...query(['a']), match: [any] })).toBe('(url.full:("https://a.test/x" or "b\\") or (x:*") or url.original:"https://a.test/x")');
    expect(kqlOf({ ...query(['a']), match: [{ any: [{ field: 'url.full', values: ['x'] }, { field: 'a b', values: ['y'] }] }] })).toBeUndefined();
    expect(kqlOf({ ...query(['a']), match: [{ any: [] }] })).toBeUndefined();
  });

  it('rison-quotes a string: ! as !!, \' as !\'', () => {
    expect(risonString("it's !")).toBe("'it!'s !!'");
  });

  it('refuses a field that is not a plain field name, and an empty match', () => {
    expect(kqlOf({ ...query(['a']), match: [{ field: 'a:b or c', values: ['x'] }] })).toBeUndefined();
    expect(kqlOf({ ...query(['a']), match: [] })).toBeUndefined();
    expect(discoverUrl(settings, { ...query(['a']), match: [{ field: 'user', values: [] }] })).toBeUndefined();
  });
});

describe('a Discover link', () => {
  it('opens the step’s data view, query and window, under Kibana’s base path', () => {
    const { base, g, a } = decodeLink(discoverUrl(settings, query(['sam@example.com']))!);
    expect(base).toBe('https://kibana.example.com/s/soc/app/discover');
    expect(g).toEqual({ time: { from: '2026-11-04T11:00:00.000Z', to: '2026-11-05T13:00:00.000Z' } });
    expect(a).toEqual({ dataSource: { dataViewId: 'logs-okta.system-*', type: 'dataView' }, query: { language: 'kuery', query: 'okta.actor.alternate_id:"sam@example.com"' } });
  });

  for (const hostile of HOSTILE) {
    it(`carries ${JSON.stringify(hostile)} back exactly, as one value, with no parameter of its own`, () => {
      const url = discoverUrl(settings, query([hostile, 'plain'], [{ field: 'event.action', values: [hostile] }]))!;
      expect(url).toBeDefined();
      expect(url).not.toMatch(/[\s"<>|\\]/);
      const { a, g } = decodeLink(url);
      expect(g).toEqual({ time: { from: '2026-11-04T11:00:00.000Z', to: '2026-11-05T13:00:00.000Z' } });
      const state = a as { query: { language: string; query: string }; dataSource: unknown };
      expect(Object.keys(state)).toEqual(['dataSource', 'query']);
      expect(state.query.language).toBe('kuery');
      expect(kqlValues(state.query.query)).toEqual([
        ['okta.actor.alternate_id', [hostile, 'plain']],
        ['event.action', [hostile]],
      ]);
    });
  }

  it('past the length cap there is no link, never a cut one', () => {
    const long = 'x'.repeat(MAX_LINK_LENGTH);
    expect(discoverUrl(settings, query([long]))).toBeUndefined();
    const fits = 'y'.repeat(1500);
    expect(discoverUrl(settings, query([fits]))!.length).toBeLessThanOrEqual(MAX_LINK_LENGTH);
    expect(discoverUrl(settings, query(['名'.repeat(300)]))).toBeUndefined(); // 9 bytes a character once encoded
  });

  it('a lone surrogate, an unknown index or a window that is not ours: no link', () => {
    expect(discoverUrl(settings, query(['\uD800x']))).toBeUndefined();
    expect(discoverUrl({ ...settings, indices: { ...settings.indices, okta: '' } }, query(['a']))).toBeUndefined();
    expect(discoverUrl(settings, { ...query(['a']), to: "now')&_a=(" })).toBeUndefined();
  });
});

describe('in the verdict', () => {
  const step = (id: string, q?: StepQuery) => ({ step: id, question: 'q?', answer: 'yes', evidence: 'e', ...(q ? { query: q } : {}) });
  const verdict: Verdict = { alert_id: 'a-1', flow: 'okta_impossible_travel', verdict: 'malicious', score: 85, summary: 's', path: [step('O0', query(['sam@example.com'])), step('O1', query(['sam@example.com'])), step('O2')], facts: oktaFacts() };
  const links = (blocks: unknown): Array<Record<string, unknown>> => JSON.stringify(blocks).match(/\{"type":"link"[^}]*\}/g)?.map((s) => JSON.parse(s) as Record<string, unknown>) ?? [];

  it('each step resting on a search links to it, in our words; the window is shown once as dates', () => {
    const m = renderVerdict({ verdict, alertKey: 'k', kibana: settings });
    const found = links(m.blocks);
    expect(found).toHaveLength(2);
    for (const l of found) expect(l).toEqual({ type: 'link', url: discoverUrl(settings, query(['sam@example.com'])), text: KIBANA_LINK_TEXT });
    expect(JSON.stringify(m.blocks).match(/"type":"date"/g)).toHaveLength(2);
    expect(mrkdwnTexts(m.blocks).join('')).not.toContain('kibana');
    expect(blockProblem(m.blocks)).toBeUndefined();
  });

  it('a step’s search survives being stored and read back (Redis, a delivery job); one not in shape is dropped, the step kept', () => {
    const back = readStoredVerdict(JSON.parse(JSON.stringify(verdict)))!;
    expect(back.path[0]!.query).toEqual(query(['sam@example.com']));
    expect(links(renderVerdict({ verdict: back, alertKey: 'k', kibana: settings }).blocks)).toHaveLength(2);
    const altered = { ...verdict, path: [{ ...verdict.path[0]!, query: { evidence: 'elsewhere', match: 'x' } }] };
    const read = readStoredVerdict(JSON.parse(JSON.stringify(altered)))!;
    expect(read.path).toHaveLength(1);
    expect(read.path[0]!.query).toBeUndefined();
  });

  it('no KIBANA_URL, no links', () => {
    expect(links(renderVerdict({ verdict, alertKey: 'k' }).blocks)).toEqual([]);
  });

  it('links give way to steps: a path that only fits without them is shown whole, without them', () => {
    const long = 'z'.repeat(1200);
    const many: Verdict = { ...verdict, path: Array.from({ length: 12 }, (_, i) => ({ ...step(`O${i}`, query([`${long}${i}`])), evidence: 'e'.repeat(380) })) };
    const m = renderVerdict({ verdict: many, alertKey: 'k', kibana: settings });
    expect(JSON.stringify(m.blocks)).not.toContain('more step(s)');
    expect(links(m.blocks)).toEqual([]);
    expect(blockProblem(m.blocks)).toBeUndefined();
  });
});

describe('KIBANA_URL', () => {
  it('https, or http on loopback; no credentials, query or fragment', () => {
    expect(kibanaUrlProblem('https://kibana.example.com/s/soc')).toBeUndefined();
    expect(kibanaUrlProblem('http://127.0.0.1:5601')).toBeUndefined();
    expect(kibanaUrlProblem('http://kibana.example.com')).toMatch(/https/);
    expect(kibanaUrlProblem('https://user:secret@kibana.example.com')).toMatch(/user name or password/);
    expect(kibanaUrlProblem('https://kibana.example.com/?x=1')).toMatch(/query or fragment/);
    expect(kibanaUrlProblem('javascript:alert(1)')).toMatch(/https/);
    expect(kibanaUrlProblem('not a url')).toBe('must be a URL');
  });

  it('is used as written: an empty query or fragment, or white space the URL parser would drop, is refused', () => {
    // Each parses (the parser trims, and `?`/`#` alone leave search and hash empty), but the link built on the raw
    // value would open the base page (`…?/app/discover`, `…#/app/discover`) or be no URL at all for Slack.
    for (const url of ['https://kibana.example.com/s/soc?', 'https://kibana.example.com/#', 'https://kibana.example.com\n', ' https://kibana.example.com', 'https://kibana.example.com/s/my soc']) {
      expect(kibanaUrlProblem(url), url).toBeDefined();
    }
  });

  it('is checked at start, by name, without echoing the value', () => {
    expect(() => loadConfig({ KIBANA_URL: 'https://elastic:changeme@kibana.example.com' })).toThrow(/KIBANA_URL/);
    try {
      loadConfig({ KIBANA_URL: 'https://elastic:changeme@kibana.example.com' });
    } catch (err) {
      expect(String(err)).not.toContain('changeme');
    }
    expect(loadConfig({ KIBANA_URL: 'https://kibana.example.com' }).KIBANA_URL).toBe('https://kibana.example.com');
  });
});
