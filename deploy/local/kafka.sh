#!/usr/bin/env bash
# A real single-node Kafka 4.3.1 broker (one combined KRaft broker+controller on 127.0.0.1) as a
# plain JVM process, without Docker. Needs only a JDK 17+ and Maven (the broker's jars come from
# Maven Central through deploy/local/broker/pom.xml, resolved once and cached).
#
#   deploy/local/kafka.sh start                      # prints bootstrap=127.0.0.1:PORT when ready
#   deploy/local/kafka.sh create-topics sensors:3 predictions:3 dead-letters:1
#   deploy/local/kafka.sh create-topics --config retention.ms=-1 history:3 history-predictions:3
#                                                    # topic configs (repeatable) for every topic named:
#                                                    # retention.ms=-1 keeps historical data (old timestamps)
#   deploy/local/kafka.sh status                     # exit 0 when running, 3 when not
#   deploy/local/kafka.sh bootstrap                  # prints 127.0.0.1:PORT (exit 3 when not running)
#   deploy/local/kafka.sh stop                       # SIGTERM, waits; SIGKILL only after a timeout
#   deploy/local/kafka.sh classpath [FILE]           # resolves the broker classpath (cached); copies it to FILE
#   deploy/local/kafka.sh reset                      # stop, then delete the data directory
#
# start is idempotent (a running broker is reported, not started twice). A stopped broker restarts
# on its existing data (storage is formatted only once) and, when still free, on the same ports; when
# the old client port is taken it starts on another and prints a WARNING naming both (stderr).
# The ports, server.properties and the storage format step come from the project's one KRaft launcher,
# io.rnnstreams.it.broker.KRaftLauncher (integration-tests), which the test fixture uses too; this script
# compiles that single java.base-only file with javac into the cache the first time (and when it changes).
#
# Environment:
#   KAFKA_DATA_DIR        data, logs, pid file, server.properties  (default: <repo>/target/local-kafka)
#   BROKER_PORT           client (PLAINTEXT) port; default: the previous one if free, else a free one
#   CONTROLLER_PORT       KRaft controller port; same rule
#   KAFKA_HEAP_OPTS       default -Xmx256m (without -Xmx the JVM reserves a quarter of the RAM)
#   KAFKA_JVM_OPTS        default -XX:+UseSerialGC -XX:TieredStopAtLevel=1 (fast start-up; for
#                         throughput measurements set e.g. KAFKA_JVM_OPTS=-XX:+UseParallelGC)
#   KAFKA_READY_TIMEOUT   seconds to wait for "Kafka Server started" (default 90)
#   KAFKA_STOP_TIMEOUT    seconds to wait after SIGTERM before SIGKILL (default 60)
#   KAFKA_CACHE_DIR       where the resolved classpath is cached (default: deploy/local/.cache)
#   MVN                   Maven executable (default: mvn);  MVN_ARGS: extra Maven arguments (e.g. -o)
#   JAVA_HOME             JDK to use (default: java and javac on the PATH)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
. "$here/lib.sh"

data="${KAFKA_DATA_DIR:-$repo/target/local-kafka}"
cache="${KAFKA_CACHE_DIR:-$here/.cache}"
cp_file="$cache/broker-classpath.txt"
broker_pom="$here/broker/pom.xml"
log4j_conf="$here/broker/log4j2.xml"
java="java"
javac="javac"
[[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]] && java="$JAVA_HOME/bin/java" && javac="$JAVA_HOME/bin/javac"
launcher_src="$repo/integration-tests/src/test/java/io/rnnstreams/it/broker/KRaftLauncher.java"
launcher_dir="$cache/launcher"
launcher_class="$launcher_dir/io/rnnstreams/it/broker/KRaftLauncher.class"
mvn="${MVN:-mvn}"
heap_opts="${KAFKA_HEAP_OPTS:--Xmx256m}"
jvm_opts="${KAFKA_JVM_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
tool_opts="-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
ready_timeout="${KAFKA_READY_TIMEOUT:-90}"
stop_timeout="${KAFKA_STOP_TIMEOUT:-60}"

pid_file="$data/kafka.pid"
props="$data/server.properties"
log_dir="$data/logs"
server_log="$log_dir/server.log"
stdout_log="$data/stdout.log"

die() { echo "kafka.sh: $*" >&2; exit 1; }
say() { echo "kafka.sh: $*" >&2; }

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

# ---------------------------------------------------------------------------------------- classpath

classpath_fresh() {
  [[ -s "$cp_file" && "$cp_file" -nt "$broker_pom" && "$cp_file" -nt "$repo/pom.xml" ]] || return 1
  local jar
  local IFS=:
  for jar in $(cat "$cp_file"); do [[ -f "$jar" ]] || return 1; done
  return 0
}

