#!/usr/bin/env bash
# Start a local Neo4j 5 Community server (Bolt on 127.0.0.1 only). See README.md.
#
#   tools/neo4j/run.sh [--port N] [--data DIR] [--password-file F]
#                      [--tx-timeout 60s] [--pagecache 256m] [--conf FILE] [--build-only]
#
# stdout gets exactly one line, "READY bolt://127.0.0.1:PORT", once Bolt accepts connections;
# everything else (build output, the password file's path, logs) goes to stderr.
# --port 0 picks a free port (read it from the READY line).
# The first run downloads the jars from Maven Central (~160 MB into ~/.m2) and compiles the
# launcher into tools/neo4j/target; later runs need no network.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT="${KG_NEO4J_PORT:-7687}"
DATA="${KG_NEO4J_DATA:-$HERE/data}"
PWFILE="${KG_NEO4J_PASSWORD_FILE:-}"
HEAP="${KG_NEO4J_HEAP:-768m}"
BUILD_ONLY=0
EXTRA=()

usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2; }
need() { [ $# -ge 2 ] || { echo "run.sh: $1 needs a value" >&2; exit 2; }; }

while [ $# -gt 0 ]; do
  case "$1" in
    --port) need "$@"; PORT="$2"; shift 2 ;;
    --data) need "$@"; DATA="$2"; shift 2 ;;
    --password-file) need "$@"; PWFILE="$2"; shift 2 ;;
    --tx-timeout|--pagecache|--conf) need "$@"; EXTRA+=("$1" "$2"); shift 2 ;;
    --port=*) PORT="${1#*=}"; shift ;;
    --data=*) DATA="${1#*=}"; shift ;;
    --password-file=*) PWFILE="${1#*=}"; shift ;;
    --tx-timeout=*|--pagecache=*|--conf=*) EXTRA+=("$1"); shift ;;
    --build-only) BUILD_ONLY=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument: $1" >&2; usage; exit 2 ;;
  esac
done

# ---- build (cached): target/classes + target/classpath.txt -------------------------------
CPFILE="$HERE/target/classpath.txt"
is_fresh() {
  [ -s "$CPFILE" ] && [ -f "$HERE/target/classes/kgtools/Neo4jLauncher.class" ] || return 1
  [ -z "$(find "$HERE/pom.xml" "$HERE/src" -newer "$CPFILE" -print -quit)" ] || return 1
  local jar
  while IFS= read -r jar; do [ -f "$jar" ] || return 1; done < <(tr ':' '\n' < "$CPFILE")
}
if ! is_fresh; then
  mkdir -p "$HERE/target"
  exec 9>"$HERE/target/.build.lock"
  flock 9                        # concurrent test runs: one builds, the others wait
  if ! is_fresh; then
    echo "run.sh: building the Neo4j launcher with Maven (first time downloads ~160 MB)..." >&2
    rm -f "$CPFILE"
    # (Debian's Maven 3.8 prints stray colour codes even with -B; strip them)
    mvn -B -q -ntp -f "$HERE/pom.xml" compile dependency:build-classpath \
        -Dmdep.outputFile="$CPFILE.tmp" 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >&2
    mv "$CPFILE.tmp" "$CPFILE"
  fi
  exec 9>&-
fi
[ "$BUILD_ONLY" = 1 ] && { echo "run.sh: build is up to date" >&2; exit 0; }

# ---- password --------------------------------------------------------------------------
mkdir -p "$DATA"
if [ -z "$PWFILE" ] && [ -z "${KG_NEO4J_PASSWORD:-}" ]; then
  PWFILE="$DATA/password"
  if [ ! -s "$PWFILE" ]; then
    ( umask 077
      head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32 > "$PWFILE.tmp"
      mv "$PWFILE.tmp" "$PWFILE" )
  fi
  chmod 600 "$PWFILE"
fi
if [ -n "$PWFILE" ]; then
  [ -s "$PWFILE" ] || { echo "run.sh: password file $PWFILE is missing or empty" >&2; exit 2; }
  PWFILE="$(cd "$(dirname "$PWFILE")" && pwd)/$(basename "$PWFILE")"
  echo "run.sh: user neo4j, password file: $PWFILE" >&2
  EXTRA+=(--password-file "$PWFILE")
fi

# ---- start -------------------------------------------------------------------------------
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
umask 077   # the store, logs and auth files are for this user only
# shellcheck disable=SC2086  # KG_NEO4J_JAVA_OPTS is a list of flags
exec "$JAVA" \
  -Xms256m -Xmx"$HEAP" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
  -XX:-OmitStackTraceInFastThrow -XX:+DisableExplicitGC \
  -Djdk.nio.maxCachedBufferSize=1024 -Dio.netty.tryReflectionSetAccessible=true \
  -Dlog4j2.disable.jmx=true -Dfile.encoding=UTF-8 \
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
  ${KG_NEO4J_JAVA_OPTS:-} \
  -cp "$HERE/target/classes:$(cat "$CPFILE")" \
  kgtools.Neo4jLauncher --port "$PORT" --data "$DATA" "${EXTRA[@]}"
