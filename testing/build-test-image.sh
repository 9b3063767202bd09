#!/usr/bin/env bash
# build-test-image.sh — build the local Docker image used by capaudit's
# integration tests and by the capture of samples/captured/.
#
# Usage: testing/build-test-image.sh [--force] [TAG]
#   TAG      image reference to create (default: capaudit-test:latest)
#   --force  rebuild even if an up-to-date image with TAG already exists
#
# Why this looks the way it does:
#   * No container registry is reachable from CI/sandbox machines, so we cannot
#     `docker pull` or `FROM` anything.  Instead the rootfs is assembled from the
#     HOST's own binaries (busybox-static, capsh, setpriv, bash + their shared
#     libraries and the dynamic loader) and turned into an image with
#     `docker import`.
#   * /entry.sh reproduces the NemoClaw two-stage privilege drop that capaudit
#     is meant to audit:
#       stage 1 (as root, needs CAP_SETPCAP): capsh --drop=$DROP shrinks the
#               bounding set, then re-execs /entry.sh (FIX_STAGE1=1 guards the
#               loop);
#       stage 2: setpriv switches to uid/gid 1000 ("sandbox") and removes
#               $STEP_DROP from the bounding set, then execs the command.
#     Environment knobs (all optional): DROP, STEP_DROP, STEP_DOWN=none.
#   * Idempotent: the image carries a label with the sha256 of this script; if
#     an image with TAG and the same recipe hash exists we do nothing (fast
#     path for integration tests that call this before every run).
#
# Exit status: 0 on success (image present), non-zero with a message on stderr
# otherwise, so Java integration tests can call it and surface the reason.

set -euo pipefail

die() { printf 'build-test-image: ERROR: %s\n' "$*" >&2; exit 1; }
log() { printf 'build-test-image: %s\n' "$*" >&2; }

FORCE=0
TAG=""
for arg in "$@"; do
    case "$arg" in
        --force|-f) FORCE=1 ;;
        -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
        -*) die "unknown option: $arg" ;;
        *) [ -z "$TAG" ] || die "more than one TAG given ($TAG, $arg)"; TAG="$arg" ;;
    esac
done
TAG="${TAG:-capaudit-test:latest}"

# ---------------------------------------------------------------- prerequisites
command -v docker >/dev/null 2>&1 || die "docker CLI not found in PATH (run .ci/docker-up.sh first)"
docker info >/dev/null 2>&1 || die "docker engine not reachable ('docker info' failed; run .ci/docker-up.sh first)"

# Recipe hash: any edit to this script (including the entrypoint text below)
# invalidates previously built images.
SELF="$(readlink -f "$0")"
RECIPE="$(sha256sum "$SELF" | cut -c1-16)"

if [ "$FORCE" -eq 0 ]; then
    existing="$(docker image inspect --format '{{ index .Config.Labels "capaudit.test.recipe" }}' "$TAG" 2>/dev/null || true)"
    if [ "$existing" = "$RECIPE" ]; then
        log "image $TAG is up to date (recipe $RECIPE); use --force to rebuild"
        exit 0
    fi
    [ -z "$existing" ] || log "image $TAG exists but recipe differs ($existing != $RECIPE); rebuilding"
fi

# Locate host tools.  Debian: busybox-static, libcap2-bin (capsh), util-linux
# (setpriv), bash.  We need the *static* busybox because the rootfs has only the
# libraries that capsh/setpriv/bash need.
find_tool() {
    local name="$1" p
    for p in $(command -v "$name" 2>/dev/null) "/usr/sbin/$name" "/sbin/$name" "/usr/bin/$name" "/bin/$name"; do
        [ -x "$p" ] && { readlink -f "$p"; return 0; }
    done
    return 1
}
BUSYBOX="$(find_tool busybox)" || die "busybox not found (apt-get install busybox-static)"
CAPSH="$(find_tool capsh)"     || die "capsh not found (apt-get install libcap2-bin)"
SETPRIV="$(find_tool setpriv)" || die "setpriv not found (apt-get install util-linux)"
BASH_BIN="$(find_tool bash)"   || die "bash not found"
command -v ldd >/dev/null 2>&1 || die "ldd not found"
if ldd "$BUSYBOX" 2>/dev/null | grep -q '=>'; then
    die "$BUSYBOX is dynamically linked; install busybox-static"
