#!/usr/bin/env bash
# A real schema registry server (Apicurio Registry 3.3.3, which also serves the Confluent-compatible
# API under /apis/ccompat/v7) as a plain JVM process on 127.0.0.1, without Docker. In-memory storage
# (H2): the schemas are gone when it stops. Needs Maven (once, to fetch the ready server from Maven
# Central through deploy/local/registry/pom.xml; ~160 MB, unpacked and cached) and a JDK >= 21 to run
# it (its class files are for Java 21; the JDK 17 of the application cannot run it).
#
#   deploy/local/registry.sh start        # prints registry=http://127.0.0.1:PORT when ready
#   deploy/local/registry.sh status       # exit 0 when running, 3 when not
#   deploy/local/registry.sh url          # prints http://127.0.0.1:PORT (exit 3 when not running)
#   deploy/local/registry.sh stop         # SIGTERM, waits; SIGKILL only after a timeout
#   deploy/local/registry.sh install [F]  # fetches and unpacks the server (cached); prints its folder
#                                         # (with F: also writes that folder's path to file F)
#   deploy/local/registry.sh java         # prints the java executable it would run the server with
#                                         # (exit 4 when no JDK >= 21 is found)
#
# start is idempotent (a running server is reported, not started twice).
#
# Environment:
#   REGISTRY_DATA_DIR       pid file, logs                       (default: <repo>/target/local-registry)
#   REGISTRY_PORT           HTTP port; default: a free one
#   REGISTRY_MGMT_PORT      Quarkus management port (health, metrics); default: a free one
#   REGISTRY_JAVA_HOME      JDK >= 21 to run it; default: JAVA_HOME when >= 21, else the newest JDK >= 21
#                           under /usr/lib/jvm (e.g. temurin-25-jdk-amd64)
#   REGISTRY_HEAP_OPTS      default -Xmx256m
#   REGISTRY_JVM_OPTS       default -XX:+UseSerialGC -XX:TieredStopAtLevel=1 (fast start-up)
#   REGISTRY_READY_TIMEOUT  seconds to wait for the HTTP listener (default 120)
#   REGISTRY_STOP_TIMEOUT   seconds to wait after SIGTERM before SIGKILL (default 30)
#   REGISTRY_CACHE_DIR      where the unpacked server is cached (default: deploy/local/.cache)
#   MVN                     Maven executable (default: mvn);  MVN_ARGS: extra Maven arguments
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
. "$here/lib.sh"

registry_pom="$here/registry/pom.xml"
server_version="$(sed -n 's#.*<apicurio.server.version>\(.*\)</apicurio.server.version>.*#\1#p' "$registry_pom")"
data="${REGISTRY_DATA_DIR:-$repo/target/local-registry}"
cache="${REGISTRY_CACHE_DIR:-$here/.cache}"
server_dir="$cache/apicurio-registry-$server_version"
mvn="${MVN:-mvn}"
heap_opts="${REGISTRY_HEAP_OPTS:--Xmx256m}"
jvm_opts="${REGISTRY_JVM_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
ready_timeout="${REGISTRY_READY_TIMEOUT:-120}"
stop_timeout="${REGISTRY_STOP_TIMEOUT:-30}"

pid_file="$data/registry.pid"
url_file="$data/registry.url"
stdout_log="$data/registry.log"

die() { echo "registry.sh: $*" >&2; exit 1; }
say() { echo "registry.sh: $*" >&2; }

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

# ---------------------------------------------------------------------------------------- the JDK

java_major() {  # java_major JAVA_HOME: prints the feature release (17, 21, 25) from its release file
  local v
  v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null)"
  [[ "$v" =~ ^[0-9]+$ ]] && echo "$v"
}

