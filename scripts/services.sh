#!/usr/bin/env bash
# Brings up the real services the tests need: Redis and a single-node Elasticsearch.
# Usage: source scripts/services.sh && services_up; ... ; services_down
# A service that already answers is used as it is and left running afterwards.
set -uo pipefail

ES_VERSION="${TRIAGE_ES_VERSION:-8.19.7}"
ES_URL="${ELASTICSEARCH_URL:-http://127.0.0.1:9200}"
REDIS_HOST=127.0.0.1
REDIS_PORT="${TRIAGE_REDIS_PORT:-6379}"
ES_USER=triage-es
_root_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_cache_dir="$_root_dir/.cache"
_started_es_pid=""
_started_es_home=""

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
  local url="$ES_URL/_cluster/health?wait_for_status=yellow&timeout=2s"
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

es_up() {
  if es_answers; then _log "elasticsearch: using the one at $ES_URL"; return 0; fi
  local zip; zip=$(es_zip) || return 1
  local java_home
  java_home="${ES_JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
  # Elasticsearch refuses to run as root: run it as an unprivileged user, from a home it owns.
  _started_es_home=$(mktemp -d /tmp/triage-es.XXXXXX)
  es_extract "$zip" "$_started_es_home" || { _log "elasticsearch: could not extract $zip"; return 1; }
  mkdir -p "$_started_es_home/data" "$_started_es_home/logs"
  local run_as=()
  if [[ $(id -u) -eq 0 ]]; then
    id "$ES_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$ES_USER" || return 1
    chown -R "$ES_USER" "$_started_es_home"
    chmod 755 "$_started_es_home"
    run_as=(setpriv --reuid="$ES_USER" --regid="$(id -g "$ES_USER")" --init-groups)
  fi
  local port="${ES_URL##*:}"; port="${port%%/*}"
  _log "elasticsearch: starting $ES_VERSION on 127.0.0.1:$port"
  (
    cd "$_started_es_home" || exit 1
    exec env ES_JAVA_HOME="$java_home" ES_JAVA_OPTS="-Xms512m -Xmx512m" \
      "${run_as[@]}" "$_started_es_home/elasticsearch-$ES_VERSION/bin/elasticsearch" \
      -E discovery.type=single-node -E network.host=127.0.0.1 -E http.port="$port" \
      -E xpack.security.enabled=false -E path.data="$_started_es_home/data" -E path.logs="$_started_es_home/logs" \
      -E cluster.routing.allocation.disk.threshold_enabled=false -E action.destructive_requires_name=false
  ) >"$_started_es_home/stdout.log" 2>&1 &
  _started_es_pid=$!
  for _ in $(seq 1 180); do
    if es_answers; then _log "elasticsearch: healthy"; return 0; fi
    if ! kill -0 "$_started_es_pid" 2>/dev/null; then break; fi
    sleep 1
  done
  _log "elasticsearch: not healthy; last log lines:"; tail -20 "$_started_es_home/stdout.log" >&2
  return 1
}

services_up() { redis_up && es_up; }

services_down() {
  if [[ -n "$_started_es_pid" ]]; then
    _log "elasticsearch: stopping"
    pkill -TERM -P "$_started_es_pid" 2>/dev/null; kill -TERM "$_started_es_pid" 2>/dev/null
    for _ in $(seq 1 30); do kill -0 "$_started_es_pid" 2>/dev/null || break; sleep 1; done
    pkill -KILL -f "$_started_es_home" 2>/dev/null
    rm -rf "$_started_es_home"
    _started_es_pid=""
  fi
}
