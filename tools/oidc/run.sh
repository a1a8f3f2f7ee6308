#!/usr/bin/env bash
# Start a local OpenID Connect provider for tests and development (127.0.0.1 only): NAV's
# mock-oauth2-server from Maven Central, with its interactive login page. See README.md.
#
#   tools/oidc/run.sh [--port N] [--config FILE.json] [--build-only]
#
# stdout gets exactly one line, "READY http://127.0.0.1:PORT", once the discovery document
# (PORT/default/.well-known/openid-configuration) answers; everything else goes to stderr.
# --port 0 picks a free port (read it from the READY line). The first run downloads the jars
# from Maven Central (~25 MB into ~/.m2); later runs need no network.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT="${KG_OIDC_PORT:-8089}"
CONFIG="${KG_OIDC_CONFIG:-$HERE/config.json}"
BUILD_ONLY=0

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; }
need() { [ $# -ge 2 ] || { echo "run.sh: $1 needs a value" >&2; exit 2; }; }

while [ $# -gt 0 ]; do
  case "$1" in
    --port) need "$@"; PORT="$2"; shift 2 ;;
    --config) need "$@"; CONFIG="$2"; shift 2 ;;
    --port=*) PORT="${1#*=}"; shift ;;
    --config=*) CONFIG="${1#*=}"; shift ;;
    --build-only) BUILD_ONLY=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument: $1" >&2; usage; exit 2 ;;
  esac
done

# ---- build (cached): target/classpath.txt ------------------------------------------------
CPFILE="$HERE/target/classpath.txt"
is_fresh() {
  [ -s "$CPFILE" ] || return 1
  [ -z "$(find "$HERE/pom.xml" -newer "$CPFILE" -print -quit)" ] || return 1
  local jar
  while IFS= read -r jar; do [ -f "$jar" ] || return 1; done < <(tr ':' '\n' < "$CPFILE")
}
if ! is_fresh; then
  mkdir -p "$HERE/target"
  exec 9>"$HERE/target/.build.lock"
  flock 9                        # concurrent test runs: one fetches, the others wait
  if ! is_fresh; then
    echo "run.sh: fetching mock-oauth2-server with Maven (first time downloads ~25 MB)..." >&2
    rm -f "$CPFILE"
    mvn -B -q -ntp -f "$HERE/pom.xml" dependency:build-classpath \
        -Dmdep.outputFile="$CPFILE.tmp" 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >&2
    mv "$CPFILE.tmp" "$CPFILE"
  fi
  exec 9>&-
fi
[ "$BUILD_ONLY" = 1 ] && { echo "run.sh: build is up to date" >&2; exit 0; }

[ -f "$CONFIG" ] || { echo "run.sh: config file $CONFIG does not exist" >&2; exit 2; }

# ---- start -------------------------------------------------------------------------------
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
CHILD=""
trap '[ -n "$CHILD" ] && kill "$CHILD" 2>/dev/null; exit 143' TERM INT
pick_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

for attempt in 1 2 3; do     # with --port 0 another process may take the port before we bind it
  P="$PORT"; [ "$PORT" = 0 ] && P="$(pick_port)"
  SERVER_HOSTNAME=127.0.0.1 SERVER_PORT="$P" JSON_CONFIG="$(cat "$CONFIG")" \
    LOG_LEVEL="${KG_OIDC_LOG_LEVEL:-WARN}" \
    "$JAVA" -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dfile.encoding=UTF-8 \
      -cp "$(cat "$CPFILE")" no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt >&2 &
  CHILD=$!
  for _ in $(seq 1 300); do
    kill -0 "$CHILD" 2>/dev/null || break
    if curl -fsS -o /dev/null "http://127.0.0.1:$P/default/.well-known/openid-configuration" 2>/dev/null; then
      echo "READY http://127.0.0.1:$P"
      wait "$CHILD"
      exit $?
    fi
    sleep 0.2
  done
  kill "$CHILD" 2>/dev/null || true
  wait "$CHILD" 2>/dev/null || true
  [ "$PORT" = 0 ] || break
  echo "run.sh: attempt $attempt did not start; retrying on another port" >&2
done
echo "run.sh: mock-oauth2-server did not start" >&2
exit 1
