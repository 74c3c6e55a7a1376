#!/usr/bin/env node
// Container health check (the image has no curl): exit 0 when the URL answers 200 within 3 s, else 1.
//   node bin/healthcheck.js http://127.0.0.1:9090/healthz   (the app's ops listener, OPS_PORT)
const url = process.argv[2];
if (!url) {
  process.stderr.write('usage: healthcheck.js <url>\n');
  process.exit(2);
}
try {
  const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
  const body = (await res.text()).slice(0, 500);
  if (res.status !== 200) process.stderr.write(`${url}: HTTP ${res.status} ${body}\n`);
  process.exit(res.status === 200 ? 0 : 1);
} catch (err) {
  process.stderr.write(`${url}: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
