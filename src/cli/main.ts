// The `triage` command: the same engine as the Slack bot, without Slack.
import { createReadStream, statSync } from 'node:fs';
import { AWS_RANGES_CANDIDATES, ConfigError, environmentWithDotenv, redactSecrets, type Config } from '../config.js';
import { AlertParseError, investigableAlertId, parseAlertsStrict, recogniseAlerts, type Alert, type SkippedPart } from '../flows/recognise.js';
import { MAX_ALERT_BYTES } from '../alerts/json.js';
import { investigate } from '../flows/engine.js';
import { EvidenceUnavailableError } from '../errors.js';
import { productionEngine } from '../runtime.js';
import { createElasticClient, describeElasticError, isElasticUnreachable } from '../evidence/elastic/client.js';
import { installTemplates } from '../evidence/elastic/templates.js';
import { DATASET_NAME, ingestFiles, type IngestProgress } from '../evidence/elastic/ingest.js';
import { indicesFromConfig, writableIndex } from '../evidence/indices.js';
import { downloadAwsIpRanges } from '../enrich/aws-ip-ranges.js';
import { parseArgs, UsageError } from './args.js';
import { renderText } from './render.js';
import { runDemo } from './demo.js';
import { OutputError, pictureDestination, writePicture } from './picture.js';
import { decodeUtf8, readAtMost } from '../io/bounded.js';
import { loadConfigNamingTypos } from '../ops/config-typos.js';
import { configReport } from './config-check.js';
import { formatTiming, TerminalProgress } from './progress.js';
import { picturesAvailable } from '../pictures/png.js';
import { configureRuleRoutes } from '../flows/rule-routes.js';

const USAGE = `Usage:
  triage investigate <alert.json | -> [--format text|json]   investigate now; one verdict per alert the input carries
  triage investigate --id <alert-id> [--format text|json]    the alert is looked up in Elasticsearch
      … --picture <out.png>                                  also write the evidence picture the bot posts in Slack
  triage ingest <file.ndjson|file.json>… [--dataset <name>]  bulk-load ECS documents (NDJSON, or JSON as Elastic's packages
                                                             publish samples), index templates first; --dataset for documents
                                                             naming none in data_stream.dataset or event.dataset
  triage update-ip-ranges                                    download AWS's ip-ranges.json to AWS_IP_RANGES_FILE
  triage config check                                        the effective configuration (secrets redacted), what is
                                                             missing, and what each component will do
  triage demo [--pictures <dir>]                             bundled alerts and evidence, in memory (pictures into dir)
  triage help

A document may carry several alerts (a JSON list, {"Findings": [...]}, an Okta Event Hook delivery,
Cyren's {"data": [...]}; at most 100): their verdicts are printed in input order, as JSON Lines with
--format json (the default), as text blocks separated by a blank line with --format text.

Exit codes: 0 a verdict was given for every alert (whatever it is), 2 bad input or usage (nothing is
investigated), 3 configuration or service error (verdicts already printed stay printed).`;

export const EXIT = { ok: 0, badInput: 2, service: 3 } as const;

class ServiceError extends Error {}

/**
 * The alert text of a file or standard input: at most MAX_ALERT_BYTES are read (an endless
 * input such as /dev/zero is refused after the cap), a UTF-8 BOM is dropped, invalid UTF-8 refused.
 */
