#!/usr/bin/env bash
# Starts and stops a Docker engine on a machine without a service manager (Debian's docker.io: dockerd run in
# the background as root, its output to a log file), for deploy/docker/test.sh and the Testcontainers tests.
#
#   deploy/docker/engine.sh install   # apt-get install docker.io docker-compose debootstrap (those missing)
#   deploy/docker/engine.sh start     # prints "started pid N" or "running"; exit 1 with the reason when it cannot
#   deploy/docker/engine.sh stop      # stops the dockerd that 'start' started (its pid file), nothing else
#   deploy/docker/engine.sh status    # exit 0 when an engine answers, 3 when not
#
# Stop the engine when done with it: while one answers, Testcontainers-based tests in auto mode look for their
# images on it.
#
# Environment: DOCKERD_LOG (default /tmp/rnn-streams-dockerd.log), DOCKERD_READY_TIMEOUT (seconds, default 30).
set -euo pipefail

docker=/usr/bin/docker
[[ -x "$docker" ]] || docker=docker
log="${DOCKERD_LOG:-/tmp/rnn-streams-dockerd.log}"
pid_file="${log%.log}.pid"
timeout="${DOCKERD_READY_TIMEOUT:-30}"

say() { echo "engine.sh: $*" >&2; }
as_root() { if [[ "$(id -u)" -eq 0 ]]; then "$@"; else sudo -n "$@"; fi; }
answers() { "$docker" info >/dev/null 2>&1; }

cmd_install() {
  local missing=()
  [[ -x /usr/bin/docker ]] || missing+=(docker.io)
  command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  (( ${#missing[@]} )) || return 0
  say "installing ${missing[*]}"
  as_root apt-get update -qq >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

cmd_start() {
  if answers; then echo "running"; return 0; fi
  command -v dockerd >/dev/null 2>&1 || [[ -x /usr/sbin/dockerd ]] || { say "no dockerd (engine.sh install)"; return 1; }
  local dockerd pid deadline
  dockerd="$(command -v dockerd 2>/dev/null || echo /usr/sbin/dockerd)"
  as_root sh -c "nohup '$dockerd' > '$log' 2>&1 < /dev/null & echo \$! > '$pid_file'" \
    || { say "cannot start dockerd as root"; return 1; }
  pid="$(cat "$pid_file")"
  deadline=$(( $(date +%s) + timeout ))
  until answers; do
    if ! kill -0 "$pid" 2>/dev/null; then
      say "dockerd exited: $(tail -n 2 "$log" | tr '\n' ' ')"; rm -f "$pid_file"; return 1
    fi
    if (( $(date +%s) >= deadline )); then
      say "dockerd not answering after ${timeout}s: $(tail -n 2 "$log" | tr '\n' ' ')"; cmd_stop; return 1
    fi
    sleep 0.5
  done
  echo "started pid $pid (log $log)"
}

cmd_stop() {
  [[ -f "$pid_file" ]] || { say "no engine started by engine.sh ($pid_file)"; return 0; }
  local pid
  pid="$(cat "$pid_file")"
  if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null \
      && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == dockerd ]]; then
    as_root kill -TERM "$pid"
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && say "dockerd (pid $pid) still running 30 s after SIGTERM"
  fi
  rm -f "$pid_file"
  say "stopped"
}

case "${1:-}" in
  install) cmd_install ;;
  start)   cmd_start ;;
  stop)    cmd_stop ;;
  status)  if answers; then echo "running"; else echo "not running"; exit 3; fi ;;
  *) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
esac