# root_version NAME: the value of <NAME> in the root POM's properties (every version lives there)
root_version() {
  local v
  v="$(sed -n "s#^ *<$1>\([^<]*\)</$1>.*#\1#p" "$repo/pom.xml" | head -n 1)"
  [[ -n "$v" ]] || die "no <$1> in $repo/pom.xml"
  echo "$v"
}

ensure_classpath() {
  classpath_fresh && return 0
  local versions
  versions="-Dkafka.version=$(root_version kafka.version) -Dlog4j.version=$(root_version log4j.version)"
  versions+=" -Ddependency-plugin.version=$(root_version dependency-plugin.version)"
  command -v "$mvn" >/dev/null 2>&1 || die "Maven ('$mvn') not found; it is needed once to resolve the broker's jars"
  mkdir -p "$cache"
  local tmp="$cache/broker-classpath.txt.$$"
  say "resolving the broker classpath with Maven (first time only; ~45 jars, ~45 MB) ..."
  # shellcheck disable=SC2086
  if ! "$mvn" -B -q -Dstyle.color=never -f "$broker_pom" $versions ${MVN_ARGS:-} dependency:build-classpath \
        -Dmdep.includeScope=runtime -Dmdep.outputFile="$tmp" >"$tmp.log" 2>&1; then
    cat "$tmp.log" >&2; rm -f "$tmp" "$tmp.log"
    die "could not resolve the broker classpath (Maven's output above)"
  fi
  rm -f "$tmp.log"
  [[ -s "$tmp" ]] || { rm -f "$tmp"; die "Maven wrote an empty classpath"; }
  mv -f "$tmp" "$cp_file"
}

# ---------------------------------------------------------------------------------------- processes

broker_pid() {  # prints the pid of the running broker of this data dir (a kafka.Kafka JVM of our server.properties), or fails
  rnn_live_pid "$pid_file" "*kafka.Kafka*$props*"
}

bootstrap_of() { sed -n 's#^advertised.listeners=PLAINTEXT://##p' "$props" 2>/dev/null; }

# ensure_launcher: compiles KRaftLauncher.java (java.base only) into the cache unless its class is newer
ensure_launcher() {
  [[ -f "$launcher_class" && "$launcher_class" -nt "$launcher_src" ]] && return 0
  command -v "$javac" >/dev/null 2>&1 || die "javac ('$javac') not found; a JDK 17+ is needed"
  mkdir -p "$launcher_dir"
  "$javac" --release 17 -d "$launcher_dir" "$launcher_src" || die "compiling $launcher_src failed"
}

log_tail() {
  echo "---- last lines of $server_log ----" >&2
  tail -n 40 "$server_log" 2>/dev/null >&2 || true
  echo "---- last lines of $stdout_log ----" >&2
  tail -n 20 "$stdout_log" 2>/dev/null >&2 || true
  [[ -f "$data/format.log" ]] && { echo "---- last lines of $data/format.log ----" >&2; tail -n 20 "$data/format.log" >&2; }
  return 0
}

# ---------------------------------------------------------------------------------------- commands

cmd_start() {
  local pid
  if pid="$(broker_pid)"; then
    say "already running (pid $pid, data $data)"
    echo "bootstrap=$(bootstrap_of)"
    return 0
  fi
  ensure_classpath
  mkdir -p "$data" "$log_dir"

  ensure_launcher
  local t0 previous
  t0=$(date +%s%N)
  previous="$(bootstrap_of || true)"
  # ports (BROKER_PORT / CONTROLLER_PORT, else the previous ones when free, else any), server.properties,
  # and the storage format step when $data/data is not formatted yet
  # shellcheck disable=SC2086
  "$java" $tool_opts -cp "$launcher_dir" io.rnnstreams.it.broker.KRaftLauncher configure --dir "$data" \
      --classpath-file "$cp_file" --log4j2 "$log4j_conf" \
      --broker-port "${BROKER_PORT:-0}" --controller-port "${CONTROLLER_PORT:-0}" >/dev/null \
    || { log_tail; die "configuring the broker in $data failed (KRaftLauncher's message above; --broker-port and --controller-port are BROKER_PORT and CONTROLLER_PORT)"; }

  local cp bport
  cp="$(cat "$cp_file")"
  bport="$(bootstrap_of)"; bport="${bport##*:}"
  if [[ -n "$previous" && "$previous" != "127.0.0.1:$bport" ]]; then
    # clients still configured with the old address would wait on a dead port: say so where it is seen
    say "WARNING: port ${previous##*:} of the previous start is taken or was replaced; the broker MOVED from $previous to 127.0.0.1:$bport. Point running clients at bootstrap=127.0.0.1:$bport (or free the port, or set BROKER_PORT=${previous##*:}, and start again)."
  fi
  local log_offset=0
  [[ -f "$server_log" ]] && log_offset=$(stat -c %s "$server_log" 2>/dev/null || wc -c < "$server_log")
  # shellcheck disable=SC2086
  nohup "$java" $heap_opts $jvm_opts -Dkafka.logs.dir="$log_dir" -Dlog4j2.configurationFile="$log4j_conf" \
      -cp "$cp" kafka.Kafka "$props" >>"$stdout_log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" > "$pid_file"

  local deadline=$(( $(date +%s) + ready_timeout ))
  until tail -c +"$((log_offset + 1))" "$server_log" 2>/dev/null | grep -q 'Kafka Server started'; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$pid_file"; log_tail; die "the broker exited during start-up"
    fi
    if (( $(date +%s) >= deadline )); then
      log_tail; kill -TERM "$pid" 2>/dev/null || true
      die "the broker was not ready after ${ready_timeout}s (sent SIGTERM to pid $pid)"
    fi
    sleep 0.2
  done
  local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  say "started pid $pid in ${ms} ms; data $data; log $server_log"
  echo "bootstrap=127.0.0.1:$bport"
}