find_java() {  # prints a java executable of a JDK >= 21, or fails
  local home best="" best_major=0 m
  if [[ -n "${REGISTRY_JAVA_HOME:-}" ]]; then
    [[ -x "$REGISTRY_JAVA_HOME/bin/java" ]] || die "REGISTRY_JAVA_HOME=$REGISTRY_JAVA_HOME has no bin/java"
    m="$(java_major "$REGISTRY_JAVA_HOME" || echo 0)"
    (( m >= 21 )) || die "REGISTRY_JAVA_HOME=$REGISTRY_JAVA_HOME is Java ${m:-unknown}; the registry server needs Java 21 or newer"
    echo "$REGISTRY_JAVA_HOME/bin/java"; return 0
  fi
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    m="$(java_major "$JAVA_HOME" || echo 0)"
    (( m >= 21 )) && { echo "$JAVA_HOME/bin/java"; return 0; }
  fi
  for home in /usr/lib/jvm/*; do
    [[ -x "$home/bin/java" && ! -L "$home" ]] || continue
    m="$(java_major "$home" || echo 0)"
    (( m >= 21 && m > best_major )) && { best="$home"; best_major=$m; }
  done
  [[ -n "$best" ]] && { echo "$best/bin/java"; return 0; }
  return 4
}

# ---------------------------------------------------------------------------------------- the server

server_fresh() { [[ -s "$server_dir/quarkus-run.jar" && "$server_dir/quarkus-run.jar" -nt "$registry_pom" ]]; }

ensure_server() {
  server_fresh && return 0
  command -v "$mvn" >/dev/null 2>&1 || die "Maven ('$mvn') not found; it is needed once to fetch the registry server"
  mkdir -p "$cache"
  local tmp="$server_dir.tmp.$$"
  rm -rf "$tmp"
  say "fetching Apicurio Registry $server_version from Maven Central (first time only; ~160 MB) ..."
  # shellcheck disable=SC2086
  if ! "$mvn" -B -q -Dstyle.color=never -f "$registry_pom" ${MVN_ARGS:-} dependency:unpack \
        -Dregistry.dir="$tmp" >"$tmp.log" 2>&1; then
    cat "$tmp.log" >&2; rm -rf "$tmp" "$tmp.log"
    die "could not fetch the registry server (Maven's output above)"
  fi
  rm -f "$tmp.log"
  [[ -s "$tmp/quarkus-run.jar" ]] || { rm -rf "$tmp"; die "the unpacked server has no quarkus-run.jar"; }
  touch "$tmp/quarkus-run.jar"
  rm -rf "$server_dir"
  mv -f "$tmp" "$server_dir"
}

# ---------------------------------------------------------------------------------------- processes

server_pid() {  # prints the pid of the running server of this data dir (a quarkus-run.jar JVM started for it), or fails
  rnn_live_pid "$pid_file" "*-Drnnstreams.registry.data=$data *quarkus-run.jar*"
}

free_ports() {  # free_ports N: prints N distinct free ports on 127.0.0.1, one per line
  if command -v python3 >/dev/null 2>&1; then
    python3 - "$1" <<'PY'
import socket, sys
held = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); held.append(s); print(s.getsockname()[1])
PY
  else
    local java; java="$(find_java)" || die "no python3 and no JDK >= 21 to find free ports with"
    mkdir -p "$cache"
    cat > "$cache/FreePorts.java" <<'JAVA'
import java.net.*; import java.util.*;
public class FreePorts { public static void main(String[] a) throws Exception {
  List<ServerSocket> held = new ArrayList<>();
  for (int i = 0; i < Integer.parseInt(a[0]); i++) { ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
    held.add(s); System.out.println(s.getLocalPort()); } } }
JAVA
    "$java" -XX:TieredStopAtLevel=1 "$cache/FreePorts.java" "$1"
  fi
}

log_tail() {
  echo "---- last lines of $stdout_log ----" >&2
  tail -n 40 "$stdout_log" 2>/dev/null >&2 || true
}

# ---------------------------------------------------------------------------------------- commands

cmd_start() {
  local pid
  if pid="$(server_pid)"; then
    say "already running (pid $pid, data $data)"
    echo "registry=$(cat "$url_file")"
    return 0
  fi
  local java
  java="$(find_java)" || die "no JDK >= 21 found (the registry server's class files are for Java 21): set REGISTRY_JAVA_HOME, or install one (e.g. Temurin 25, or Debian's openjdk-21-jdk-headless where the release has it)"
  ensure_server
  mkdir -p "$data"

  local ports port mport
  mapfile -t ports < <(free_ports 2)
  port="${REGISTRY_PORT:-${ports[0]}}"; mport="${REGISTRY_MGMT_PORT:-${ports[1]}}"
  [[ "$port" =~ ^[1-9][0-9]*$ && "$mport" =~ ^[1-9][0-9]*$ && "$port" != "$mport" ]] \
    || die "bad ports (REGISTRY_PORT='$port', REGISTRY_MGMT_PORT='$mport')"

  local log_offset=0 t0
  [[ -f "$stdout_log" ]] && log_offset=$(stat -c %s "$stdout_log" 2>/dev/null || wc -c < "$stdout_log")
  t0=$(date +%s%N)
  # shellcheck disable=SC2086
  nohup "$java" $heap_opts $jvm_opts -Drnnstreams.registry.data="$data" \
      -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" \
      -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$mport" \
      -jar "$server_dir/quarkus-run.jar" >>"$stdout_log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" > "$pid_file"

  local deadline=$(( $(date +%s) + ready_timeout ))
  until tail -c +"$((log_offset + 1))" "$stdout_log" 2>/dev/null | grep -q "Listening on: http://127.0.0.1:$port"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$pid_file"; log_tail; die "the registry exited during start-up"
    fi
    if (( $(date +%s) >= deadline )); then
      log_tail; kill -TERM "$pid" 2>/dev/null || true
      die "the registry was not ready after ${ready_timeout}s (sent SIGTERM to pid $pid)"
    fi
    sleep 0.2
  done
  echo "http://127.0.0.1:$port" > "$url_file"
  say "started pid $pid (Java $(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$(dirname "$(dirname "$java")")/release" 2>/dev/null)) in $(( ($(date +%s%N) - t0) / 1000000 )) ms; log $stdout_log"
  echo "registry=http://127.0.0.1:$port"
}

cmd_stop() {
  local pid
  if ! pid="$(server_pid)"; then
    rm -f "$pid_file" "$url_file"
    say "not running"
    return 0
  fi
  rnn_stop_pid "$(basename "${BASH_SOURCE[0]}")" "$pid" "$stop_timeout"
  rm -f "$pid_file" "$url_file"
}

cmd_status() {
  local pid
  if pid="$(server_pid)"; then
    echo "running pid=$pid registry=$(cat "$url_file" 2>/dev/null) data=$data"
    return 0
  fi
  echo "not running (data=$data)"
  return 3
}

cmd_url() {
  server_pid >/dev/null || { say "not running"; return 3; }
  cat "$url_file"
}

cmd_install() {
  ensure_server
  if (( $# > 0 )); then
    mkdir -p "$(dirname "$1")"
    echo "$server_dir" > "$1.tmp.$$" && mv -f "$1.tmp.$$" "$1"
  fi
  echo "$server_dir"
}

cmd_java() {
  find_java || { say "no JDK >= 21 found (set REGISTRY_JAVA_HOME)"; return 4; }
}

case "${1:-}" in
  start)          shift; cmd_start "$@" ;;
  stop)           shift; cmd_stop "$@" ;;
  status)         shift; cmd_status "$@" ;;
  url)            shift; cmd_url "$@" ;;
  install)        shift; cmd_install "$@" ;;
  java)           shift; cmd_java "$@" ;;
  -h|--help|help) usage ;;
  *)              usage >&2; exit 2 ;;
esac
