#!/usr/bin/env bash
# Makes the local images the Dockerfiles build on, without any image registry: the base images from Debian's
# own packages (debootstrap + docker import), the Kafka broker image from the Maven Central jars of
# deploy/local/broker/pom.xml. Each image is made only when the Docker engine does not have it yet (the
# engine's image store is the cache); prints how long each took.
#
#   deploy/docker/base-images.sh            # all three (idempotent; seconds when they exist)
#   deploy/docker/base-images.sh jre        # local/debian-jre17:bookworm  (runtime base, ~480 MB)
#   deploy/docker/base-images.sh build      # local/debian-jdk17-maven:bookworm (build base: + JDK, Maven)
#   deploy/docker/base-images.sh kafka      # local/kafka:4.3.1 (apache/kafka-compatible broker on the jre base)
#   deploy/docker/base-images.sh --force …  # remake the named images even when present
#
# The images:
#   local/debian-jre17:bookworm        debootstrap --variant=minbase bookworm with openjdk-17-jre-headless,
#                                      libgfortran5 (jblas's OpenBLAS) and curl (health checks); made by
#                                      'docker import' of the root file system (2-6 min: downloads ~270
#                                      packages; kept as local/debian-jre17:bookworm-rootfs), plus the CA
#                                      certificates this machine added (EXTRA_CA_DIR), so that Maven and curl
#                                      inside trust what the host trusts (e.g. a TLS-intercepting proxy).
#   local/debian-jdk17-maven:bookworm  the jre base + openjdk-17-jdk-headless and maven (apt-get in a build
#                                      with --network host; ~1 min).
#   local/kafka:4.3.1                  the jre base + the broker's jars (kafka_2.13, kafka-tools; resolved by
#                                      deploy/local/kafka.sh classpath) + deploy/docker/kafka/: starts like the
#                                      apache/kafka image (/etc/kafka/docker/run turns KAFKA_* variables into
#                                      server.properties; CLUSTER_ID) and has /opt/kafka/bin/kafka-*.sh tools.
#
# Environment:
#   DOCKER          the Docker client (default: /usr/bin/docker when present, Debian's docker.io 20.10, whose
#                   embedded BuildKit needs no buildx; else docker on the PATH)
#   DEBIAN_MIRROR   debootstrap's mirror (default: the first URIs:/deb line of apt's sources, else deb.debian.org)
#   EXTRA_CA_DIR    CA certificates (*.crt) added to the jre base and so to every image on it (default:
#                   /usr/local/share/ca-certificates, where update-ca-certificates takes local ones from;
#                   EXTRA_CA_DIR= adds none). Public certificates only; the images stay on this machine.
#   BASE_IMAGE_CACHE  a directory a CI may keep between runs: the debootstrapped root file system image is
#                   saved there (docker save, ~350 MB) once made, and loaded from there (~15 s) instead of
#                   running debootstrap again when the engine lacks it (default: unset, the engine's store only)
#   KAFKA_VERSION   default 4.3.1 (must be deploy/local/broker/pom.xml's kafka.version)
#   WORK_DIR        scratch space for the root file system and the broker's build context
#                   (default: <repo>/target/docker-base; deleted after each image is made)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

JRE_IMAGE=local/debian-jre17:bookworm
ROOTFS_IMAGE=local/debian-jre17:bookworm-rootfs
BUILD_IMAGE=local/debian-jdk17-maven:bookworm
KAFKA_VERSION="${KAFKA_VERSION:-4.3.1}"
KAFKA_IMAGE="local/kafka:$KAFKA_VERSION"
work="${WORK_DIR:-$repo/target/docker-base}"
extra_ca_dir="${EXTRA_CA_DIR-/usr/local/share/ca-certificates}"

if [[ -z "${DOCKER:-}" ]]; then
  if [[ -x /usr/bin/docker ]]; then DOCKER=/usr/bin/docker; else DOCKER=docker; fi
fi
export DOCKER_BUILDKIT=1