cmd_stop() {
  local pid
  if ! pid="$(broker_pid)"; then
    rm -f "$pid_file"
    say "not running"
    return 0
  fi
  rnn_stop_pid "$(basename "${BASH_SOURCE[0]}")" "$pid" "$stop_timeout"
  rm -f "$pid_file"
}

cmd_status() {
  local pid
  if pid="$(broker_pid)"; then
    echo "running pid=$pid bootstrap=$(bootstrap_of) data=$data"
    return 0
  fi
  echo "not running (data=$data)"
  return 3
}

cmd_bootstrap() {
  broker_pid >/dev/null || { say "not running"; return 3; }
  bootstrap_of
}

cmd_create_topics() {
  local configs=()
  while (( $# > 0 )) && [[ "$1" == --config ]]; do
    [[ "${2:-}" =~ ^[a-z0-9.]+=[^[:space:]]+$ ]] || die "bad --config '${2:-}' (expected KEY=VALUE, e.g. retention.ms=-1)"
    configs+=(--config "$2"); shift 2
  done
  (( $# > 0 )) || die "usage: kafka.sh create-topics [--config KEY=VALUE]... NAME:PARTITIONS..."
  broker_pid >/dev/null || die "the broker is not running (kafka.sh start)"
  ensure_classpath
  local spec name parts cp bootstrap
  for spec in "$@"; do
    [[ "$spec" =~ ^([A-Za-z0-9._-]+):([1-9][0-9]*)$ ]] || die "bad topic spec '$spec' (expected NAME:PARTITIONS)"
  done
  cp="$(cat "$cp_file")"
  bootstrap="$(bootstrap_of)"
  for spec in "$@"; do
    name="${spec%:*}"; parts="${spec##*:}"
    # shellcheck disable=SC2086
    "$java" $tool_opts -cp "$cp" org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" \
        --create --if-not-exists --topic "$name" --partitions "$parts" --replication-factor 1 \
        ${configs[@]+"${configs[@]}"} >&2 \
      || die "creating topic $name failed"
  done
  local names=() regex
  for spec in "$@"; do names+=("$(printf "%s" "${spec%:*}" | sed "s/[.]/\\\\./g")"); done
  regex="$(IFS='|'; echo "${names[*]}")"
  # Wait until the leader serves every partition (ListOffsets answers), not just until the metadata
  # names a leader: an idempotent producer that starts while the broker is still creating the logs
  # can end in an endless OutOfOrderSequenceException loop and lose records. Prints topic:partition:end.
  # shellcheck disable=SC2086
  "$java" $tool_opts -cp "$cp" org.apache.kafka.tools.GetOffsetShell --bootstrap-server "$bootstrap" \
      --topic "^($regex)\$" --time latest \
    || die "the new topics are not served by the broker"
}

cmd_classpath() {
  ensure_classpath
  if (( $# > 0 )); then
    mkdir -p "$(dirname "$1")"
    cp -f "$cp_file" "$1.tmp.$$" && mv -f "$1.tmp.$$" "$1"
    echo "$1"
  else
    echo "$cp_file"
  fi
}

cmd_reset() {
  cmd_stop
  [[ -d "$data" ]] && rm -rf "$data" && say "deleted $data"
  return 0
}

case "${1:-}" in
  start)          shift; cmd_start "$@" ;;
  stop)           shift; cmd_stop "$@" ;;
  status)         shift; cmd_status "$@" ;;
  bootstrap)      shift; cmd_bootstrap "$@" ;;
  create-topics)  shift; cmd_create_topics "$@" ;;
  classpath)      shift; cmd_classpath "$@" ;;
  reset)          shift; cmd_reset "$@" ;;
  -h|--help|help) usage ;;
  *)              usage >&2; exit 2 ;;
esac
