// Proofpoint TAP clicks from Elasticsearch: one aggregation over both click data streams, led by its subject
// (the URL spellings in the query, within the click-time window); whether there was any click in the window
// at all, and permitted clicks without a URL, are small requests beside it in the same `_msearch`.
import type { Client } from '@elastic/elasticsearch';
import { withDecodedSpellings } from '../../enrich/url-decode.js';
import type { TimeWindow } from '../ports.js';
import { CLICK_IP_FIELD, CLICK_STREAMS, CLICK_URL_FIELD, RECIPIENT_FIELD, type ClickAction, type ProofpointClick, type ProofpointClickEvidence, type ProofpointClicksFound } from '../proofpoint.js';
import { indexedLengthCaps } from './fields.js';
import { aggregate, hasData, keys, terms, type Bucket, type CappedTermsAgg, type Query, type TermsAgg, type ValueAgg } from './search.js';

const MAX_URLS = 100;
const MAX_RECIPIENTS = 100;

const range = (field: string, w: TimeWindow): Query => ({ range: { [field]: { gte: w.from.toISOString(), lte: w.to.toISOString() } } });
const exists = (field: string): Query => ({ exists: { field } });

/**
 * Clicked in the window: by click_time where the event has one; by @timestamp in older versions, where it is
 * the click time. @timestamp is never earlier than the click, so it also bounds the search from below.
 */
export function clickWindow(w: TimeWindow): Query {
  const clickTimes = CLICK_STREAMS.map((s) => s.clickTime);
  return {
    bool: {
      filter: [{ range: { '@timestamp': { gte: w.from.toISOString() } } }],
      should: [...clickTimes.map((f) => range(f, w)), { bool: { must_not: clickTimes.map(exists), filter: [range('@timestamp', w)] } }],
      minimum_should_match: 1,
    },
  };
}

/** A click of the stream: named by its dataset (event.dataset or data_stream.dataset), or carrying the stream's own fields. */
function ofStream(action: ClickAction): Query {
  const s = CLICK_STREAMS.find((x) => x.action === action)!;
  return { bool: { should: [{ term: { 'event.dataset': s.dataset } }, { term: { 'data_stream.dataset': s.dataset } }, exists(s.dataset)], minimum_should_match: 1 } };
}

interface RecipientBucket extends Bucket {
  ips: TermsAgg;
  classes: TermsAgg;
  at: { min: ValueAgg; max: ValueAgg };
  legacy: { doc_count: number; min: ValueAgg; max: ValueAgg };
}
type UrlBucket = Bucket & { recipients: CappedTermsAgg<RecipientBucket> };
type StreamAgg = { doc_count: number; urls: CappedTermsAgg<UrlBucket> };

function perUrl(action: ClickAction): Query {
  const s = CLICK_STREAMS.find((x) => x.action === action)!;
  return {
    filter: ofStream(action),
    aggs: {
      urls: {
        ...terms(CLICK_URL_FIELD, MAX_URLS),
        aggs: {
          recipients: {
            ...terms(RECIPIENT_FIELD, MAX_RECIPIENTS, { missing: '' }),
            aggs: {
              ips: terms(CLICK_IP_FIELD, 5),
              classes: terms(s.classification, 5),
              at: { filter: exists(s.clickTime), aggs: { min: { min: { field: s.clickTime } }, max: { max: { field: s.clickTime } } } },
              legacy: { filter: { bool: { must_not: [exists(s.clickTime)] } }, aggs: { min: { min: { field: '@timestamp' } }, max: { max: { field: '@timestamp' } } } },
            },
          },
        },
      },
    },
  };
}

const times = (aggs: Array<ValueAgg | undefined>) => aggs.flatMap((a) => (a?.value === null || a?.value === undefined ? [] : [a.value]));

