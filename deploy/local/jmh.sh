#!/usr/bin/env bash
# Runs the JMH benchmarks of the benchmarks module (benchmarks/src/main/java/io/rnnstreams/bench) with the
# native BLAS of jblas set up properly, and writes JSON results to benchmarks/target/jmh-result.json.
#
#   deploy/local/jmh.sh                          # everything, default settings (~14 min on 2 cores)
#   deploy/local/jmh.sh EngineBenchmark.forwardStep -p cell=LSTM -f 1 -wi 3 -w 1s -i 5 -r 1s
#   JMH_RESULT=/tmp/peak.json deploy/local/jmh.sh PeakBenchmark
#   deploy/local/jmh.sh peers                    # engine vs Deeplearning4j vs PyTorch, one run (~4 min)
#
# "peers" runs PeerBenchmark (engine and Deeplearning4j, LSTM D=8 H=32, 16-step TBPTT, Adam) and the tanh
# rows of NonlinearityBenchmark with -f 1 -wi 3 -w 1s -i 5 -r 2s -prof io.rnnstreams.bench.CpuTimeProfiler (further
# arguments replace these), one thread each (OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 for ND4J's native
# code), result in benchmarks/target/jmh-peers.json; then, when /usr/bin/python3 can import torch (Debian:
# apt-get install -y python3-torch), benchmarks/src/main/python/pytorch_lstm.py on the same shapes; then prints
# the markdown tables of benchmarks/src/main/python/peers_table.py. Deeplearning4j (linux-x86_64 natives only)
# is on the class path of the benchmarks module's peers profile only.
#
# Arguments are JMH's own (regexp of benchmarks, -p name=v1,v2, -f, -wi, -i, -prof gc, ...). Without
# arguments: all benchmarks with -f 1 -wi 3 -w 1s -i 5 -r 1s -prof io.rnnstreams.bench.CpuTimeProfiler
# (CPU time per op and CPU share next to wall time: the build machines are shared). "-rf json -rff <file>"
# is always appended (file: $JMH_RESULT, default benchmarks/target/jmh-result.json).
#
# Environment:
#   OPENBLAS_CORETYPE  kept if already set (other than auto); else SkylakeX when the CPU has avx512f, Haswell
#                      when it has avx2, unset otherwise (deploy/local/lib.sh). The OpenBLAS inside jblas 1.2.5 does not recognise recent
#                      CPUs and otherwise falls back to slow generic kernels.
#   JMH_SKIP_APT=1     do not try to install libgfortran5 (jblas's native BLAS needs libgfortran.so.5).
#   OMP_NUM_THREADS, OPENBLAS_NUM_THREADS   always set to 1 (one thread, for Deeplearning4j's native code).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"

. "$repo/deploy/local/lib.sh"
if [[ "${JMH_SKIP_APT:-0}" != 1 ]]; then
  rnn_ensure_libgfortran jmh.sh
fi
rnn_openblas_coretype
echo "jmh.sh: OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-<unset>}" >&2

# One thread everywhere: PeerBenchmark refuses to run without OMP_NUM_THREADS=1 (ND4J's native code
# would otherwise use OpenMP threads); the engine's own benchmarks are single-threaded anyway.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1

peers=0
if [[ "${1:-}" == peers ]]; then
  peers=1
  shift
  if [[ $# -eq 0 ]]; then
    set -- -f 1 -wi 3 -w 1s -i 5 -r 2s -prof io.rnnstreams.bench.CpuTimeProfiler
  fi
  set -- 'io.rnnstreams.bench.(PeerBenchmark|NonlinearityBenchmark.(mathTanh|expTanh))' "$@"
  : "${JMH_RESULT:=$repo/benchmarks/target/jmh-peers.json}"
fi

result="${JMH_RESULT:-$repo/benchmarks/target/jmh-result.json}"
case "$result" in /*) ;; *) result="$repo/$result" ;; esac
mkdir -p "$(dirname "$result")"

if [[ $# -eq 0 ]]; then
  set -- -f 1 -wi 3 -w 1s -i 5 -r 1s -prof io.rnnstreams.bench.CpuTimeProfiler
fi

# The benchmarks module and what it needs, built in one reactor (nothing installed); the jmh profile runs
# JMH at the benchmarks module's test phase (its only test-phase step; -DskipTests skips every unit test).
profiles=jmh
[[ $peers -eq 1 ]] && profiles=jmh,peers
run_jmh() {
  mvn -B -pl benchmarks -am -P"$profiles" -Djavacpp.platform=linux-x86_64 -DskipTests test \
    -Djmh.args="$* -rf json -rff $result"
}

if [[ $peers -eq 0 ]]; then
  run_jmh "$@"
  exit
fi

started=$(date +%s)
run_jmh "$@"
torch_json=""
if /usr/bin/python3 -c 'import torch' >/dev/null 2>&1; then
  torch_json="$(dirname "$result")/pytorch-peers.json"
  echo "jmh.sh: PyTorch on the same shapes (/usr/bin/python3 benchmarks/src/main/python/pytorch_lstm.py)" >&2
  /usr/bin/python3 "$repo/benchmarks/src/main/python/pytorch_lstm.py" --json "$torch_json"
else
  echo "jmh.sh: /usr/bin/python3 cannot import torch (apt-get install -y python3-torch): no PyTorch figures" >&2
fi
echo
echo "## Peers, one run: $(date -u +%Y-%m-%dT%H:%MZ), $(( $(date +%s) - started )) s," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg), $(getconf _NPROCESSORS_ONLN) CPUs"
echo
python3 "$repo/benchmarks/src/main/python/peers_table.py" "$result" ${torch_json:+"$torch_json"}
