#!/usr/bin/env bash
# docker-up.sh — make sure a Docker engine is answering on this machine.
#
# Used by CI / sandbox runs of capaudit's Docker integration tests.  These
# machines (Debian 12, root, no systemd, no registry access) have no running
# engine, so we install Debian's docker.io and start `dockerd` by hand.
#
# Idempotent: if `docker info` already works we exit 0 immediately; if a
# dockerd is already running but not answering yet, we wait for it instead of
# starting a second one.
#
# Environment (all optional):
#   DOCKER_UP_TIMEOUT       seconds to wait for `docker info` (default 60)
#   DOCKER_STORAGE_DRIVER   force a storage driver (default: overlay2 if an
#                           overlay mount works on the data root, else vfs)
#   DOCKER_DATA_ROOT        dockerd --data-root (default /var/lib/docker)
#   DOCKERD_EXTRA_ARGS      extra dockerd arguments (word-split)
#
# Exit status: 0 engine up (prints its version), 1 on failure (prints the tail
# of the dockerd log).

set -euo pipefail

TIMEOUT="${DOCKER_UP_TIMEOUT:-60}"
LOG="${TMPDIR:-/tmp}/capaudit-dockerd.log"
DATA_ROOT="${DOCKER_DATA_ROOT:-/var/lib/docker}"
PIDFILE=/var/run/docker.pid

say() { printf 'docker-up: %s\n' "$*" >&2; }

print_version() {
    docker version --format 'docker-up: engine {{.Server.Version}} (API {{.Server.APIVersion}}), client {{.Client.Version}}' >&2 \
        || docker version >&2 || true
}

# ------------------------------------------------------------------ fast path
if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    print_version
    exit 0
fi

# Everything below needs root (package install, dockerd, mounts).
SUDO=""
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { say "not root and no sudo; cannot start dockerd"; exit 1; }
    SUDO="sudo -n"
fi

# ------------------------------------------------------------------ packages
# Only touch apt when something is actually missing (keeps reruns fast and
# avoids the network).  DPkg::Lock::Timeout makes us wait for a concurrently
# running apt/dpkg (e.g. a provisioning job) instead of failing on the lock.
missing=()
command -v dockerd >/dev/null 2>&1 || [ -x /usr/sbin/dockerd ] || missing+=(docker.io)
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'install ok installed' || missing+=(busybox-static)
command -v capsh >/dev/null 2>&1 || [ -x /usr/sbin/capsh ] || [ -x /sbin/capsh ] || missing+=(libcap2-bin)
if [ "${#missing[@]}" -gt 0 ]; then
    command -v apt-get >/dev/null 2>&1 || { say "missing ${missing[*]} and no apt-get"; exit 1; }
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
    $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
PATH="$PATH:/usr/sbin:/sbin"
command -v dockerd >/dev/null 2>&1 || { say "dockerd still not found after install"; exit 1; }
command -v docker  >/dev/null 2>&1 || { say "docker CLI not found after install"; exit 1; }

# Serialise concurrent invocations (parallel CI jobs / test JVMs): only one of
# them may start dockerd; the others wait on the lock and then take the fast
# path below.
if command -v flock >/dev/null 2>&1; then
    exec 9>"${TMPDIR:-/tmp}/capaudit-docker-up.lock"
    flock -w "$((TIMEOUT + 30))" 9 || { say "timed out waiting for another docker-up.sh"; exit 1; }
    if docker info >/dev/null 2>&1; then print_version; exit 0; fi
fi

# ------------------------------------------------------------------ already starting?
wait_for_engine() {  # $1 = pid of the dockerd we care about (or empty)
    local pid="${1:-}" i
    for ((i = 0; i < TIMEOUT * 2; i++)); do
        docker info >/dev/null 2>&1 && return 0
        if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
            return 2   # dockerd exited
        fi
        sleep 0.5
    done
    return 1           # timeout
}

if [ -s "$PIDFILE" ]; then
    oldpid="$(cat "$PIDFILE" 2>/dev/null || true)"
    if [ -n "$oldpid" ] && kill -0 "$oldpid" 2>/dev/null \
        && grep -q dockerd "/proc/$oldpid/cmdline" 2>/dev/null; then
        # A dockerd is running (probably still initialising) — don't start a
        # second one, which would fail on the pid file anyway.
        say "dockerd already running (pid $oldpid); waiting for it"
        if wait_for_engine "$oldpid"; then print_version; exit 0; fi
        say "existing dockerd (pid $oldpid) did not answer within ${TIMEOUT}s"
        tail -n 40 "$LOG" >&2 2>/dev/null || true
        exit 1
    fi
    # Stale pid file from a killed dockerd: dockerd refuses to start with
    # "pid file found, ensure docker is not running".
    say "removing stale $PIDFILE"
    $SUDO rm -f "$PIDFILE"