async function readInput(source: string): Promise<string> {
  let read: { bytes: Buffer; over: boolean };
  if (source === '-') read = await readAtMost(process.stdin, MAX_ALERT_BYTES);
  else {
    try {
      // `end` is inclusive: the file stream itself stops after cap + 1 bytes.
      read = await readAtMost(createReadStream(source, { end: MAX_ALERT_BYTES }), MAX_ALERT_BYTES);
    } catch (err) {
      throw new UsageError(`cannot read ${source}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
  if (read.over) throw new AlertParseError('(input)', `larger than ${MAX_ALERT_BYTES} bytes`);
  const text = decodeUtf8(read.bytes);
  if (text === undefined) throw new AlertParseError('(input)', 'not valid UTF-8');
  return text;
}

async function withElastic<T>(cfg: Config, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const name = (err as Error).name;
    if (isElasticUnreachable(err) || ['ResponseError', 'ProductNotSupportedError'].includes(name)) {
      throw new ServiceError(describeElasticError(err, cfg.ELASTICSEARCH_URL));
    }
    throw err;
  }
}

async function commandInvestigate(argv: string[], cfg: Config): Promise<number> {
  const { positional, options } = parseArgs(argv, ['format', 'id', 'picture']);
  const format = options['format'] ?? 'json';
  if (format !== 'json' && format !== 'text') throw new UsageError('--format must be text or json');
  const deps = productionEngine(cfg).engine;
  let found: { alerts: Alert[]; skipped: SkippedPart[] };
  if (options['id'] !== undefined) {
    if (positional.length > 0) throw new UsageError('give either an alert file or --id, not both');
    const stored = await withElastic(cfg, () => deps.evidence.alerts.findAlert(options['id']!));
    if (stored === undefined) throw new UsageError(`no alert with id "${options['id']!.slice(0, 200)}" in ${cfg.INDEX_ALERTS}`);
    const outcome = recogniseAlerts(stored);
    if (outcome.kind !== 'alerts') throw new AlertParseError('(stored alert)', `not a supported alert: ${outcome.reason}`);
    found = outcome;
  } else {
    if (positional.length !== 1) throw new UsageError('investigate needs one alert file, or - for standard input, or --id <alert-id>');
    found = parseAlertsStrict(await readInput(positional[0]!));
  }
  // The picture's folder is made (or refused) before any investigation: a run must not stop after its first verdict.
  if (options['picture'] !== undefined) await pictureDestination(options['picture']);
  for (const part of found.skipped) process.stderr.write(`triage: skipped ${part.at}: ${part.reason}\n`);
  // One verdict per alert, in input order, each printed when it is ready: JSON Lines, or text blocks.
  for (const [i, alert] of found.alerts.entries()) {
    const verdict = await withElastic(cfg, () => investigate(alert, deps));
    process.stdout.write(format === 'json' ? `${JSON.stringify(verdict)}\n` : `${i > 0 ? '\n' : ''}${renderText(verdict)}\n`);
    // On standard error: standard output stays the verdicts alone (JSON a script can read). Several alerts:
    // one picture each, numbered (out-1.png, out-2.png …).
    const picture = options['picture'];
    if (picture !== undefined) {
      const path = found.alerts.length === 1 ? picture : picture.replace(/(\.png)?$/i, `-${i + 1}.png`);
      process.stderr.write(`triage: ${await writePicture(path, { verdict, alertTime: alert.time })}\n`);
    }
  }
  return EXIT.ok;
}

/** The files' total size for the time left; undefined when one cannot be measured (a pipe, a missing file). */
function totalSize(files: string[]): number | undefined {
  let total = 0;
  for (const file of files) {
    try {
      const st = statSync(file);
      if (!st.isFile()) return undefined;
      total += st.size;
    } catch {
      return undefined; // reading it will name the problem
    }
  }
  return total;
}

async function commandIngest(argv: string[], cfg: Config): Promise<number> {
  const { positional, options } = parseArgs(argv, ['dataset']);
  if (positional.length === 0) throw new UsageError('ingest needs at least one NDJSON or JSON file');
  const dataset = options['dataset'];
  if (dataset !== undefined && !DATASET_NAME.test(dataset)) throw new UsageError('--dataset must be a dataset name (lower-case letters, digits, "_" and ".", e.g. aws.cloudtrail)');
  const totalBytes = totalSize(positional);
  const es = createElasticClient(cfg);
  const indices = indicesFromConfig(cfg);
  // On a terminal, one line on standard error follows the work; piped, only the summary below is written.
  const progress = new TerminalProgress(process.stderr, 'ingest', 'documents');
  const report = await withElastic(cfg, async () => {
    await installTemplates(es, { ownIndices: { alerts: writableIndex(indices.alerts), verdicts: indices.verdicts, dispositions: indices.dispositions } });
    const onProgress = (p: IngestProgress) => progress.update({ done: p.documents, bytesRead: p.bytesRead, ...(totalBytes !== undefined ? { totalBytes } : {}) });
    return ingestFiles(es, positional.map((name) => ({ name })), { namespace: cfg.DATA_NAMESPACE, alertsIndex: writableIndex(indices.alerts), alertIdOf: investigableAlertId, onProgress, ...(dataset ? { dataset } : {}) });
  }).finally(() => progress.finish());
  for (const bad of report.rejected) process.stderr.write(`${bad.file}:${bad.line}: ${bad.reason}\n`);
  const targets = Object.entries(report.targets).map(([t, n]) => `${t}: ${n}`).join(', ');
  const timing = formatTiming(report.indexed + report.duplicates + report.rejected.length, progress.elapsedMs, 'documents');
  process.stdout.write(`ingested ${report.indexed} document(s)${report.duplicates ? `, ${report.duplicates} already present` : ''}, rejected ${report.rejected.length}${targets ? ` (${targets})` : ''} ${timing}\n`);
  return report.rejected.length > 0 ? EXIT.badInput : EXIT.ok;
}

async function commandUpdateIpRanges(cfg: Config): Promise<number> {
  try {
    const target = cfg.AWS_IP_RANGES_FILE ?? AWS_RANGES_CANDIDATES[0]!;
    const ranges = await downloadAwsIpRanges(cfg.AWS_IP_RANGES_URL, target);
    process.stdout.write(`wrote ${target}: ${ranges.size} prefixes (createDate ${ranges.createDate ?? 'unknown'})\n`);
    return EXIT.ok;
  } catch (err) {
    throw new ServiceError(`could not update AWS IP ranges: ${(err as Error).message}`);
  }
}

async function commandConfig(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const { positional } = parseArgs(argv, []);
  if (positional.length !== 1 || positional[0] !== 'check') throw new UsageError('config takes one word: check');
  const report = configReport(env, { pictures: await picturesAvailable() });
  process.stdout.write(report.text);
  return report.ok ? EXIT.ok : EXIT.service;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? EXIT.badInput : EXIT.ok;
    }
    if (command === 'demo') {
      const { positional, options } = parseArgs(rest, ['pictures']);
      if (positional.length > 0) throw new UsageError('demo takes no file');
      return await runDemo(process.stdout, options['pictures'] !== undefined ? { picturesDir: options['pictures'] } : {});
    }
    const env = environmentWithDotenv();
    if (command === 'config') return await commandConfig(rest, env);
    const { cfg, typos } = loadConfigNamingTypos(env);
    for (const typo of typos) process.stderr.write(`triage: warning: ${typo}\n`);
    // Before any alert is read (ingest recognises stored alerts too).
    configureRuleRoutes(cfg.DETECTION_RULE_FLOWS);
    switch (command) {
      case 'investigate':
        return await commandInvestigate(rest, cfg);
      case 'ingest':
        return await commandIngest(rest, cfg);
      case 'update-ip-ranges':
        return await commandUpdateIpRanges(cfg);
      default:
        throw new UsageError(`unknown command "${command.slice(0, 40)}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`triage: ${err.message}\n\n${USAGE}\n`);
      return EXIT.badInput;
    }
    if (err instanceof OutputError) {
      process.stderr.write(`triage: ${err.message}\n`);
      return EXIT.badInput;
    }
    if (err instanceof AlertParseError) {
      process.stderr.write(`triage: invalid alert: ${err.message}\n`);
      return EXIT.badInput;
    }
    if (err instanceof ConfigError || err instanceof ServiceError || err instanceof EvidenceUnavailableError) {
      process.stderr.write(`triage: ${redactSecrets(err.message)}\n`);
      return EXIT.service;
    }
    process.stderr.write(`triage: unexpected error: ${redactSecrets((err as Error).stack ?? String(err))}\n`);
    return EXIT.service;
  }
}

const isEntry = process.argv[1] !== undefined && /(?:cli[\\/]main\.[jt]s|bin[\\/]triage(?:\.js)?)$/.test(process.argv[1]);
if (isEntry) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
