// `triage demo`: the flows on bundled alerts and evidence, in memory, no services needed.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Writable } from 'node:stream';
import { recogniseAlert, type Alert } from '../flows/recognise.js';
import { investigate, type EngineDeps } from '../flows/engine.js';
import { AwsIpRanges } from '../enrich/aws-ip-ranges.js';
import { IpClassifier } from '../enrich/ip-class.js';
import { MemoryDocuments } from '../evidence/memory/store.js';
import { memorySources } from '../evidence/sources.js';
import { comparePriority, type Verdict } from '../flows/verdict.js';
import { renderText } from './render.js';
import { pictureFolder, writePictureIn } from './picture.js';

const SAMPLES = fileURLToPath(new URL('../../samples/', import.meta.url));

export async function loadDemo(): Promise<{ alerts: Alert[]; deps: EngineDeps }> {
  const evidence = (await readFile(`${SAMPLES}demo/evidence.ndjson`, 'utf8'))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as unknown);
  const rawAlerts = JSON.parse(await readFile(`${SAMPLES}demo/alerts.json`, 'utf8')) as unknown[];
  const alerts = rawAlerts.flatMap((raw) => {
    const outcome = recogniseAlert(raw);
    return outcome.kind === 'alert' ? [outcome.alert] : [];
  });
  const ranges = AwsIpRanges.fromJson(JSON.parse(await readFile(`${SAMPLES}aws-ip-ranges.sample.json`, 'utf8')) as unknown);
  const classifier = new IpClassifier(ranges, []);
  return { alerts, deps: { evidence: memorySources(new MemoryDocuments(evidence)), ipClassifier: async () => classifier } };
}

export interface DemoOptions {
  /** Writes each verdict's evidence picture into this folder (made if missing). */
  picturesDir?: string;
}

export async function runDemo(out: Writable, opts: DemoOptions = {}): Promise<number> {
  const { alerts, deps } = await loadDemo();
  const dir = opts.picturesDir === undefined ? undefined : await pictureFolder(opts.picturesDir);
  const results: Array<{ verdict: Verdict; time: Date }> = [];
  for (const alert of alerts) results.push({ verdict: await investigate(alert, deps), time: alert.time });
  results.sort(comparePriority);
  out.write(`triage demo: ${results.length} bundled alerts investigated in memory, highest priority first\n\n`);
  for (const r of results) {
    const picture = dir === undefined ? '' : `\n${await writePictureIn(dir, { verdict: r.verdict, alertTime: r.time })}`;
    out.write(`${renderText(r.verdict)}${picture}\n\n`);
  }
  return 0;
}
