#!/usr/bin/env bash
# Runs the engine's JMH benchmarks (processor/src/test/java/io/rnnstreams/bench) with the native BLAS
# of jblas set up properly, and writes JSON results to processor/target/jmh-result.json.
#
#   deploy/local/jmh.sh                          # everything, default settings (~14 min on 2 cores)
#   deploy/local/jmh.sh EngineBenchmark.forwardStep -p cell=LSTM -f 1 -wi 3 -w 1s -i 5 -r 1s
#   JMH_RESULT=/tmp/peak.json deploy/local/jmh.sh PeakBenchmark
#
# Arguments are JMH's own (regexp of benchmarks, -p name=v1,v2, -f, -wi, -i, -prof gc, ...). Without
# arguments: all benchmarks with -f 1 -wi 3 -w 1s -i 5 -r 1s -prof io.rnnstreams.bench.CpuTimeProfiler
# (CPU time per op and CPU share next to wall time: the build machines are shared). "-rf json -rff <file>"
# is always appended (file: $JMH_RESULT, default processor/target/jmh-result.json).
#
# Environment:
#   OPENBLAS_CORETYPE  kept if already set; else SkylakeX when the CPU has avx512f, Haswell when it has
#                      avx2, unset otherwise. The OpenBLAS inside jblas 1.2.5 does not recognise recent
#                      CPUs and otherwise falls back to slow generic kernels.
#   JMH_SKIP_APT=1     do not try to install libgfortran5 (jblas's native BLAS needs libgfortran.so.5).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"

# jblas's native BLAS needs libgfortran.so.5; without it jblas only logs "Couldn't load copied link
# file" and the first native call throws UnsatisfiedLinkError.
if [[ "${JMH_SKIP_APT:-0}" != 1 ]] && command -v dpkg >/dev/null 2>&1; then
  if ! dpkg -s libgfortran5 >/dev/null 2>&1; then
    echo "jmh.sh: installing libgfortran5 (needed by jblas's native BLAS)" >&2
    if [[ $(id -u) -eq 0 ]]; then
      apt-get install -y libgfortran5 || { apt-get update && apt-get install -y libgfortran5; }
    else
      sudo apt-get install -y libgfortran5 || { sudo apt-get update && sudo apt-get install -y libgfortran5; }
    fi
  fi
fi

if [[ -z "${OPENBLAS_CORETYPE:-}" ]]; then
  flags="$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || true)"
  if grep -qw avx512f <<<"$flags"; then
    export OPENBLAS_CORETYPE=SkylakeX
  elif grep -qw avx2 <<<"$flags"; then
    export OPENBLAS_CORETYPE=Haswell
  fi
fi
echo "jmh.sh: OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-<unset>}" >&2

result="${JMH_RESULT:-$repo/processor/target/jmh-result.json}"
case "$result" in /*) ;; *) result="$repo/$result" ;; esac
mkdir -p "$(dirname "$result")"

if [[ $# -eq 0 ]]; then
  set -- -f 1 -wi 3 -w 1s -i 5 -r 1s -prof io.rnnstreams.bench.CpuTimeProfiler
fi

exec mvn -B -pl processor -Pjmh test-compile exec:exec \
  -Djmh.args="$* -rf json -rff $result"