function clicksOf(action: ClickAction, agg: StreamAgg | undefined): ProofpointClick[] {
  return (agg?.urls.buckets ?? []).flatMap((u) =>
    u.recipients.buckets.map((r) => {
      const recipient = String(r.key);
      const firsts = times([r.at.min, r.legacy.min]);
      const lasts = times([r.at.max, r.legacy.max]);
      return {
        url: String(u.key),
        action,
        users: recipient ? [recipient] : [],
        first: new Date(firsts.length ? Math.min(...firsts) : 0),
        last: new Date(lasts.length ? Math.max(...lasts) : 0),
        count: r.doc_count,
        clickIps: keys(r.ips),
        classifications: keys(r.classes),
      };
    }),
  );
}

export class ElasticProofpointClicks implements ProofpointClickEvidence {
  constructor(
    private readonly es: Client,
    private readonly index: string,
  ) {}

  async clicks(spellings: string[], window: TimeWindow): Promise<ProofpointClicksFound> {
    const wanted = withDecodedSpellings(spellings);
    const caps = await indexedLengthCaps(this.es, this.index, [CLICK_URL_FIELD]);
    const match: Query = { bool: { should: wanted.map((s) => ({ term: { [CLICK_URL_FIELD]: { value: s, case_insensitive: true } } })), minimum_should_match: 1 } };
    const permitted = ofStream('permitted');
    const blocked = ofStream('blocked');
    const inWindow = clickWindow(window);
    const [data, { aggs }, withoutUrlFound] = await Promise.all([
      hasData(this.es, this.index, inWindow),
      aggregate<{ m?: { permitted: StreamAgg; blocked: StreamAgg; neither: { doc_count: number } } }>(this.es, this.index, { bool: { filter: [inWindow, match] } }, {
        m: {
          filter: { match_all: {} },
          aggs: { permitted: perUrl('permitted'), blocked: perUrl('blocked'), neither: { filter: { bool: { must_not: [permitted, blocked] } } } },
        },
      }),
      // A URL beyond the indexed length is in _ignored, not missing (and cannot equal a shorter spelling).
      aggregate(this.es, this.index, { bool: { filter: [inWindow, permitted], must_not: [exists(CLICK_URL_FIELD), { terms: { _ignored: [CLICK_URL_FIELD, `${CLICK_URL_FIELD}.keyword`] } }] } }, {}),
    ]);
    const found = [...clicksOf('permitted', aggs.m?.permitted), ...clicksOf('blocked', aggs.m?.blocked)];
    const incomplete: string[] = [];
    const notes: string[] = [];
    for (const action of ['permitted', 'blocked'] as const) {
      const stream = aggs.m?.[action];
      const cutUrls = stream?.urls.sum_other_doc_count ?? 0;
      // Logged spellings are compared again by the flow (path case kept): one beyond the list could be the URL.
      if (cutUrls > 0) incomplete.push(`${CLICK_URL_FIELD}: ${cutUrls} ${action} click(s) logged the URL in spellings beyond the first ${MAX_URLS}, not compared`);
      for (const u of stream?.urls.buckets ?? []) {
        const cut = u.recipients.sum_other_doc_count ?? 0;
        if (cut === 0) continue;
        const note = `${String(u.key)}: ${cut} ${action} click(s) of recipients beyond the first ${MAX_RECIPIENTS} are not listed`;
        // A permitted bucket is a click already found; blocked ones beyond the list hide no permitted click.
        (action === 'permitted' ? incomplete : notes).push(note);
      }
    }
    const neither = aggs.m?.neither.doc_count ?? 0;
    if (neither > 0) incomplete.push(`${neither} click(s) on the URL name neither ${CLICK_STREAMS.map((s) => s.dataset).join(' nor ')}: whether they were permitted is unknown`);
    const withoutUrl = withoutUrlFound.total;
    if (withoutUrl > 0) incomplete.push(`${CLICK_URL_FIELD}: ${withoutUrl} permitted click(s) carry no URL: which URL was clicked is unknown`);
    const cap = caps[CLICK_URL_FIELD];
    const longest = Math.max(0, ...wanted.map((s) => s.length));
    if (found.length === 0 && cap !== undefined && longest > cap) incomplete.push(`${CLICK_URL_FIELD}: the URL of ${longest} characters is longer than the ${cap} the field indexes, so it cannot be matched there`);
    return { hasData: data, found, ...(incomplete.length ? { incomplete } : {}), ...(notes.length ? { notes } : {}) };
  }
}
