#!/usr/bin/env bash
# Builds and runs the Docker image and the compose setup for real, on a machine without an image registry:
#
#   1. base images   deploy/docker/base-images.sh (Debian bookworm JRE/JDK bases by debootstrap, a Kafka
#                    broker image from Maven Central jars); made once, then cached by the Docker engine
#   2. image build   docker build -f deploy/docker/Dockerfile -t rnn-streams:local (on the local bases)
#   3. image run     a broker on the host (deploy/local/kafka.sh), the image with --network host against it,
#                    run as the Kubernetes pod runs it (deploy/k8s's ConfigMap as rendered by kustomize, read-only
#                    root, uid 10001, no capabilities); GET /health must answer 200 with "status":"UP"; then a
#                    clean stop (docker stop: exit 0 or 143)
#   4. compose run   deploy/compose/compose.yaml with Debian's docker-compose: broker + topics + two processors
#                    + the demo producer; both processors' /health answer 200, and a consumer reads > 0
#                    records from the predictions topic; then 'down -v'
#
#   deploy/docker/test.sh                 # all four steps; prints how long each took
#   deploy/docker/test.sh --no-compose    # steps 1-3
#
# With no Docker client or no Docker engine answering, prints "SKIP: <why>" and exits 0 (exit 1 instead when
# DOCKER_TEST_REQUIRED=1). Everything it starts (containers, compose project, broker) is stopped on exit.
#
# Environment:
#   DOCKER            Docker client (default /usr/bin/docker, Debian's docker.io, when present; else docker)
#   COMPOSE           compose command (default docker-compose, else "docker compose")
#   DEMO_SENSORS, DEMO_READINGS   size of the compose demo's data set (default 3 x 600, the demo's least)
#   READY_TIMEOUT     seconds to wait for /health and for predictions (default 240)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"
out="$repo/target/docker-test"
ready_timeout="${READY_TIMEOUT:-240}"
image=rnn-streams:local
kafka_image=local/kafka:4.3.1
project=rnn-streams-test
compose_file="$repo/deploy/compose/compose.yaml"
run_compose=1
for a in "$@"; do
  case "$a" in
    --no-compose) run_compose=0 ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "test.sh: unknown argument '$a'" >&2; exit 2 ;;
  esac
done

say() { echo "docker-test: $*" >&2; }
die() { say "FAILED: $*"; exit 1; }
skip() {
  if [[ "${DOCKER_TEST_REQUIRED:-0}" == 1 ]]; then die "$* (DOCKER_TEST_REQUIRED=1)"; fi
  echo "docker-test: SKIP: $*"
  exit 0
}

if [[ -z "${DOCKER:-}" ]]; then
  if [[ -x /usr/bin/docker ]]; then DOCKER=/usr/bin/docker; else DOCKER=docker; fi
fi
export DOCKER DOCKER_BUILDKIT=1
command -v "$DOCKER" >/dev/null 2>&1 || skip "no Docker client ('$DOCKER' not found)"
if ! info_out="$("$DOCKER" info 2>&1)"; then
  # docker 20.10 prints the reason among its output ("ERROR: Cannot connect to the Docker daemon ...")
  skip "no Docker engine answers ($DOCKER info: $(grep -m1 -i -E 'cannot connect|permission denied|error' \
    <<<"$info_out" | sed 's/^ *//'))"
fi
if [[ -z "${COMPOSE:-}" ]]; then
  if command -v docker-compose >/dev/null 2>&1; then COMPOSE=docker-compose
  elif "$DOCKER" compose version >/dev/null 2>&1; then COMPOSE="$DOCKER compose"
  fi
fi

