#!/usr/bin/env bash
# build-helper-image.sh — build the local Docker image with capaudit's thread
# test helpers (testing/helpers/*.c): processes whose threads hold different
# capabilities, which a scanner must read from /proc/<pid>/task/<tid>/status.
#
# Usage: testing/build-helper-image.sh [--force] [TAG]
#   TAG      image reference to create (default: capaudit-threads:latest)
#   --force  rebuild even if an up-to-date image with TAG already exists
#
# Image contents:
#   /usr/local/bin/thread-keeps-caps      helper thread uid 1000 + CapEff 0x1e9, main uid 1000, nothing
#   /usr/local/bin/thread-drops-net-raw   leader drops NET_RAW (bnd/eff/prm), second thread keeps it
#   /usr/local/bin/thread-zombie-leader   leader drops all and pthread_exit()s, worker keeps root's set
#   /bin/busybox + applet links (sh, sleep, cat, ...), /etc/passwd with root and sandbox (1000)
#   CMD ["/usr/local/bin/thread-keeps-caps"]
#
# Why this looks the way it does (same recipe as build-test-image.sh):
#   * No registry is reachable: the rootfs is made from static binaries built
#     here (gcc -static -pthread, no libcap: raw syscalls keep each change on
#     the calling thread) and the host's busybox-static, then `docker import`.
#   * Idempotent: the image carries a label with a hash of this script and the
#     C sources; an image with TAG and the same hash is left alone.
#
# Exit status: 0 image present, non-zero with a message on stderr otherwise.

set -euo pipefail

die() { printf 'build-helper-image: ERROR: %s\n' "$*" >&2; exit 1; }
log() { printf 'build-helper-image: %s\n' "$*" >&2; }

FORCE=0
TAG=""
for arg in "$@"; do
    case "$arg" in
        --force|-f) FORCE=1 ;;
        -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
        -*) die "unknown option: $arg" ;;
        *) [ -z "$TAG" ] || die "more than one TAG given ($TAG, $arg)"; TAG="$arg" ;;
    esac
done
TAG="${TAG:-capaudit-threads:latest}"

HERE="$(cd "$(dirname "$0")" && pwd)"
SRC="$HERE/helpers"
PROGRAMS=(thread-keeps-caps thread-drops-net-raw thread-zombie-leader)

command -v docker >/dev/null 2>&1 || die "docker CLI not found in PATH (run .ci/docker-up.sh first)"
timeout 30 docker info >/dev/null 2>&1 || die "docker engine not reachable ('docker info' failed; run .ci/docker-up.sh first)"

# Recipe hash: this script, the shared header and every program's source.
SOURCES=("$SRC/threadcaps.h")
for p in "${PROGRAMS[@]}"; do
    [ -f "$SRC/$p.c" ] || die "missing $SRC/$p.c"
    SOURCES+=("$SRC/$p.c")
done
RECIPE="$(cat "$(readlink -f "$0")" "${SOURCES[@]}" | sha256sum | cut -c1-16)"

if [ "$FORCE" -eq 0 ]; then
    existing="$(docker image inspect --format '{{ index .Config.Labels "capaudit.threads.recipe" }}' "$TAG" 2>/dev/null || true)"
    if [ "$existing" = "$RECIPE" ]; then
        log "image $TAG is up to date (recipe $RECIPE); use --force to rebuild"
        exit 0
    fi
    [ -z "$existing" ] || log "image $TAG exists but recipe differs ($existing != $RECIPE); rebuilding"
fi

command -v gcc >/dev/null 2>&1 || die "gcc not found (apt-get install gcc libc6-dev)"
BUSYBOX=""
for p in $(command -v busybox 2>/dev/null) /bin/busybox /usr/bin/busybox; do
    [ -x "$p" ] && { BUSYBOX="$(readlink -f "$p")"; break; }
done
[ -n "$BUSYBOX" ] || die "busybox not found (apt-get install busybox-static)"
if ldd "$BUSYBOX" 2>/dev/null | grep -q '=>'; then
    die "$BUSYBOX is dynamically linked; install busybox-static"
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/capaudit-threads.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
ROOT="$WORK/rootfs"
mkdir -p "$ROOT"/{bin,etc,tmp,proc,sys,dev,usr/local/bin,home/sandbox}
chmod 1777 "$ROOT/tmp"

for p in "${PROGRAMS[@]}"; do
    # -Werror: a warning in a credential-changing helper is a bug we want now.
    gcc -static -pthread -O2 -Wall -Wextra -Werror -o "$ROOT/usr/local/bin/$p" "$SRC/$p.c" \
        || die "gcc failed for $p.c"
    if ldd "$ROOT/usr/local/bin/$p" 2>/dev/null | grep -q '=>'; then
        die "$p is not static"
    fi
done

cp "$BUSYBOX" "$ROOT/bin/busybox"
chmod 0755 "$ROOT/bin/busybox"
while IFS= read -r applet; do
    [ -n "$applet" ] || continue
    [ "$applet" = "bin/busybox" ] && continue
    mkdir -p "$ROOT/$(dirname "$applet")"
    ln -sf /bin/busybox "$ROOT/$applet"
done < <("$ROOT/bin/busybox" --list-full)

cat > "$ROOT/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
sandbox:x:1000:1000:sandbox:/home/sandbox:/bin/sh
EOF
cat > "$ROOT/etc/group" <<'EOF'
root:x:0:
sandbox:x:1000:
EOF
chmod 0644 "$ROOT/etc/passwd" "$ROOT/etc/group"

if command -v chroot >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    chroot "$ROOT" /bin/sh -c 'sleep 0' || die "busybox sh/sleep do not run inside the rootfs"
fi

tar --numeric-owner --owner=0 --group=0 -C "$ROOT" --exclude=./home/sandbox -cf "$WORK/rootfs.tar" .
tar --numeric-owner --owner=1000 --group=1000 -C "$ROOT" -rf "$WORK/rootfs.tar" ./home/sandbox

old_id="$(docker image inspect --format '{{.Id}}' "$TAG" 2>/dev/null || true)"
log "importing $TAG (recipe $RECIPE)"
timeout 300 docker import \
    --change 'CMD ["/usr/local/bin/thread-keeps-caps"]' \
    --change 'ENV PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'WORKDIR /' \
    --change "LABEL capaudit.threads.recipe=$RECIPE" \
    --message "capaudit thread helpers (static, from testing/helpers)" \
    "$WORK/rootfs.tar" "$TAG" >/dev/null \
    || die "docker import of $TAG failed"

new_id="$(docker image inspect --format '{{.Id}}' "$TAG" 2>/dev/null)" || die "image $TAG missing after import"
# Drop the superseded image; fails harmlessly while a container still uses it.
if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then
    docker rmi "$old_id" >/dev/null 2>&1 || true
fi
log "built $TAG"