fi

# ---------------------------------------------------------------- build rootfs
WORK="$(mktemp -d "${TMPDIR:-/tmp}/capaudit-image.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
ROOT="$WORK/rootfs"
mkdir -p "$ROOT"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,run,root,home/sandbox,tmp,lib64,lib/x86_64-linux-gnu}
chmod 1777 "$ROOT/tmp"
chmod 0700 "$ROOT/root"

# busybox + one symlink per applet, at the locations busybox itself reports
# (bin/sh, bin/cat, bin/sleep, usr/bin/id, ...).  We do not use
# `busybox --install -s` because it would link to the *host* path of busybox.
cp "$BUSYBOX" "$ROOT/bin/busybox"
chmod 0755 "$ROOT/bin/busybox"
while IFS= read -r applet; do
    [ -n "$applet" ] || continue
    [ "$applet" = "bin/busybox" ] && continue
    mkdir -p "$ROOT/$(dirname "$applet")"
    ln -sf /bin/busybox "$ROOT/$applet"
done < <("$ROOT/bin/busybox" --list-full)

# Real capsh/setpriv/bash.  busybox has its own (incomplete) `setpriv` applet at
# bin/setpriv which would shadow the real one in PATH; remove every applet link
# that collides with a real tool so there is exactly one of each.  NB: busybox
# sh (Debian builds it with FEATURE_SH_STANDALONE/PREFER_APPLETS) still runs its
# built-in applet for a bare `setpriv` inside `sh -c`, so scripts in the image
# must call /usr/bin/setpriv by absolute path.
for t in capsh setpriv bash; do
    rm -f "$ROOT/bin/$t" "$ROOT/sbin/$t" "$ROOT/usr/bin/$t" "$ROOT/usr/sbin/$t"
done
install -m 0755 "$CAPSH"    "$ROOT/usr/sbin/capsh"
install -m 0755 "$SETPRIV"  "$ROOT/usr/bin/setpriv"
install -m 0755 "$BASH_BIN" "$ROOT/bin/bash"   # capsh `--` runs /bin/bash

# Shared libraries + dynamic loader, copied (dereferenced) to the same paths
# they have on the host, so the binaries' DT_NEEDED/PT_INTERP resolve.
copy_libs() {
    local bin="$1" lib
    # ldd lines: "libfoo.so.1 => /lib/x/libfoo.so.1 (0x..)" or "/lib64/ld-linux... (0x..)"
    ldd "$bin" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }' | while read -r lib; do
        [ -e "$lib" ] || die "library $lib needed by $bin not found"
        mkdir -p "$ROOT$(dirname "$lib")"
        cp -L "$lib" "$ROOT$lib"
    done
}
for b in "$CAPSH" "$SETPRIV" "$BASH_BIN"; do copy_libs "$b"; done
[ -e "$ROOT/lib64/ld-linux-x86-64.so.2" ] || [ "$(uname -m)" != x86_64 ] \
    || die "dynamic loader was not copied (unexpected ldd output)"

# Users: root and sandbox (1000).  setpriv resolves "sandbox" via NSS (files).
cat > "$ROOT/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
sandbox:x:1000:1000:sandbox:/home/sandbox:/bin/sh
EOF
cat > "$ROOT/etc/group" <<'EOF'
root:x:0:
sandbox:x:1000:
EOF
cat > "$ROOT/etc/nsswitch.conf" <<'EOF'
passwd: files
group: files
EOF
chmod 0644 "$ROOT/etc/passwd" "$ROOT/etc/group" "$ROOT/etc/nsswitch.conf"