fi

# ------------------------------------------------------------------ cgroups
# runc needs a mounted cgroup hierarchy.  Minimal VMs / containers sometimes
# have none (or an empty tmpfs) at /sys/fs/cgroup.
setup_cgroups() {
    if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
        # cgroup v2.  If we are in the root cgroup with processes in it and
        # there is no systemd managing the tree, controllers cannot be enabled
        # for children ("no internal processes" rule) and runc fails.  Do what
        # moby's hack/dind does: move everything into an "init" child cgroup
        # and delegate all controllers.  Skip when systemd is PID 1.
        if [ "$(cat /proc/1/comm 2>/dev/null)" != systemd ] && [ "$(cat /proc/self/cgroup)" = "0::/" ]; then
            say "cgroup v2 without systemd: delegating controllers (dind-style)"
            $SUDO mkdir -p /sys/fs/cgroup/init
            xargs -rn1 < /sys/fs/cgroup/cgroup.procs 2>/dev/null \
                | while read -r p; do echo "$p" | $SUDO tee /sys/fs/cgroup/init/cgroup.procs >/dev/null 2>&1 || true; done
            sed -e 's/ / +/g' -e 's/^/+/' < /sys/fs/cgroup/cgroup.controllers \
                | $SUDO tee /sys/fs/cgroup/cgroup.subtree_control >/dev/null 2>&1 || true
        fi
        return 0
    fi
    # cgroup v1 (possibly hybrid): fine if at least the usual controllers exist.
    if [ -d /sys/fs/cgroup/memory ] || [ -d /sys/fs/cgroup/cpu ] || [ -d /sys/fs/cgroup/devices ]; then
        return 0
    fi
    # Nothing mounted: prefer a unified v2 mount; fall back to per-controller
    # v1 mounts (what cgroupfs-mount does).
    say "no cgroup hierarchy mounted; mounting one"
    $SUDO mkdir -p /sys/fs/cgroup
    if grep -qw cgroup2 /proc/filesystems && $SUDO mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null; then
        setup_cgroups
        return 0
    fi
    mountpoint -q /sys/fs/cgroup || $SUDO mount -t tmpfs -o uid=0,gid=0,mode=0755 cgroup /sys/fs/cgroup
    local ss
    # shellcheck disable=SC2013  # controller names are single words
    for ss in $(awk '!/^#/ { if ($4 == 1) print $1 }' /proc/cgroups); do
        $SUDO mkdir -p "/sys/fs/cgroup/$ss"
        mountpoint -q "/sys/fs/cgroup/$ss" || $SUDO mount -n -t cgroup -o "$ss" cgroup "/sys/fs/cgroup/$ss" || true
    done
}
setup_cgroups

# ------------------------------------------------------------------ storage driver
# overlay2 is fastest, but it fails when the data root is itself on overlayfs
# (docker-in-docker), on some FUSE/9p/virtiofs filesystems or without the
# overlay module.  Probe an actual overlay mount on the data root's filesystem;
# use vfs (slow, copies layers, but works everywhere) if it fails.
probe_overlay() {
    local d rc=1
    grep -qw overlay /proc/filesystems || $SUDO modprobe overlay 2>/dev/null || true
    grep -qw overlay /proc/filesystems || return 1
    $SUDO mkdir -p "$DATA_ROOT"
    d="$($SUDO mktemp -d "$DATA_ROOT/.overlay-probe.XXXXXX")" || return 1
    $SUDO mkdir -p "$d/lower" "$d/upper" "$d/work" "$d/merged"
    if $SUDO mount -t overlay overlay -o "lowerdir=$d/lower,upperdir=$d/upper,workdir=$d/work" "$d/merged" 2>/dev/null; then
        $SUDO touch "$d/merged/probe" 2>/dev/null && rc=0
        $SUDO umount "$d/merged" || true
    fi
    $SUDO rm -rf "$d"
    return $rc
}
if [ -n "${DOCKER_STORAGE_DRIVER:-}" ]; then
    DRIVER="$DOCKER_STORAGE_DRIVER"
elif [ -d "$DATA_ROOT/vfs" ] && [ ! -d "$DATA_ROOT/overlay2" ]; then
    DRIVER=vfs            # keep what a previous run chose (images live there)
elif probe_overlay; then
    DRIVER=overlay2
