// Containment settings: off by default, a readable approval TTL, Cyren's credentials together.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('containment settings', () => {
  it('default to off, 15 minutes, two approvers', () => {
    const cfg = loadConfig({});
    expect([cfg.CONTAINMENT_MODE, cfg.CONTAINMENT_APPROVAL_TTL, cfg.CONTAINMENT_SINGLE_APPROVER]).toEqual(['off', 900_000, false]);
  });

  it('read the TTL as seconds, minutes or hours, and refuse zero or words', () => {
    expect(loadConfig({ CONTAINMENT_APPROVAL_TTL: '90s' }).CONTAINMENT_APPROVAL_TTL).toBe(90_000);
    expect(loadConfig({ CONTAINMENT_APPROVAL_TTL: '600' }).CONTAINMENT_APPROVAL_TTL).toBe(600_000);
    expect(loadConfig({ CONTAINMENT_APPROVAL_TTL: '2h' }).CONTAINMENT_APPROVAL_TTL).toBe(7_200_000);
    expect(() => loadConfig({ CONTAINMENT_APPROVAL_TTL: '0m' })).toThrow(/longer than 0/);
    expect(() => loadConfig({ CONTAINMENT_APPROVAL_TTL: 'soon' })).toThrow(/duration/);
    expect(() => loadConfig({ CONTAINMENT_MODE: 'on' })).toThrow(ConfigError);
  });

  it('want Cyren’s client id and secret with its URL, and never print the secret', () => {
    expect(() => loadConfig({ CYREN_API_URL: 'https://cyren.example' })).toThrow(/CYREN_CLIENT_ID, CYREN_CLIENT_SECRET: missing/);
    const bad = () => loadConfig({ CYREN_API_URL: 'not a url', CYREN_CLIENT_ID: 'id', CYREN_CLIENT_SECRET: 'very-secret-cyren-value' });
    expect(bad).toThrow(/CYREN_API_URL: must be a URL/);
    expect(bad).not.toThrow(/very-secret-cyren-value/);
    expect(loadConfig({ CYREN_API_URL: 'https://cyren.example', CYREN_CLIENT_ID: 'id', CYREN_CLIENT_SECRET: 'secret-value' }).CYREN_API_URL).toBe('https://cyren.example');
  });
});
