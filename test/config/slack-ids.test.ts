// Slack ids in the configuration: a channel name or a user group handle where an id belongs would match
// nothing at run time (no alert ever recognised, no responder ever allowed), so it is refused at start.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('Slack id settings', () => {
  it('takes channel (C…/G…), user group (S…) and user (U…/W…) ids', () => {
    const cfg = loadConfig({
      SLACK_ALERT_CHANNELS: 'C0ALERTS, G0PRIVATE',
      SLACK_ESCALATION_CHANNEL: 'C0ESCALATE',
      SLACK_ONCALL_USERGROUP: 'S0ONCALL',
      SLACK_RESPONDER_USERGROUP: 'S0RESPONDERS',
      SLACK_RESPONDER_USERS: 'U0ANALYST,W0ENTERPRISE',
    });
    expect(cfg.SLACK_ALERT_CHANNELS).toEqual(['C0ALERTS', 'G0PRIVATE']);
    expect(cfg.SLACK_ESCALATION_CHANNEL).toBe('C0ESCALATE');
    expect(cfg.SLACK_ONCALL_USERGROUP).toBe('S0ONCALL');
    expect(cfg.SLACK_RESPONDER_USERGROUP).toBe('S0RESPONDERS');
    expect(cfg.SLACK_RESPONDER_USERS).toEqual(['U0ANALYST', 'W0ENTERPRISE']);
  });

  it('names every malformed id in the one configuration message', () => {
    const found = problems({
      SLACK_ALERT_CHANNELS: 'C0ALERTS,#soc-alerts',
      SLACK_ESCALATION_CHANNEL: 'soc-escalations',
      SLACK_ONCALL_USERGROUP: '@oncall',
      SLACK_RESPONDER_USERGROUP: 'C0NOTAGROUP',
      SLACK_RESPONDER_USERS: 'U0ANALYST,alice',
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'SLACK_ALERT_CHANNELS: "#soc-alerts" is not a Slack channel id (C… or G…)',
        'SLACK_ESCALATION_CHANNEL: "soc-escalations" is not a Slack channel id (C… or G…)',
        'SLACK_ONCALL_USERGROUP: "@oncall" is not a Slack user group id (S…)',
        'SLACK_RESPONDER_USERGROUP: "C0NOTAGROUP" is not a Slack user group id (S…)',
        'SLACK_RESPONDER_USERS: "alice" is not a Slack user id (U… or W…)',
      ]),
    );
    expect(found).toHaveLength(5);
  });

  it.each(['c0alerts', 'D0DIRECT', 'C', 'C0 ALERTS'])('refuses %j as an alert channel', (id) => {
    expect(problems({ SLACK_ALERT_CHANNELS: id })).toEqual([expect.stringMatching(/^SLACK_ALERT_CHANNELS: .* is not a Slack channel id/)]);
  });
});