else
    DRIVER=vfs
fi

# ------------------------------------------------------------------ start dockerd
# --iptables=false: no iptables/nftables tooling or netfilter permissions in
#   the sandbox; we never publish ports.
# --bridge=none: creating docker0 needs netlink/bridge support we may not have;
#   containers still get a loopback-only network namespace.
# setsid + nohup: detach from our session/process group so dockerd survives the
#   CI step (or tool invocation) that started it being torn down.
# 9>&-: don't leak the flock fd, or the long-lived dockerd would hold the lock
#   forever and every later invocation would block.
start_dockerd() {  # $1 = storage driver; sets DOCKERD_PID
    local -a args=(--iptables=false --bridge=none --storage-driver="$1" --data-root="$DATA_ROOT")
    # shellcheck disable=SC2206  # intentional word splitting
    [ -z "${DOCKERD_EXTRA_ARGS:-}" ] || args+=($DOCKERD_EXTRA_ARGS)
    say "starting dockerd ${args[*]} (log: $LOG)"
    # Remember where this attempt's output starts so diagnostics don't pick up
    # lines from earlier runs (the log is appended to, never truncated).
    LOG_OFFSET="$(stat -c %s "$LOG" 2>/dev/null || echo 0)"
    printf '\n===== %s docker-up: dockerd %s\n' "$(date -u +%FT%TZ)" "${args[*]}" >> "$LOG"
    if command -v setsid >/dev/null 2>&1; then
        $SUDO setsid nohup dockerd "${args[@]}" >> "$LOG" 2>&1 < /dev/null 9>&- &
    else
        $SUDO nohup dockerd "${args[@]}" >> "$LOG" 2>&1 < /dev/null 9>&- &
    fi
    DOCKERD_PID=$!
}

attempt_log() {  # output of the current dockerd attempt only
    tail -c "+$(( ${LOG_OFFSET:-0} + 1 ))" "$LOG" 2>/dev/null || true
}

fail() {
    say "$*"
    say "---- dockerd log (last 40 lines of this attempt, full log: $LOG) ----"
    attempt_log | tail -n 40 >&2
    exit 1
}

# ------------------------------------------------------------------ stale containerd socket
# dockerd uses a "system" containerd whenever /run/containerd/containerd.sock
# exists (moby's systemContainerdRunning only lstat()s it) instead of starting
# its own.  After a machine restart that socket file (left by
# .ci/runtimes-up.sh's standalone containerd) outlives its process, and dockerd
# dials it for its whole start-up timeout, then exits.  A socket nobody answers
# on is removed, so dockerd manages its own containerd again.
SYSTEM_CTRD_SOCK=/run/containerd/containerd.sock
system_containerd_answers() {
    command -v ctr >/dev/null 2>&1 || { pgrep -x containerd >/dev/null 2>&1; return; }
    timeout 10 ctr --address "$SYSTEM_CTRD_SOCK" --connect-timeout 2s version >/dev/null 2>&1
}
if [ -S "$SYSTEM_CTRD_SOCK" ]; then
    if system_containerd_answers; then
        say "a containerd answers on $SYSTEM_CTRD_SOCK: dockerd will use it instead of its own"
    else
        say "removing stale $SYSTEM_CTRD_SOCK (no containerd answers on it)"
        $SUDO rm -f "$SYSTEM_CTRD_SOCK"
    fi
fi

start=$(date +%s)
start_dockerd "$DRIVER"
rc=0; wait_for_engine "$DOCKERD_PID" || rc=$?
if [ "$rc" -eq 2 ] && [ "$DRIVER" != vfs ] && [ -z "${DOCKER_STORAGE_DRIVER:-}" ] \
    && attempt_log | grep -qiE 'error initializing graphdriver|driver not supported|overlay.*(not supported|fail|invalid)'; then
    # overlay2 passed the probe but dockerd still rejected it: retry with vfs.
    say "dockerd exited complaining about $DRIVER; retrying with vfs"
    DRIVER=vfs
    $SUDO rm -f "$PIDFILE"
    start_dockerd vfs
    rc=0; wait_for_engine "$DOCKERD_PID" || rc=$?
fi
case "$rc" in
    0) ;;
    2) fail "dockerd exited during startup" ;;
    *) fail "dockerd did not answer 'docker info' within ${TIMEOUT}s (still running as pid $DOCKERD_PID)" ;;
esac

say "engine up after $(( $(date +%s) - start ))s (storage driver $(docker info --format '{{.Driver}}' 2>/dev/null || echo "$DRIVER"))"
print_version