# The entrypoint under test.  Quoted heredoc: nothing is expanded at build time.
cat > "$ROOT/entry.sh" <<'EOF'
#!/bin/sh
# capaudit test entrypoint: reproduces the NemoClaw two-stage privilege drop.
#   DROP       caps removed from the bounding set in stage 1 (capsh --drop)
#   STEP_DROP  setpriv --bounding-set argument for stage 2
#   STEP_DOWN  "none" = skip stage 2 (stay root after stage 1)
#   FIX_STAGE1 internal: set once stage 1 ran, prevents re-running it
set -e
DROP="${DROP:-cap_sys_admin,cap_sys_ptrace,cap_net_raw,cap_dac_override,cap_sys_chroot,cap_fsetid,cap_setfcap,cap_mknod,cap_audit_write,cap_net_bind_service}"
STEP_DROP="${STEP_DROP:--setuid,-setgid,-fowner,-chown,-kill}"
[ "$#" -gt 0 ] || set -- sleep 1000000

# Stage 1: shrink the bounding set (needs CAP_SETPCAP in the permitted set).
# Absolute paths on purpose: Debian's busybox-static sh prefers its own applets
# (it has a limited `setpriv` applet) over $PATH lookups.
if [ -z "${FIX_STAGE1:-}" ] && /usr/sbin/capsh --has-p=cap_setpcap 2>/dev/null; then
    export FIX_STAGE1=1
    exec /usr/sbin/capsh --drop="$DROP" -- -c 'exec /entry.sh "$@"' -- "$@"
fi

bnd=
while read -r key val; do
    [ "$key" = "CapBnd:" ] && bnd="$val"
done < /proc/self/status
echo "stage1 CapBnd=$bnd" >&2

# Stage 2: step down to the sandbox user, trimming the bounding set further.
if [ "${STEP_DOWN:-}" = none ]; then
    exec "$@"
fi
exec /usr/bin/setpriv --reuid=sandbox --regid=sandbox --init-groups --bounding-set="$STEP_DROP" -- "$@"
EOF
chmod 0755 "$ROOT/entry.sh"

# Sanity-check the rootfs on the host before importing (cheap, catches missing
# libraries early with a clear message).
if command -v chroot >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    chroot "$ROOT" /usr/sbin/capsh --supports=cap_setpcap >/dev/null 2>&1 || die "capsh does not run inside the rootfs"
    chroot "$ROOT" /usr/bin/setpriv --version >/dev/null 2>&1 || die "setpriv does not run inside the rootfs"
    chroot "$ROOT" /bin/bash -c 'exit 0' || die "bash does not run inside the rootfs"
    chroot "$ROOT" /bin/sh -c 'sleep 0' || die "busybox sh/sleep do not run inside the rootfs"
fi

# ---------------------------------------------------------------- import
# --numeric-owner + explicit root ownership: uid 0 in the image no matter who
# owns the files on the host; /home/sandbox belongs to uid 1000.
tar --numeric-owner --owner=0 --group=0 -C "$ROOT" --exclude=./home/sandbox -cf "$WORK/rootfs.tar" .
tar --numeric-owner --owner=1000 --group=1000 -C "$ROOT" -rf "$WORK/rootfs.tar" ./home/sandbox

old_id="$(docker image inspect --format '{{.Id}}' "$TAG" 2>/dev/null || true)"
log "importing $TAG (recipe $RECIPE)"
docker import \
    --change 'ENTRYPOINT ["/entry.sh"]' \
    --change 'CMD ["sleep", "1000000"]' \
    --change 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'WORKDIR /' \
    --change "LABEL capaudit.test.recipe=$RECIPE" \
    --message "capaudit test image (rootfs from host busybox/capsh/setpriv/bash)" \
    "$WORK/rootfs.tar" "$TAG" >/dev/null \
    || die "docker import of $TAG failed"

new_id="$(docker image inspect --format '{{.Id}}' "$TAG" 2>/dev/null)" || die "image $TAG missing after import"
# Remove the superseded image so rebuilds don't pile up dangling images; this
# fails harmlessly (ignored) while containers still use it.
if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then
    docker rmi "$old_id" >/dev/null 2>&1 || true
fi
log "built $TAG"
