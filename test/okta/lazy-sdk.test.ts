// The Okta SDK is loaded only when the Okta API is configured, and then on its first use (issue 18.3): a worker
// without it stays ≈ 50 MB smaller. Checked in a child process, whose module cache nothing else has touched.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const script = `
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const sdkLoaded = () => Object.keys(require.cache).some((k) => k.includes('okta-sdk-nodejs'));
const { loadConfig } = await import('./src/config.ts');
const { productionEngine } = await import('./src/runtime.ts');
const base = { ELASTICSEARCH_URL: 'http://127.0.0.1:1', REDIS_URL: 'redis://127.0.0.1:1' };
const without = productionEngine(loadConfig(base));
without.fields.stop();
const withApi = productionEngine(loadConfig({ ...base, OKTA_ORG_URL: 'https://example.okta.com', OKTA_API_TOKEN: 'x'.repeat(42) }));
withApi.fields.stop();
const before = sdkLoaded();
await withApi.engine.oktaApi.listFactors('00u1').catch(() => undefined);
console.log(JSON.stringify({ withoutApi: without.engine.oktaApi === undefined, before, after: sdkLoaded() }));
process.exit(0);
`;

describe('the Okta SDK', () => {
  it('is not loaded by the production wiring, configured or not, until the Okta API is first asked', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual({ withoutApi: true, before: false, after: true });
  }, 90_000);
});
