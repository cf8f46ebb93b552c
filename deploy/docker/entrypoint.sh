#!/usr/bin/env bash
# Entry point of the rnn-streams image: picks OpenBLAS kernels for the CPU, then execs the JVM as PID 1
# (so SIGTERM reaches the JVM's shutdown hook, which closes Kafka Streams cleanly).
#
#   (no arguments)               rnn-streams run
#   --config FILE --set K=V ...  rnn-streams run --config FILE --set K=V ...  (a leading option means 'run')
#   demo|replay|backtest|settings|export-model|run ...   that command
#
# Environment:
#   OPENBLAS_CORETYPE  'auto' (the image's default): SkylakeX when the CPU has avx512f, Haswell when it has
#                      avx2, else left to OpenBLAS. Any other value is passed on (e.g. Zen). The OpenBLAS
#                      inside jblas 1.2.5 does not recognise recent CPUs and otherwise falls back to slow
#                      generic kernels (matrix-matrix products half as fast).
#   JAVA_OPTS          JVM options (image default: -XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError).
#   RNN_*, KAFKA_*     application settings (RNN_MODEL_HIDDEN sets rnn.model.hidden, KAFKA_STATE_DIR sets
#                      state.dir); an RNN_* variable that names no setting stops the start with an error.
set -euo pipefail

# the project's shared shell library: /opt/rnn-streams/lib/lib.sh in the image, deploy/local/lib.sh in the repository
here="$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
for lib in "$here/../lib/lib.sh" "$here/../local/lib.sh"; do
  [[ -f "$lib" ]] && { . "$lib"; break; }
done
rnn_openblas_coretype

if [[ $# -eq 0 || "$1" == -* ]]; then
  set -- run "$@"
fi

# shellcheck disable=SC2086  # JAVA_OPTS is a list of options
exec java ${JAVA_OPTS:-} -Djava.awt.headless=true -jar /opt/rnn-streams/rnn-streams.jar "$@"
