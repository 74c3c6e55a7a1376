#!/usr/bin/env bash
# Brings up the real services the tests need: Redis, a single-node Elasticsearch, and a second
# single-node Elasticsearch that refuses expensive queries (search.allow_expensive_queries: false),
# on which the tests check that no query depends on them.
# Usage: source scripts/services.sh && services_up; ... ; services_down
#    or: bash scripts/services.sh strict-up   (prints "<url> <pid> <home>"; the node keeps running)
#        bash scripts/services.sh strict-down <pid> <home>
#        bash scripts/services.sh zip   (fetches the Elasticsearch zip once, prints its path; the benchmark uses it)
# A service that already answers is used as it is and left running afterwards.
set -uo pipefail

ES_VERSION="${TRIAGE_ES_VERSION:-8.19.7}"
ES_URL="${ELASTICSEARCH_URL:-http://127.0.0.1:9200}"
ES_STRICT_URL="${ELASTICSEARCH_STRICT_URL:-http://127.0.0.1:9201}"
REDIS_HOST=127.0.0.1
REDIS_PORT="${TRIAGE_REDIS_PORT:-6379}"
ES_USER=triage-es
_root_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_cache_dir="$_root_dir/.cache"
_started_es_pid=""
_started_es_home=""
_started_strict_pid=""
_started_strict_home=""

_log() { printf '[services] %s\n' "$*" >&2; }

redis_answers() {
  # PING over bash's /dev/tcp, so no redis-cli is needed to find out.
  local reply
  reply=$(timeout 2 bash -c "exec 3<>/dev/tcp/$REDIS_HOST/$REDIS_PORT && printf 'PING\r\n' >&3 && head -c 7 <&3" 2>/dev/null) || return 1
  [[ "$reply" == *PONG* ]]
}

redis_up() {
  if redis_answers; then _log "redis: using the one at $REDIS_HOST:$REDIS_PORT"; return 0; fi
  if ! command -v redis-server >/dev/null 2>&1; then
    _log "redis: redis-server missing, installing Debian's package"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server) >&2 || { _log "redis: install failed"; return 1; }
  fi
  _log "redis: starting redis-server on $REDIS_HOST:$REDIS_PORT"
  redis-server --daemonize yes --bind "$REDIS_HOST" --port "$REDIS_PORT" --save "" --appendonly no >&2 || return 1
  for _ in $(seq 1 50); do redis_answers && return 0; sleep 0.2; done
  _log "redis: did not answer after start"; return 1
}

