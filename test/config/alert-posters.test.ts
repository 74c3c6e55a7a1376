import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('SLACK_ALERT_POSTERS', () => {
  it('defaults to anyone (empty list) and takes user, bot and app ids', () => {
    expect(loadConfig({}).SLACK_ALERT_POSTERS).toEqual([]);
    expect(loadConfig({ SLACK_ALERT_POSTERS: 'B0SIEM, A0GUARDDUTY,U0ANALYST,W0ENTERPRISE' }).SLACK_ALERT_POSTERS).toEqual(['B0SIEM', 'A0GUARDDUTY', 'U0ANALYST', 'W0ENTERPRISE']);
  });

  it('names an entry that is not a Slack id', () => {
    try {
      loadConfig({ SLACK_ALERT_POSTERS: 'B0SIEM,#soc-alerts' });
      expect.unreachable('a channel name is not a poster id');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).message).toMatch(/SLACK_ALERT_POSTERS: "#soc-alerts" is not a Slack user/);
    }
  });
});
