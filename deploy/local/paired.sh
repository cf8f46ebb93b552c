#!/usr/bin/env bash
# A/B of two source trees (two commits) of the hybrid learner's per-reading cost in ONE JVM, alternately, so that
# the shared machine's load weighs on both alike (JMH runs of two builds one after another differed up to 2x on the
# same code under load; branch tput18j). Each tree must be compiled (mvn -B -o -q -pl benchmarks -am test-compile).
#
#   deploy/local/paired.sh /tmp/base /work/wt/mybranch               # heldAtCommit, H = 32 (explicit), 60 x 20,000
#   deploy/local/paired.sh /tmp/base /work/wt/mybranch heldAtCommit 16/16/16 60 20000
#   git archive <commit> | tar -x -C /tmp/base && (cd /tmp/base && mvn -B -o -q -pl benchmarks -am test-compile)
#   deploy/local/paired.sh /tmp/base /work/wt/mybranch io.rnnstreams.stream.WireBenchmark#wire channels=8 60 20000
#   deploy/local/paired.sh /tmp/base /work/wt/mybranch io.rnnstreams.stream.ProcessorBenchmark#process corrector=16/16/16 60 50000
#
# Arguments: tree A, tree B, HybridBenchmark's method (default heldAtCommit), corrector H/k1/k2 (default here
# 32/16/16, the stream's default before branch h16; the default hybrid's corrector is 16/16/16 since), chunks (60),
# calls per chunk (20000). Runs deploy/local/PairedTrees.java (see its Javadoc) under nice -n 10 with this tree's
# benchmarks module's dependencies (mvn -o dependency:build-classpath; nothing installed), Avro's jars loaded per
# tree. Swap A and B in a second run to see any bias of the order. Another benchmark class: CLASS#method, and its
# public fields to set (name=value,..., or -) in place of the corrector (PairedTrees' Javadoc).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[[ $# -ge 2 ]] || { sed -n '2,17p' "${BASH_SOURCE[0]}" >&2; exit 2; }
a="$(cd "$1" && pwd)"; b="$(cd "$2" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# test-compile in the same reactor: benchmarks needs the engine's test-jar, which is never installed (tidy20)
(cd "$repo" && mvn -B -o -q -pl benchmarks -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$work/cp.txt" >&2)
# the project's own classes (the reactor's target/ folders, or installed jars) come from each tree, never from here
ours() { grep -v -e '/io/rnnstreams/' -e "^$repo/"; }
shared="$(tr ':' '\n' < "$work/cp.txt" | ours | grep -v -i avro | paste -sd:)"
isolated="$(tr ':' '\n' < "$work/cp.txt" | ours | grep -i avro | paste -sd:)"
javac -d "$work" "$repo/deploy/local/PairedTrees.java"
. "$repo/deploy/local/lib.sh"
rnn_openblas_coretype
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
nice -n 10 java -Xmx1g -Dpaired.isolated="$isolated" -cp "$work:$shared" PairedTrees "$a" "$b" \
  "${3:-heldAtCommit}" "${4:-32/16/16}" "${5:-60}" "${6:-20000}"
