import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { describeAlertPosters } from '../../src/queue/origin.js';

describe('SLACK_ALERT_POSTERS', () => {
  it('defaults to integrations only (empty list), takes user, bot and app ids, or * for anyone, and says which', () => {
    expect(loadConfig({}).SLACK_ALERT_POSTERS).toEqual([]);
    expect(describeAlertPosters(loadConfig({}).SLACK_ALERT_POSTERS)).toMatch(/^only integrations \(bots and apps\) may post alerts/);
    expect(loadConfig({ SLACK_ALERT_POSTERS: '*' }).SLACK_ALERT_POSTERS).toEqual(['*']);
    expect(describeAlertPosters(['*'])).toMatch(/^anyone in the alert channels may post alerts/);
    expect(describeAlertPosters(['B0SIEM'])).toBe('only these ids may post alerts: B0SIEM');
    expect(() => loadConfig({ SLACK_ALERT_POSTERS: '*,B0SIEM' })).toThrow(/"\*" \(anyone\) stands alone/);
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
