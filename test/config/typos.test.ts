import { describe, expect, it } from 'vitest';
import { ConfigError, SETTING_NAMES } from '../../src/config.js';
import { editDistance, likelyMeant, loadConfigNamingTypos, misspeltSettings } from '../../src/ops/config-typos.js';

const env = (...names: string[]) => Object.fromEntries(names.map((n) => [n, 'x']));

describe('misspelt settings', () => {
  it('names the setting a typo most likely meant', () => {
    expect(likelyMeant('SLACK_ALERT_POSTER')).toBe('SLACK_ALERT_POSTERS');
    expect(likelyMeant('SLACK_ALERT_CHANNEL')).toBe('SLACK_ALERT_CHANNELS');
    expect(likelyMeant('WORKER_CONCURENCY')).toBe('WORKER_CONCURRENCY');
    expect(likelyMeant('SLAKC_MODE')).toBe('SLACK_MODE'); // two letters swapped, in the prefix too
    expect(likelyMeant('slack_mode')).toBe('SLACK_MODE');
    expect(likelyMeant('TRUSTED_EGRESS_CIDR')).toBe('TRUSTED_EGRESS_CIDRS');
    expect(likelyMeant('AWS_IP_RANGE_FILE')).toBe('AWS_IP_RANGES_FILE');
  });

  it('finds a setting with a word left out or cut short, when only one fits', () => {
    expect(likelyMeant('OKTA_TOKEN')).toBe('OKTA_API_TOKEN');
    expect(likelyMeant('PAGERDUTY_KEY')).toBe('PAGERDUTY_ROUTING_KEY');
    expect(likelyMeant('COMPANY_CIDRS')).toBe('COMPANY_IP_CIDRS');
    // USER is closer to URL by letters, but the name is ELASTICSEARCH_USERNAME cut short.
    expect(likelyMeant('ELASTICSEARCH_USER')).toBe('ELASTICSEARCH_USERNAME');
    // Three EDR indices fit: no guess.
    expect(likelyMeant('INDEX_EDR')).toBeUndefined();
  });

  it('leaves known names, other tools’ names and the AWS SDK’s own variables alone', () => {
    for (const name of SETTING_NAMES) expect(likelyMeant(name), name).toBeUndefined();
    const others = [
      'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
      'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CA_BUNDLE', 'AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE',
      'AWS_ENDPOINT_URL', 'AWS_RETRY_MODE', 'AWS_MAX_ATTEMPTS', 'AWS_EC2_METADATA_DISABLED', 'AWS_EXECUTION_ENV',
      'ELASTICSEARCH_STRICT_URL', 'TRIAGE_REDIS_PORT', 'TRIAGE_ES_VERSION', 'REDIS_HOST', 'REDIS_PASSWORD',
      'SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'SLACK_USER_TOKEN', 'SLACK_WEBHOOK_URL',
      'PATH', 'HOME', 'NODE_ENV', 'NODE_OPTIONS', 'LOGNAME', 'HOSTNAME', 'PORTS', 'DATA_DIR',
    ];
    expect(misspeltSettings(env(...others))).toEqual([]);
  });

  it('reads names only (values never matter) and ignores absurdly long names', () => {
    expect(misspeltSettings({ SLACK_ALERT_POSTER: undefined })).toEqual([{ name: 'SLACK_ALERT_POSTER', meant: 'SLACK_ALERT_POSTERS' }]);
    expect(misspeltSettings(env(`SLACK_${'A'.repeat(5000)}`))).toEqual([]);
  });

  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('SLACK', 'SLAKC')).toBe(1);
    expect(editDistance('', 'ABC')).toBe(3);
    expect(editDistance('REDIS_URL', 'REDIS_URL')).toBe(0);
  });

  it('names the typo beside the setting a refusal calls missing', () => {
    try {
      loadConfigNamingTypos({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_ALERT_CHANNEL: 'C0ALERTS' }, ['slack']);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems).toEqual([
        'SLACK_ALERT_CHANNELS: missing (the channels whose messages are alerts)',
        'SLACK_ALERT_CHANNEL is not a setting (ignored): did you mean SLACK_ALERT_CHANNELS?',
      ]);
    }
    // Started anyway (nothing required is missing): the caller warns.
    expect(loadConfigNamingTypos({ SLACK_ALERT_POSTER: 'U0SIEM' }).typos).toEqual(['SLACK_ALERT_POSTER is not a setting (ignored): did you mean SLACK_ALERT_POSTERS?']);
  });
});
