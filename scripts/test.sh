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
export ELASTICSEARCH_URL="$ES_URL" REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
# Proxies would reroute the fake Slack/Okta servers' loopback traffic.
unset HTTP_PROXY HTTPS_PROXY http_proxy https_proxy
npx tsc -p tsconfig.json --noEmit || exit 1
npx vitest run "$@"
