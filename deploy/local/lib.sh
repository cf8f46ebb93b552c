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