es_answers() {
  local url="${1:-$ES_URL}/_cluster/health?wait_for_status=yellow&timeout=2s"
  if command -v curl >/dev/null 2>&1; then
    curl -sf -m 3 "$url" >/dev/null 2>&1
  else
    node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(3000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$url"
  fi
}

# unzip where present; otherwise the JDK's jar tool, which loses the execute bits we then restore.
es_extract() {
  local zip="$1" dest="$2"
  if command -v unzip >/dev/null 2>&1; then
    unzip -q "$zip" -d "$dest"
  else
    (cd "$dest" && jar xf "$zip") && chmod -R u+x,g+x,o+x "$dest"/elasticsearch-*/bin "$dest"/elasticsearch-*/modules/*/platform 2>/dev/null
    [[ -d "$dest/elasticsearch-$ES_VERSION" ]]
  fi
}

es_zip() {
  local zip="$_cache_dir/elasticsearch-$ES_VERSION.zip"
  if [[ ! -s "$zip" ]]; then
    mkdir -p "$_cache_dir"
    _log "elasticsearch: fetching integ-test-zip $ES_VERSION with Maven"
    mvn -q -B dependency:copy -Dartifact="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip" \
      -DoutputDirectory="$_cache_dir" -Dmdep.overWriteReleases=false >&2 || { _log "elasticsearch: Maven could not fetch it"; return 1; }
  fi
  printf '%s' "$zip"
}

# es_start <url> <extra -E settings…>: a fresh node in a temp home, as an unprivileged user.
# Sets _es_pid and _es_home; returns once it is healthy.
es_start() {
  local url="$1"; shift
  local zip; zip=$(es_zip) || return 1
  local java_home
  java_home="${ES_JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
  # Elasticsearch refuses to run as root: run it as an unprivileged user, from a home it owns.
  _es_home=$(mktemp -d /tmp/triage-es.XXXXXX)
  _es_pid=""
  es_extract "$zip" "$_es_home" || { _log "elasticsearch: could not extract $zip"; return 1; }
  mkdir -p "$_es_home/data" "$_es_home/logs"
  local run_as=()
  if [[ $(id -u) -eq 0 ]]; then
    id "$ES_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$ES_USER" || return 1
    chown -R "$ES_USER" "$_es_home"
    chmod 755 "$_es_home"
    run_as=(setpriv --reuid="$ES_USER" --regid="$(id -g "$ES_USER")" --init-groups)
  fi
  local port="${url##*:}"; port="${port%%/*}"
  _log "elasticsearch: starting $ES_VERSION on 127.0.0.1:$port${*:+ ($*)}"
  (
    cd "$_es_home" || exit 1
    exec env ES_JAVA_OPTS="-Xms512m -Xmx512m" ES_JAVA_HOME="$java_home" \
      "${run_as[@]}" "$_es_home/elasticsearch-$ES_VERSION/bin/elasticsearch" \
      -E discovery.type=single-node -E network.host=127.0.0.1 -E http.port="$port" \
      -E xpack.security.enabled=false -E path.data="$_es_home/data" -E path.logs="$_es_home/logs" \
      -E cluster.routing.allocation.disk.threshold_enabled=false -E action.destructive_requires_name=false "$@"
  ) </dev/null >"$_es_home/stdout.log" 2>&1 &
  _es_pid=$!
  for _ in $(seq 1 180); do
    if es_answers "$url"; then _log "elasticsearch: healthy at $url"; return 0; fi
    if ! kill -0 "$_es_pid" 2>/dev/null; then break; fi
    sleep 1
  done
  _log "elasticsearch: not healthy; last log lines:"; tail -20 "$_es_home/stdout.log" >&2
  return 1
}

# The process ids of a process and all its descendants (the launcher, the CLI JVM, the server JVM).
_es_tree() {
  local pid="$1" child
  printf '%s\n' "$pid"
  for child in $(pgrep -P "$pid" 2>/dev/null); do _es_tree "$child"; done
}

# es_stop <pid> <home>: stops a node es_start started (by process id, its tree included) and removes its home.
es_stop() {
  local pid="$1" home="$2" tree
  [[ -n "$pid" && "$pid" != "-" ]] || return 0
  _log "elasticsearch: stopping the node in $home"
  tree=$(_es_tree "$pid")
  # shellcheck disable=SC2086
  kill -TERM $tree 2>/dev/null
  for _ in $(seq 1 30); do
    local alive=0 p
    for p in $tree; do kill -0 "$p" 2>/dev/null && alive=1; done
    [[ $alive -eq 0 ]] && break
    sleep 1
  done
  # shellcheck disable=SC2086
  kill -KILL $tree 2>/dev/null
  [[ -n "$home" && "$home" == /tmp/triage-es.* ]] && rm -rf "$home"
  return 0
}

es_up() {
  if es_answers; then _log "elasticsearch: using the one at $ES_URL"; return 0; fi
  es_start "$ES_URL"; local rc=$?
  _started_es_pid="$_es_pid"; _started_es_home="$_es_home"
  return $rc
}

# Does the node at $1 refuse expensive queries? (The setting is dynamic: ask the cluster, not its config.)
es_is_strict() {
  node -e 'fetch(process.argv[1] + "/_cluster/settings?include_defaults=true&flat_settings=true", { signal: AbortSignal.timeout(3000) })
    .then((r) => r.json()).then((s) => { const v = s.transient?.["search.allow_expensive_queries"] ?? s.persistent?.["search.allow_expensive_queries"] ?? s.defaults?.["search.allow_expensive_queries"]; process.exit(String(v) === "false" ? 0 : 1); }, () => process.exit(1))' "${1:-$ES_STRICT_URL}"
}

es_strict_up() {
  if es_answers "$ES_STRICT_URL"; then
    if es_is_strict "$ES_STRICT_URL"; then _log "elasticsearch (strict): using the one at $ES_STRICT_URL"; return 0; fi
    _log "elasticsearch (strict): $ES_STRICT_URL answers but allows expensive queries; set ELASTICSEARCH_STRICT_URL to a free port"; return 1
  fi
  es_start "$ES_STRICT_URL" -E search.allow_expensive_queries=false; local rc=$?
  _started_strict_pid="$_es_pid"; _started_strict_home="$_es_home"
  return $rc
}

services_up() { redis_up && es_up && es_strict_up; }

services_down() {
  es_stop "$_started_strict_pid" "$_started_strict_home"; _started_strict_pid=""
  es_stop "$_started_es_pid" "$_started_es_home"; _started_es_pid=""
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  case "${1:-}" in
    strict-up) es_strict_up && printf '%s %s %s\n' "$ES_STRICT_URL" "${_started_strict_pid:--}" "${_started_strict_home:--}" ;;
    strict-down) es_stop "${2:-}" "${3:-}" ;;
    zip) es_zip && printf '\n' ;;
    *) echo "usage: $0 strict-up | strict-down <pid> <home> | zip" >&2; exit 2 ;;
  esac
fi