say() { echo "base-images.sh: $*" >&2; }
die() { say "$*"; exit 1; }
as_root() { if [[ "$(id -u)" -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
now() { date +%s; }

have_image() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }

debian_mirror() {
  if [[ -n "${DEBIAN_MIRROR:-}" ]]; then echo "$DEBIAN_MIRROR"; return; fi
  local m
  m="$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null \
        | tr ' ' '\n' | grep -v -e security -e '^$' | grep -m1 -i debian || true)"
  [[ -z "$m" ]] && m="$(sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\{0,1\}\([^[:space:]]*\).*/\2/p' \
        /etc/apt/sources.list 2>/dev/null | grep -v security | head -n1 || true)"
  echo "${m:-http://deb.debian.org/debian}"
}

make_rootfs() {  # debootstrap + docker import: $ROOTFS_IMAGE
  command -v debootstrap >/dev/null 2>&1 || die "debootstrap not found (apt-get install debootstrap)"
  local mirror rootfs
  mirror="$(debian_mirror)"
  rootfs="$work/rootfs-jre17"
  as_root rm -rf "$rootfs"
  mkdir -p "$work"
  say "debootstrap bookworm from $mirror into $rootfs (minbase + openjdk-17-jre-headless, libgfortran5, curl) ..."
  as_root debootstrap --variant=minbase \
      --include=openjdk-17-jre-headless,libgfortran5,curl,ca-certificates \
      bookworm "$rootfs" "$mirror" > "$work/debootstrap.log" 2>&1 \
    || { tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap failed (log: $work/debootstrap.log)"; }
  # an image needs neither the downloaded .debs nor the package lists (a build that installs runs apt-get update)
  as_root sh -c "rm -rf '$rootfs'/var/cache/apt/archives/*.deb '$rootfs'/var/lib/apt/lists/* '$rootfs'/tmp/*"
  as_root tar -C "$rootfs" -c . | "$DOCKER" import \
      -c 'ENV LANG=C.UTF-8' -c 'CMD ["/bin/bash"]' \
      -m "debootstrap --variant=minbase bookworm $mirror + openjdk-17-jre-headless libgfortran5 curl" \
      - "$ROOTFS_IMAGE" >/dev/null
  as_root rm -rf "$rootfs"
}

make_jre() {  # the imported root file system + this machine's own CA certificates
  local t0 ctx="$work/ca-context" n=0 crt
  local cached="${BASE_IMAGE_CACHE:+$BASE_IMAGE_CACHE/debian-jre17-bookworm-rootfs.tar}"
  if ! have_image "$ROOTFS_IMAGE" && [[ -n "$cached" && -s "$cached" ]]; then
    t0=$(now)
    "$DOCKER" load -q -i "$cached" >/dev/null && say "loaded $ROOTFS_IMAGE from $cached in $(( $(now) - t0 )) s"
  fi
  if ! have_image "$ROOTFS_IMAGE"; then
    t0=$(now)
    make_rootfs
    say "debootstrap + import: $(( $(now) - t0 )) s"
    if [[ -n "$cached" ]]; then
      mkdir -p "$BASE_IMAGE_CACHE"
      "$DOCKER" save -o "$cached.tmp" "$ROOTFS_IMAGE" && mv -f "$cached.tmp" "$cached" && say "saved to $cached"
    fi
  fi
  rm -rf "$ctx"
  mkdir -p "$ctx/certs"
  if [[ -n "$extra_ca_dir" && -d "$extra_ca_dir" ]]; then
    while IFS= read -r -d '' crt; do cp "$crt" "$ctx/certs/"; n=$((n + 1)); done \
      < <(find "$extra_ca_dir" -name '*.crt' -type f -print0)
  fi
  (( n == 0 )) || say "adding $n CA certificate(s) of this machine from $extra_ca_dir (TLS from inside builds as on the host)"
  cat > "$ctx/Dockerfile" <<'EOF'
ARG BASE
FROM ${BASE}
COPY certs/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null 2>&1 || update-ca-certificates
EOF
  "$DOCKER" build --network none -q -t "$JRE_IMAGE" --build-arg "BASE=$ROOTFS_IMAGE" "$ctx" >/dev/null
  rm -rf "$ctx"
}

make_build() {
  have_image "$JRE_IMAGE" || make_jre
  "$DOCKER" build --network host -q -t "$BUILD_IMAGE" --build-arg "BASE=$JRE_IMAGE" - >/dev/null <<'EOF'
ARG BASE
FROM ${BASE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jdk-headless maven \
 && rm -rf /var/lib/apt/lists/*
EOF
}

make_kafka() {
  have_image "$JRE_IMAGE" || make_jre
  local ctx="$work/kafka-context" cpfile jar
  rm -rf "$ctx"
  mkdir -p "$ctx/libs"
  cp -r "$here/kafka/." "$ctx/"
  cpfile="$ctx/classpath.txt"
  "$repo/deploy/local/kafka.sh" classpath "$cpfile" >/dev/null
  local IFS=:
  for jar in $(cat "$cpfile"); do cp "$jar" "$ctx/libs/"; done
  unset IFS
  rm -f "$cpfile"
  "$DOCKER" build --network host -q -t "$KAFKA_IMAGE" --build-arg "BASE=$JRE_IMAGE" \
      --build-arg "KAFKA_VERSION=$KAFKA_VERSION" "$ctx" >/dev/null
  rm -rf "$ctx"
}

ensure() {  # ensure NAME IMAGE FUNCTION
  local t0
  if [[ "$force" != 1 ]] && have_image "$2"; then
    say "$2 present"
    return 0
  fi
  t0=$(now)
  say "making $2 ..."
  "$3"
  have_image "$2" || die "$2 was not made"
  say "made $2 in $(( $(now) - t0 )) s ($("$DOCKER" image inspect -f '{{.Size}}' "$2" | awk '{printf "%d MB", $1/1e6}'))"
}

"$DOCKER" info >/dev/null 2>&1 || die "no Docker engine answers ($DOCKER info failed)"

force=0
which=()
for a in "$@"; do
  case "$a" in
    --force) force=1 ;;
    jre|build|kafka) which+=("$a") ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown argument '$a' (jre, build, kafka, --force)" ;;
  esac
done
(( ${#which[@]} )) || which=(jre build kafka)
for w in "${which[@]}"; do
  case "$w" in
    jre)   ensure jre   "$JRE_IMAGE"   make_jre ;;
    build) ensure build "$BUILD_IMAGE" make_build ;;
    kafka) ensure kafka "$KAFKA_IMAGE" make_kafka ;;
  esac
done
