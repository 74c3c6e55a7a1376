// Misspelt settings: an environment variable that looks like one of ours but is not, named with the setting it
// most likely meant. A typo is otherwise silent — `SLACK_ALERT_POSTER` leaves the real setting unset, and then
// anyone in the channel may post alerts.
import { ConfigError, loadConfig, SETTING_NAMES, type Config, type ConfigNeed } from '../config.js';

/**
 * Names we read that are not settings of the bot itself: the test and service scripts' own. Known, so they
 * are never "corrected" into a setting.
 */
const OTHER_KNOWN_NAMES = ['ELASTICSEARCH_STRICT_URL', 'TRIAGE_REDIS_PORT', 'TRIAGE_ES_VERSION'];

/**
 * Prefixes a misspelling of ours may start with (the settings' own first words, and TRIAGE_). AWS_ is shared
 * with the AWS SDK and CLI (AWS_REGION, AWS_PROFILE …): a name there is only reported when it is very close
 * to one of ours, never for merely sharing the prefix.
 */
const SHARED_PREFIXES = new Set(['AWS_', 'LOG_', 'DATA_', 'PORT']);

const ALL_KNOWN = new Set([...SETTING_NAMES, ...OTHER_KNOWN_NAMES]);

function prefixOf(name: string): string {
  const cut = name.indexOf('_');
  return cut < 0 ? name : name.slice(0, cut + 1);
}

const OUR_PREFIXES = new Set([...SETTING_NAMES.map(prefixOf), 'TRIAGE_']);

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours cost 1. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** How far a name may be from ours and still count as a typo of it: about one edit per six characters, 1 to 3. */
function tolerance(name: string, shared: boolean): number {
  if (shared) return 1; // shared prefixes: only a slip of one character
  return Math.max(1, Math.min(3, Math.floor(name.length / 6)));
}

export interface MisspeltSetting {
  name: string;
  meant: string;
}

/** The closest known name within tolerance, or undefined. Case is ignored: `slack_mode` means `SLACK_MODE`. */
export function likelyMeant(name: string): string | undefined {
  const upper = name.toUpperCase();
  if (ALL_KNOWN.has(name)) return undefined;
  const prefix = prefixOf(upper);
  const ours = OUR_PREFIXES.has(prefix) || [...OUR_PREFIXES].some((p) => editDistance(prefix, p) <= 1 && p.length > 4);
  if (!ours) return undefined;
  if (upper !== name && ALL_KNOWN.has(upper)) return upper;
  const shared = SHARED_PREFIXES.has(prefix);
  // A slip of one character first; then a name with a word left out or cut short (OKTA_TOKEN,
  // ELASTICSEARCH_USER) when it fits one setting only (not under a shared prefix: AWS_CONFIG_FILE is the
  // SDK's); then up to the name's tolerance.
  return closest(upper, 1) ?? (shared ? undefined : onlyWordMatch(upper)) ?? closest(upper, tolerance(upper, shared));
}

function closest(upper: string, limit: number): string | undefined {
  let best: { meant: string; distance: number } | undefined;
  for (const known of SETTING_NAMES) {
    const distance = editDistance(upper, known);
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { meant: known, distance };
  }
  return best?.meant;
}

/** The one setting whose words hold the name's words in order (same first word; the last may be cut short). */
function onlyWordMatch(upper: string): string | undefined {
  const words = upper.split('_').filter((w) => w.length > 0);
  if (words.length < 2) return undefined;
  const fits = SETTING_NAMES.filter((known) => {
    const theirs = known.split('_');
    if (theirs[0] !== words[0]) return false;
    let j = 1;
    for (let i = 1; i < words.length; i++) {
      const last = i === words.length - 1;
      while (j < theirs.length && !(theirs[j] === words[i] || (last && words[i]!.length >= 3 && theirs[j]!.startsWith(words[i]!)))) j++;
      if (j === theirs.length) return false;
      j++;
    }
    return true;
  });
  return fits.length === 1 ? fits[0] : undefined;
}

/** Variables of `env` that look like a misspelling of a setting, in name order. Only names are read, never values. */
export function misspeltSettings(env: Record<string, string | undefined>): MisspeltSetting[] {
  const found: MisspeltSetting[] = [];
  for (const name of Object.keys(env).sort()) {
    if (name.length > 100) continue; // no setting is that long; and the distance table stays small
    const meant = likelyMeant(name);
    if (meant !== undefined) found.push({ name, meant });
  }
  return found;
}

/** One line per misspelling, for a log or a terminal. */
export function describeMisspelling(m: MisspeltSetting): string {
  return `${m.name} is not a setting (ignored): did you mean ${m.meant}?`;
}

/**
 * loadConfig, and a refusal that also names the misspellings: a typo is often why a setting is "missing"
 * (SLACK_ALERT_CHANNEL → SLACK_ALERT_CHANNELS: missing). On success the caller logs them as warnings.
 */
export function loadConfigNamingTypos(env: Record<string, string | undefined>, needs: ConfigNeed[] = []): { cfg: Config; typos: string[] } {
  const typos = misspeltSettings(env).map(describeMisspelling);
  try {
    return { cfg: loadConfig(env, needs), typos };
  } catch (err) {
    if (err instanceof ConfigError && typos.length > 0) throw new ConfigError([...err.problems, ...typos]);
    throw err;
  }
}
