#!/usr/bin/env bash
# The end-to-end benchmark (issue 6): rnn-streams and a pass-through stateful baseline through a real local
# Kafka broker (a KRaft JVM from Maven Central jars), each application as its own JVM. Writes
# integration-tests/target/bench/{bench.md,bench-cells.csv,bench-loads.csv,bench.png}.
#
#   deploy/local/bench.sh                          # the full grid (14 cells, ~15 min on 2 cores)
#   deploy/local/bench.sh -Dbench.quick=true       # smoke size: 3 cells, ~3 min
#   deploy/local/bench.sh -Dbench.grid='rnn/key/eos/100/32;baseline/eos/100' -Dbench.maxSeconds=30
#
#   deploy/local/bench.sh -Dbench.quick=true -Dbench.streams='commit.interval.ms=1000'   # both applications alike
#
# Arguments go to Maven (-Dbench.* sizes: see integration-tests/.../it/BenchConfig.java). It runs
#   mvn -B -pl integration-tests -am -Pbench verify
# which builds the application jar, skips the unit tests and runs only EndToEndBenchmark under failsafe.
# Installs libgfortran5 when it is missing (jblas's native BLAS needs it; deploy/local/lib.sh).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"

. "$repo/deploy/local/lib.sh"
rnn_ensure_libgfortran bench.sh

start=$(date +%s)
mvn -B -pl integration-tests -am -Pbench verify "$@"
echo "bench.sh: done in $(( $(date +%s) - start )) s; results in $repo/integration-tests/target/bench/ (bench.md, bench-cells.csv, bench-loads.csv, bench.png)"
