#!/usr/bin/env bash
# The one-command demo, from a fresh clone: builds the application if needed, starts a local Kafka
# broker (no Docker: a KRaft broker as a JVM, see kafka.sh), streams a generated data set of 12
# sensors x 3,000 readings with injected anomalies through the processor, prints the summary table
# (the stream's learner vs an online AR baseline), the anomalies it caught, and where the plots are; then stops the
# broker it started.
#
#   deploy/local/demo.sh [demo options...]     e.g. --sensors 20 --readings 5000 --set rnn.model.cell=gru
#
# Output (data set, plots, broker data and logs) goes to target/demo/ under the repository.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
out="$repo/target/demo"

. "$repo/deploy/local/lib.sh"
rnn_ensure_libgfortran demo

jar="$repo/processor/target/rnn-streams.jar"
if [ ! -f "$jar" ] || [ -n "$(find pom.xml schemas/pom.xml schemas/src processor/pom.xml processor/src/main \
      -newer "$jar" -print -quit 2>/dev/null)" ]; then
  echo "demo: building the application (mvn -B -q -DskipTests -pl processor -am package)"
  mvn -B -q -DskipTests -pl processor -am package
fi

export KAFKA_DATA_DIR="$out/kafka"
rm -rf "$KAFKA_DATA_DIR"
mkdir -p "$out"
# stop whatever this script started, however it ends
trap 'echo "demo: stopping the broker"; "$repo/deploy/local/kafka.sh" stop >/dev/null || true' EXIT
echo "demo: starting a local Kafka broker"
# kafka.sh start reports on stderr and prints bootstrap=HOST:PORT on stdout; no `tee /dev/stderr`: with
# `demo.sh > log 2>&1` that reopens the log at offset 0 and overwrites what was written before
started=$("$repo/deploy/local/kafka.sh" start | sed -n 's/^bootstrap=//p' | tail -1)
echo "demo: broker at $started"
if [ -z "$started" ]; then echo "demo: the broker did not start; see $KAFKA_DATA_DIR/logs" >&2; exit 1; fi

java -Djava.awt.headless=true -jar "$jar" demo --output "$out" \
  --set "bootstrap.servers=$started" --set "state.dir=$out/state" "$@"
