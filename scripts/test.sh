#!/usr/bin/env bash
# The one test command: starts Redis and Elasticsearch when they are not running,
# type-checks, runs the whole vitest suite against them, and stops what it started.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/services.sh
source scripts/services.sh
trap services_down EXIT
services_up || { echo "test: could not start the services" >&2; exit 1; }
[[ -d node_modules ]] || npm ci --no-audit --no-fund || exit 1
export ELASTICSEARCH_URL="$ES_URL" ELASTICSEARCH_STRICT_URL="$ES_STRICT_URL" REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
# Proxies would reroute the fake Slack/Okta servers' loopback traffic.
unset HTTP_PROXY HTTPS_PROXY http_proxy https_proxy
# The compose test needs a Compose CLI to run `config`; Debian's docker-compose is the one we can install.
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1 && [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  echo "[services] installing Debian's docker-compose for the compose test" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose) >/dev/null 2>&1 || echo "[services] docker-compose install failed; that test will be skipped" >&2
fi
npx tsc -p tsconfig.json --noEmit || exit 1
mkdir -p .cache
npx vitest run --reporter=default --reporter=json --outputFile.json=.cache/vitest-report.json "$@"
status=$?
# A plain closing line any CI reader understands.
node -e 'const r=require("./.cache/vitest-report.json");console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests+r.numTodoTests} skipped`)' 2>/dev/null
exit $status