mkdir -p "$out"
declare -a timings=()
t_all=$(date +%s)
step_start() { step_name="$1"; step_t0=$(date +%s); say "== $1"; }
step_end() {
  local s=$(( $(date +%s) - step_t0 ))
  timings+=("$(printf '%-22s %4d s  %s' "$step_name" "$s" "${1:-}")")
  say "== $step_name: ${s} s ${1:-}"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# render_k8s_config FILE: the properties file of deploy/k8s's ConfigMap, as kustomize renders it (kubectl and
# python3-yaml); without them, the file in the repository as it stands.
render_k8s_config() {
  local rendered
  if command -v kubectl >/dev/null 2>&1 && rendered="$(kubectl kustomize "$repo/deploy/k8s" 2>/dev/null)" \
      && python3 -c 'import yaml' 2>/dev/null; then
    python3 -c '
import sys, yaml
for doc in yaml.safe_load_all(sys.stdin):
    if doc and doc.get("kind") == "ConfigMap":
        sys.stdout.write(doc["data"]["rnn-streams.properties"])
' <<<"$rendered" > "$1"
    say "configuration: the ConfigMap of kubectl kustomize deploy/k8s"
  else
    python3 -c '
import sys, re
text = open(sys.argv[1]).read()
body = text.split("rnn-streams.properties: |", 1)[1]
sys.stdout.write("".join(l[4:] + "\n" for l in body.splitlines() if l.startswith("    ") or not l.strip()))
' "$repo/deploy/k8s/configmap.yaml" > "$1"
    say "configuration: deploy/k8s/configmap.yaml (kubectl kustomize or python3-yaml unavailable)"
  fi
  [[ -s "$1" ]] || die "no properties in the ConfigMap of deploy/k8s"
}

# ------------------------------------------------------------------------------------------ clean-up
container=""
compose_up=0
broker_up=0
compose() { $COMPOSE -p "$project" -f "$compose_file" "$@"; }
cleanup() {
  local rc=$?
  set +e
  if [[ -n "$container" ]]; then
    "$DOCKER" logs --tail 40 "$container" > "$out/image-run.log" 2>&1
    "$DOCKER" rm -f -v "$container" >/dev/null 2>&1
  fi
  if (( compose_up )); then
    compose logs --no-color > "$out/compose.log" 2>&1
    compose down -v --remove-orphans -t 45 >/dev/null 2>&1
  fi
  (( broker_up )) && KAFKA_DATA_DIR="$out/kafka" "$repo/deploy/local/kafka.sh" stop >/dev/null 2>&1
  if (( rc != 0 )); then say "logs: $out/image-run.log, $out/compose.log"; fi
  exit "$rc"
}
trap cleanup EXIT

# ------------------------------------------------------------------------------------------ 1. base images
step_start "base images"
command -v debootstrap >/dev/null 2>&1 || "$DOCKER" image inspect local/debian-jre17:bookworm >/dev/null 2>&1 \
  || skip "the base images are missing and debootstrap is not installed (apt-get install debootstrap)"
"$here/base-images.sh" > "$out/base-images.log" 2>&1 || { cat "$out/base-images.log" >&2; die "base-images.sh failed"; }
cat "$out/base-images.log" >&2
made="$(grep -c ' made ' "$out/base-images.log" || true)"
step_end "($made made, the rest cached)"

# ------------------------------------------------------------------------------------------ 2. image build
step_start "image build"
"$DOCKER" build --network host -f deploy/docker/Dockerfile -t "$image" \
    --build-arg BUILD_IMAGE=local/debian-jdk17-maven:bookworm \
    --build-arg RUNTIME_IMAGE=local/debian-jre17:bookworm . > "$out/build.log" 2>&1 \
  || { tail -n 40 "$out/build.log" >&2; die "docker build failed (log: $out/build.log)"; }
step_end "($("$DOCKER" image inspect -f '{{.Size}}' "$image" | awk '{printf "%d MB", $1/1e6}'))"

# ------------------------------------------------------------------------------------------ 3. image run
step_start "image run"
export KAFKA_DATA_DIR="$out/kafka"
"$repo/deploy/local/kafka.sh" reset >/dev/null 2>&1 || true
broker_up=1
bootstrap="$("$repo/deploy/local/kafka.sh" start | sed -n 's/^bootstrap=//p' | tail -n1)"
[[ -n "$bootstrap" ]] || die "the host broker did not start (deploy/local/kafka.sh start)"
"$repo/deploy/local/kafka.sh" create-topics sensor-readings:2 predictions:2 sensor-readings-dlq:1 >/dev/null
http_port="$(free_port)"
container="rnn-streams-test-$$"
# As the Kubernetes pod runs it (deploy/k8s): the ConfigMap's properties file, the StatefulSet's arguments, a
# read-only root file system with /tmp writable (an emptyDir of 256Mi there; it must allow exec: jblas copies
# its native libraries to /tmp and loads them, and docker's --tmpfs default, noexec, fails with "failed to map
# segment from shared object"), uid 10001, no capabilities. The environment overrides what
# differs here: the broker, one replica, HTTP on a free loopback port (--network host).
mkdir -p "$out/k8s"
render_k8s_config "$out/k8s/rnn-streams.properties"
chmod -R a+rX "$out/k8s"
"$DOCKER" run -d --name "$container" --network host \
    --read-only --tmpfs /tmp:rw,exec,nosuid,size=256m --user 10001:10001 --cap-drop ALL --security-opt no-new-privileges \
    -v "$out/k8s:/etc/rnn-streams:ro" \
    -e KAFKA_BOOTSTRAP_SERVERS="$bootstrap" -e KAFKA_APPLICATION_ID=rnn-streams-docker-test \
    -e KAFKA_REPLICATION_FACTOR=1 -e KAFKA_TOPIC_MIN_INSYNC_REPLICAS=1 \
    -e RNN_HTTP_ENABLED=true -e RNN_HTTP_BIND=127.0.0.1 -e RNN_HTTP_PORT="$http_port" \
    -e JAVA_OPTS="-Xmx256m -XX:+ExitOnOutOfMemoryError" \
    "$image" run --config /etc/rnn-streams/rnn-streams.properties >/dev/null
health=""
deadline=$(( $(date +%s) + ready_timeout ))
until [[ "$health" == 200* ]]; do
  [[ "$("$DOCKER" inspect -f '{{.State.Running}}' "$container")" == true ]] \
    || { "$DOCKER" logs --tail 40 "$container" >&2; die "the container exited"; }
  (( $(date +%s) < deadline )) || { "$DOCKER" logs --tail 40 "$container" >&2; die "/health not 200 after ${ready_timeout}s: $health"; }
  sleep 1
  health="$(curl -s -w ' %{http_code}' "http://127.0.0.1:$http_port/health" 2>/dev/null || true)"
  health="${health##* } ${health% *}"
done
[[ "$health" == *'"status":"UP"'* ]] || die "/health answered 200 without \"status\":\"UP\": $health"
up_s=$(( $(date +%s) - step_t0 ))
say "GET /health -> $health (${up_s} s after the broker start)"
stop_t0=$(date +%s)
"$DOCKER" stop -t 45 "$container" >/dev/null
exit_code="$("$DOCKER" inspect -f '{{.State.ExitCode}}' "$container")"
"$DOCKER" logs --tail 40 "$container" > "$out/image-run.log" 2>&1
"$DOCKER" rm -v "$container" >/dev/null
container=""
[[ "$exit_code" == 0 || "$exit_code" == 143 ]] || die "the container exited with $exit_code on docker stop"
"$repo/deploy/local/kafka.sh" stop >/dev/null 2>&1
broker_up=0
step_end "(/health 200 UP after ${up_s} s; docker stop took $(( $(date +%s) - stop_t0 )) s, exit $exit_code)"

# ------------------------------------------------------------------------------------------ 4. compose run
if (( run_compose )); then
  [[ -n "${COMPOSE:-}" ]] || { say "SKIP compose: neither docker-compose nor 'docker compose' is installed"; run_compose=0; }
fi
if (( run_compose )); then
  step_start "compose run"
  export KAFKA_IMAGE="$kafka_image"   # compose.yaml runs the processors from rnn-streams:local, the tag of step 2
  export KAFKA_HOST_PORT="$(free_port)" PROCESSOR_1_HOST_PORT="$(free_port)" PROCESSOR_2_HOST_PORT="$(free_port)"
  export DEMO_SENSORS="${DEMO_SENSORS:-3}" DEMO_READINGS="${DEMO_READINGS:-600}"
  compose_up=1
  # --no-build: the image of step 2 (docker-compose 1.x would build with the classic builder, without BuildKit)
  compose up -d --no-build > "$out/compose-up.log" 2>&1 \
    || { cat "$out/compose-up.log" >&2; compose ps >&2 || true; die "compose up failed"; }
  up_s=$(( $(date +%s) - step_t0 ))
  for p in "$PROCESSOR_1_HOST_PORT" "$PROCESSOR_2_HOST_PORT"; do
    code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$p/health" || true)"
    [[ "$code" == 200 ]] || die "processor on host port $p: /health answered '$code'"
  done
  say "compose up (broker, topics, two healthy processors, demo started) in ${up_s} s"
  count=0
  deadline=$(( $(date +%s) + ready_timeout ))
  while (( count == 0 )); do
    (( $(date +%s) < deadline )) || { compose logs --tail 30 >&2; die "no predictions after ${ready_timeout}s"; }
    demo_state="$("$DOCKER" inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$(compose ps -q demo)" 2>/dev/null || true)"
    [[ "$demo_state" != "exited "[1-9]* ]] || { compose logs --tail 30 demo >&2; die "the demo service failed ($demo_state)"; }
    count="$(compose exec -T kafka kafka-console-consumer.sh --bootstrap-server localhost:9092 \
        --topic predictions --from-beginning --isolation-level read_committed \
        --max-messages 100000 --timeout-ms 10000 2>&1 >/dev/null \
      | sed -n 's/.*Processed a total of \([0-9]*\) messages.*/\1/p' | tail -n1)"
    count="${count:-0}"
  done
  pred_s=$(( $(date +%s) - step_t0 ))
  say "a consumer read $count committed records from the predictions topic (${pred_s} s after compose up began)"
  compose logs --no-color > "$out/compose.log" 2>&1
  down_t0=$(date +%s)
  compose down -v --remove-orphans -t 45 > "$out/compose-down.log" 2>&1 || die "compose down failed"
  compose_up=0
  step_end "(up ${up_s} s, $count predictions by ${pred_s} s, down $(( $(date +%s) - down_t0 )) s)"
fi

echo "docker-test: PASSED in $(( $(date +%s) - t_all )) s"
printf '  %s\n' "${timings[@]}"
printf '%s\n' "${timings[@]}" > "$out/timings.txt"
