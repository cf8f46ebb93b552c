# Shared shell functions of the project's scripts (deploy/local/*.sh, .ci/run, the image's entry point).
# Source it; it defines functions only and changes nothing by itself:
#
#   . "$repo/deploy/local/lib.sh"
#   rnn_ensure_libgfortran demo.sh     # installs libgfortran5 when libgfortran.so.5 is missing
#   rnn_ensure_chromium .ci/run        # installs chromium and chromium-driver when either is missing
#   rnn_openblas_coretype              # exports OPENBLAS_CORETYPE for this CPU (or keeps the caller's)
#
# Bash; safe under set -euo pipefail, so that scripts with or without -euo pipefail can use it.

# rnn_ensure_libgfortran WHO: jblas's bundled OpenBLAS needs libgfortran.so.5; without it jblas only logs
# "Couldn't load copied link file" and the first native call throws UnsatisfiedLinkError. When the dynamic
# linker does not know the library, installs the Debian/Ubuntu package libgfortran5 with apt-get (as root,
# else through sudo), running apt-get update only when the first install attempt fails. WHO prefixes the
# messages. Returns apt-get's status; does nothing when the library is present.
rnn_ensure_libgfortran() {
  local who="${1:-lib.sh}"
  if ldconfig -p 2>/dev/null | grep -q 'libgfortran\.so\.5' \
      || { command -v dpkg >/dev/null 2>&1 && dpkg -s libgfortran5 >/dev/null 2>&1; }; then
    return 0
  fi
  echo "$who: installing libgfortran5 (needed by jblas's native BLAS)" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libgfortran5 \
    || { $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libgfortran5; }
}

# rnn_ensure_chromium WHO: the live page's browser test (LivePageIT) drives Debian's /usr/bin/chromium through
# /usr/bin/chromedriver. When either is missing, installs the Debian packages chromium and chromium-driver with
# apt-get (as root, else through sudo; about 2 min and 250 MB here), running apt-get update only when the first
# install attempt fails. WHO prefixes the messages. Returns apt-get's status; does nothing when both are present.
rnn_ensure_chromium() {
  local who="${1:-lib.sh}"
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    return 0
  fi
  echo "$who: installing chromium and chromium-driver (for the live page's browser test)" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver \
    || { $sudo apt-get update -qq \
         && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; }
}

# rnn_openblas_coretype: the OpenBLAS inside jblas 1.2.5 does not recognise recent CPUs and otherwise falls
# back to slow generic kernels (matrix-matrix products half as fast). When OPENBLAS_CORETYPE is unset, empty
# or 'auto', exports SkylakeX when the CPU has avx512f, Haswell when it has avx2, and unsets it otherwise
# (left to OpenBLAS). Any other value (e.g. Zen) is kept as the caller set it.
rnn_openblas_coretype() {
  case "${OPENBLAS_CORETYPE:-auto}" in
    auto|"") ;;
    *) return 0 ;;
  esac
  local flags
  flags="$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || true)"
  if printf '%s\n' "$flags" | grep -qw avx512f; then
    export OPENBLAS_CORETYPE=SkylakeX
  elif printf '%s\n' "$flags" | grep -qw avx2; then
    export OPENBLAS_CORETYPE=Haswell
  else
    unset OPENBLAS_CORETYPE
  fi
}

# rnn_live_pid PID_FILE PATTERN: prints the pid in PID_FILE when that process is alive and its command line
# matches the glob PATTERN (a guard against a recycled pid), else fails without output. The local broker's and
# the local registry's scripts find their own JVM with it.
rnn_live_pid() {
  local pid_file="$1" pattern="$2" pid cmd
  [[ -f "$pid_file" ]] || return 1
  pid="$(cat "$pid_file" 2>/dev/null)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    cmd="$(tr '\0' ' ' < "/proc/$pid/cmdline")"
  else
    cmd="$(ps -o args= -p "$pid" 2>/dev/null || true)"
  fi
  # shellcheck disable=SC2053
  [[ "$cmd" == $pattern ]] || return 1
  echo "$pid"
}

# rnn_stop_pid WHO PID TIMEOUT: sends SIGTERM to PID, waits up to TIMEOUT seconds for it to end, then sends
# SIGKILL; says which on stderr with WHO as the prefix, and how long the stop took.
rnn_stop_pid() {
  local who="$1" pid="$2" timeout="$3" t0 deadline
  t0=$(date +%s%N)
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$(( $(date +%s) + timeout ))
  while kill -0 "$pid" 2>/dev/null; do
    if (( $(date +%s) >= deadline )); then
      echo "$who: pid $pid still alive ${timeout}s after SIGTERM; sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.1
  done
  echo "$who: stopped pid $pid in $(( ($(date +%s%N) - t0) / 1000000 )) ms" >&2
}
