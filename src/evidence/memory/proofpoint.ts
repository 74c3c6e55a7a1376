// Proofpoint TAP clicks in memory: the same question as elastic/proofpoint.ts, answered over documents.
import { withDecodedSpellings } from '../../enrich/url-decode.js';
import { strings, type EcsDocument } from '../documents.js';
import type { TimeWindow } from '../ports.js';
import { CLICK_IP_FIELD, CLICK_STREAMS, CLICK_URL_FIELD, RECIPIENT_FIELD, clickTime, type ClickAction, type ProofpointClick, type ProofpointClickEvidence, type ProofpointClicksFound } from '../proofpoint.js';
import { termsOrder, type MemoryDocuments } from './store.js';

const lower = (s: string) => s.toLowerCase();
const FOREVER = new Date(8.64e15);

export class MemoryProofpointClicks implements ProofpointClickEvidence {
  constructor(private readonly docs: MemoryDocuments) {}

  /** Clicks of the stream in the window: @timestamp is never earlier than the click, so it bounds the candidates. */
  private clicked(action: ClickAction, dataset: string, window: TimeWindow): Array<{ doc: EcsDocument; at: Date }> {
    return this.docs.inWindow(dataset, { from: window.from, to: FOREVER }).flatMap((doc) => {
      const at = clickTime(doc, action);
      return at && at >= window.from && at <= window.to ? [{ doc, at }] : [];
    });
  }

  async clicks(spellings: string[], window: TimeWindow): Promise<ProofpointClicksFound> {
    const wanted = new Set(withDecodedSpellings(spellings).map(lower));
    let total = 0;
    const found: ProofpointClick[] = [];
    let withoutUrl = 0;
    for (const stream of CLICK_STREAMS) {
      const clicked = this.clicked(stream.action, stream.dataset, window);
      total += clicked.length;
      if (stream.action === 'permitted') withoutUrl = clicked.filter((c) => strings(c.doc, CLICK_URL_FIELD).length === 0).length;
      // Grouped as the aggregation does: per logged URL, then per recipient (none: "").
      const groups = new Map<string, Array<{ doc: EcsDocument; at: Date }>>();
      for (const c of clicked) {
        const urls = new Set(strings(c.doc, CLICK_URL_FIELD).filter((u) => wanted.has(lower(u))));
        const recipients = strings(c.doc, RECIPIENT_FIELD);
        for (const url of urls) {
          for (const recipient of recipients.length ? new Set(recipients) : ['']) {
            const key = JSON.stringify([url, recipient]);
            groups.set(key, [...(groups.get(key) ?? []), c]);
          }
        }
      }
      for (const [key, group] of groups) {
        const [url, recipient] = JSON.parse(key) as [string, string];
        const at = group.map((c) => c.at.getTime());
        found.push({
          url,
          action: stream.action,
          users: recipient ? [recipient] : [],
          first: new Date(Math.min(...at)),
          last: new Date(Math.max(...at)),
          count: group.length,
          clickIps: termsOrder(group.flatMap((c) => strings(c.doc, CLICK_IP_FIELD))).slice(0, 5),
          classifications: termsOrder(group.flatMap((c) => strings(c.doc, stream.classification))).slice(0, 5),
        });
      }
    }
    const incomplete = withoutUrl > 0 ? [`${CLICK_URL_FIELD}: ${withoutUrl} permitted click(s) carry no URL: which URL was clicked is unknown`] : [];
    return { hasData: total > 0, found, ...(incomplete.length ? { incomplete } : {}) };
  }
}
