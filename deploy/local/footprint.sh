#!/usr/bin/env bash
# Measures what one processor instance holds for N sensors, for sizing (deploy/k8s): streams N sensors x R
# readings through `rnn-streams run` on a local broker (kafka.sh), waits until every reading has a committed
# prediction (consumer group lag 0), then prints the JVM heap in use after a full GC, the committed heap, the
# process's resident set size (RSS), and the state directory's size on disk while running (allocated blocks,
# as a volume sees them, and apparent size) and after a clean shutdown (SIGTERM: flush and compaction).
#
#   deploy/local/footprint.sh [SENSORS [READINGS [extra --set flags...]]]     default 1000 sensors x 64 readings
#   deploy/local/footprint.sh 1000 64 --set rnn.model.scope=shared
#
# Needs: the shaded jar (mvn -B -q -DskipTests -pl processor -am package), python3, a JDK (jcmd).
# Work files go to target/footprint/ (broker data included); the broker is stopped at the end.
# Environment: JAR (default processor/target/rnn-streams.jar), PARTITIONS (default 6),
#              FOOTPRINT_HEAP (default -Xmx1g), FOOTPRINT_TIMEOUT seconds (default 900).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
sensors="${1:-1000}"; readings="${2:-64}"; shift $(( $# > 2 ? 2 : $# ))
jar="${JAR:-$repo/processor/target/rnn-streams.jar}"
partitions="${PARTITIONS:-6}"
timeout="${FOOTPRINT_TIMEOUT:-900}"
work="$repo/target/footprint"
[[ -f "$jar" ]] || { echo "footprint: $jar missing; build it first" >&2; exit 1; }

rm -rf "$work"; mkdir -p "$work"
export KAFKA_DATA_DIR="$work/kafka"
pid=""
cleanup() {
  [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  "$repo/deploy/local/kafka.sh" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
bootstrap="$("$repo/deploy/local/kafka.sh" start | sed -n 's/^bootstrap=//p' | tail -1)"
"$repo/deploy/local/kafka.sh" create-topics "footprint-readings:$partitions" "predictions:$partitions" \
    "sensor-readings-dlq:1" >/dev/null
cp_file="$("$repo/deploy/local/kafka.sh" classpath)"

# readings one minute apart, ending now (inside the topic's default 7-day retention)
python3 - "$sensors" "$readings" > "$work/readings.csv" <<'PY'
import math, random, sys, time
n, r = int(sys.argv[1]), int(sys.argv[2])
rnd = random.Random(1)
end = int(time.time() * 1000) // 60000 * 60000
print("timestamp,sensor,value")
for t in range(r):
    ts = end - (r - 1 - t) * 60000
    for s in range(n):
        print(f"{ts},sensor-{s:05d},{10 + 3 * math.sin(2 * math.pi * (t + s) / 24) + rnd.gauss(0, 0.3):.4f}")
PY
common=(--set "bootstrap.servers=$bootstrap" --set rnn.topic.input=footprint-readings)
java -jar "$jar" replay "${common[@]}" --progress none "$work/readings.csv" >"$work/replay.log" 2>&1

# shellcheck disable=SC2086
java ${FOOTPRINT_HEAP:--Xmx1g} -jar "$jar" run "${common[@]}" --set "state.dir=$work/state" "$@" \
    >"$work/run.log" 2>&1 &
pid=$!
total=$(( sensors * readings ))
t0=$(date +%s)
lag() {
  java -Xmx128m -XX:TieredStopAtLevel=1 -cp "$(cat "$cp_file")" org.apache.kafka.tools.consumer.group.ConsumerGroupCommand \
      --bootstrap-server "$bootstrap" --describe --group rnn-streams 2>/dev/null \
    | awk '$2 == "footprint-readings" { if ($4 == "-") missing = 1; else sum += $6; n++ }
           END { if (n == 0 || missing) print -1; else print sum }'
}
while :; do
  kill -0 "$pid" 2>/dev/null || { tail -30 "$work/run.log" >&2; echo "footprint: the processor exited" >&2; exit 1; }
  l="$(lag)"
  [[ "$l" == 0 ]] && break
  (( $(date +%s) - t0 > timeout )) && { echo "footprint: lag still $l after ${timeout}s" >&2; exit 1; }
  sleep 5
done
secs=$(( $(date +%s) - t0 ))
jcmd "$pid" GC.run >/dev/null
sleep 1
heap="$(jcmd "$pid" GC.heap_info)"
used_kb="$(sed -n 's/.*total \([0-9]*\)K, used \([0-9]*\)K.*/\2/p' <<<"$heap" | head -1)"
committed_kb="$(sed -n 's/.*total \([0-9]*\)K, used \([0-9]*\)K.*/\1/p' <<<"$heap" | head -1)"
rss_kb="$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")"
state_kb="$(du -sk "$work/state" | cut -f1)"
state_apparent_kb="$(du -sk --apparent-size "$work/state" | cut -f1)"
kill -TERM "$pid"; wait "$pid" || true; pid=""
closed_kb="$(du -sk "$work/state" | cut -f1)"
per() { echo "$(( $1 * 1024 / sensors )) B/sensor"; }
echo "footprint: $sensors sensors x $readings readings ($total) processed in ${secs}s (incl. start-up), partitions $partitions, settings: ${*:-defaults}"
echo "footprint: state dir while running: ${state_kb} KB allocated ($(per "$state_kb")), ${state_apparent_kb} KB apparent ($(per "$state_apparent_kb")); after a clean close: ${closed_kb} KB ($(per "$closed_kb"))"
echo "footprint: heap used after full GC ${used_kb} KB, heap committed ${committed_kb} KB, RSS ${rss_kb} KB"
