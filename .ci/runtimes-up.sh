#!/usr/bin/env bash
# runtimes-up.sh — make sure a standalone containerd and a rootful Podman API
# service are answering on this machine, with the capaudit test image in both.
#
# capaudit reads container runtimes' own state (OCI bundles, shim processes,
# runc state) for every runtime, not just Docker's.  CI needs two more
# runtimes next to the engine that .ci/docker-up.sh starts:
#
#   containerd  a SECOND containerd, separate from the one dockerd manages
#               (dockerd's lives under /run/docker/containerd and
#               /var/lib/docker/containerd, socket
#               /run/docker/containerd/containerd.sock).  Ours uses
#               containerd's upstream default paths, which nobody else uses on
#               these machines:
#                 config  /etc/containerd/capaudit-containerd.toml (written here)
#                 root    /var/lib/containerd
#                 state   /run/containerd
#                 socket  /run/containerd/containerd.sock
#               The CRI plugin is disabled (no kubelet, no CNI, no crictl on
#               Debian); containers are made with `ctr -n k8s.io run` and CRI's
#               annotations/labels set by hand.
#   podman      `podman system service --time=0 unix:///run/podman/podman.sock`
#               with a containers.conf drop-in
#               (/etc/containers/containers.conf.d/50-capaudit.conf) that
#               - caps nofile/nproc: this machine's hard limits are lower than
#                 Podman's defaults (1048576), and runc then fails with
#                 "error setting rlimit type 7: operation not permitted";
#               - uses network "none": rootful Podman otherwise creates a CNI
#                 bridge (cni-podman0, 10.88.0.0/16) and iptables rules;
#                 capaudit's tests need no network;
#               - pins cgroupfs and the file events logger (there is no
#                 systemd/journald here; Podman picks these anyway, pinning
#                 makes it independent of auto-detection).
#
# Both get the test image:   docker save capaudit-test:latest | ctr -n k8s.io image import -
#                            docker save capaudit-test:latest | podman load
# (it is built first with testing/build-test-image.sh when missing).  Import
# is skipped when the runtime already has the same image id.
#
# Idempotent: a runtime that already answers is left alone; one that is still
# starting (its pid file names a live process) is waited for, not started
# twice.  Concurrent invocations are serialised with flock.
#
# Environment (all optional):
#   RUNTIMES_UP_TIMEOUT   seconds to wait for each runtime (default 60)
#   RUNTIMES_IMAGES       docker images to copy into both (default capaudit-test:latest)
#   RUNTIMES_SKIP_DOCKER  1 = do not call .ci/docker-up.sh (docker must already answer)
#
# Logs: ${TMPDIR:-/tmp}/capaudit-containerd.log, ${TMPDIR:-/tmp}/capaudit-podman.log
# Pid files: /run/capaudit-containerd.pid, /run/capaudit-podman.pid
# Stop:  kill "$(cat /run/capaudit-podman.pid)"; kill "$(cat /run/capaudit-containerd.pid)"
#        (running containers survive both: their shims/conmons are separate)
#
# Exit status: 0 both up (prints versions), 1 on failure (prints a log tail).

set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
TIMEOUT="${RUNTIMES_UP_TIMEOUT:-60}"
TMP="${TMPDIR:-/tmp}"
IMAGES="${RUNTIMES_IMAGES:-capaudit-test:latest}"

CTRD_CONF=/etc/containerd/capaudit-containerd.toml
CTRD_SOCK=/run/containerd/containerd.sock
CTRD_LOG="$TMP/capaudit-containerd.log"
CTRD_PID=/run/capaudit-containerd.pid

PODMAN_CONF=/etc/containers/containers.conf.d/50-capaudit.conf
PODMAN_SOCK=/run/podman/podman.sock
PODMAN_LOG="$TMP/capaudit-podman.log"
PODMAN_PID=/run/capaudit-podman.pid

PATH="$PATH:/usr/sbin:/sbin"

say() { printf 'runtimes-up: %s\n' "$*" >&2; }
fail() {  # $1 message, $2 log file (optional), $3 byte offset where this attempt's lines start
    say "$1"
    if [ -n "${2:-}" ] && [ -f "$2" ]; then
        say "---- last 40 lines of this attempt in $2 ----"
        tail -c "+$(( ${3:-0} + 1 ))" "$2" | tail -n 40 >&2 || true
    fi
    exit 1
}

[ "$(id -u)" = 0 ] || fail "must run as root (installs packages, starts containerd and podman as root)"

# ctr waits for a socket that does not exist yet until its timeout: check the
# socket first and bound the connect, so the startup poll loop stays a poll.
ctr_ok()    { [ -S "$CTRD_SOCK" ] && timeout 10 ctr --address "$CTRD_SOCK" --connect-timeout 2s version >/dev/null 2>&1; }
podman_ok() { [ "$(curl -sS --max-time 5 --unix-socket "$PODMAN_SOCK" http://d/_ping 2>/dev/null)" = OK ]; }

# ------------------------------------------------------------------ docker
# The images come from docker (docker save), so the engine must answer.
if [ "${RUNTIMES_SKIP_DOCKER:-0}" = 1 ]; then
    timeout 30 docker info >/dev/null 2>&1 || fail "RUNTIMES_SKIP_DOCKER=1 but 'docker info' fails"
else
    bash "$HERE/docker-up.sh" || fail "docker-up.sh failed"
fi

# ------------------------------------------------------------------ packages
# containerd (and ctr) come with docker.io; podman pulls conmon, runc and
# containers-common.  --no-install-recommends: the recommends (buildah,
# fuse-overlayfs, slirp4netns, uidmap, catatonit) are for rootless Podman and
# pods, which we do not use.
missing=()
command -v containerd >/dev/null 2>&1 || missing+=(containerd)
command -v ctr        >/dev/null 2>&1 || missing+=(containerd)
command -v podman     >/dev/null 2>&1 || missing+=(podman)
command -v curl       >/dev/null 2>&1 || missing+=(curl)
command -v flock      >/dev/null 2>&1 || missing+=(util-linux)
if [ "${#missing[@]}" -gt 0 ]; then
    mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
for t in containerd ctr containerd-shim-runc-v2 runc podman conmon curl flock; do
    command -v "$t" >/dev/null 2>&1 || fail "$t not found after installing packages"
done

# Only one invocation at a time may start daemons; the others wait and then
# find them answering.  9>&- on the daemons keeps them from holding the lock.
exec 9>"$TMP/capaudit-runtimes-up.lock"
flock -w "$((TIMEOUT * 2 + 60))" 9 || fail "timed out waiting for another runtimes-up.sh"

# ------------------------------------------------------------------ config files
# Rewritten only when the content differs, so a running daemon's config file
# never changes under it by accident.
write_if_changed() {  # $1 path; content on stdin
    local new
    new="$(cat)"
    if [ ! -f "$1" ] || [ "$(cat "$1")" != "$new" ]; then
        mkdir -p "$(dirname "$1")"
        printf '%s\n' "$new" > "$1.tmp.$$"
        mv -f "$1.tmp.$$" "$1"
        say "wrote $1"
    fi
}

# Every path is spelled out, so this containerd can never fall back to a
# default that dockerd's containerd (config /run/docker/containerd/containerd.toml,
# root /var/lib/docker/containerd/daemon) uses.  No debug socket, no metrics.
write_if_changed "$CTRD_CONF" <<EOF
# Written by capaudit .ci/runtimes-up.sh: standalone containerd for tests.
version = 2
root = "/var/lib/containerd"
state = "/run/containerd"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
oom_score = 0

[grpc]
  address = "$CTRD_SOCK"

[ttrpc]
  address = ""

[debug]
  address = ""
  level = "info"

[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = "/var/lib/containerd/opt"
EOF

write_if_changed "$PODMAN_CONF" <<'EOF'
# Written by capaudit .ci/runtimes-up.sh.
# The machine's hard RLIMIT_NOFILE/NPROC are below Podman's default 1048576:
# runc fails with "error setting rlimit type 7: operation not permitted".
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
# No CNI bridge / iptables: tests need no network.
netns = "none"

[engine]
# No systemd and no journald on these machines.
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF

# ------------------------------------------------------------------ daemons
# A pid file names a live process of the expected program: it is ours and
# probably still starting.
live_pid() {  # $1 pid file, $2 program name; prints pid
    local pid
    [ -s "$1" ] || return 1
    pid="$(cat "$1" 2>/dev/null || true)"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
    { tr '\0' ' ' < "/proc/$pid/cmdline"; } 2>/dev/null | grep -q "$2" || return 1
    printf '%s\n' "$pid"
}

wait_for() {  # $1 check function, $2 pid; 0 up, 1 timeout, 2 process exited
    local i
    for ((i = 0; i < TIMEOUT * 4; i++)); do
        "$1" && return 0
        kill -0 "$2" 2>/dev/null || { "$1" && return 0; return 2; }
        sleep 0.25
    done
    return 1
}

start_daemon() {  # $1 pid file, $2 log, $3... command; prints pid
    printf '\n===== %s runtimes-up: %s\n' "$(date -u +%FT%TZ)" "${*:3}" >> "$2"
    # setsid + nohup: survive the CI step (or tool call) that started us.
    # cd /: a daemon must not pin the caller's work tree, and conmon/shims
    # inherit its cwd (Podman's conmon keeps it: its cwd is NOT the bundle).
    (cd / && exec setsid nohup "${@:3}" >> "$2" 2>&1 < /dev/null 9>&-) &
    local pid=$! i
    # setsid forks when it is a process-group leader (job control on): then $!
    # is a setsid that exits at once, and the daemon is its child.
    for ((i = 0; i < 20; i++)); do
        { tr '\0' ' ' < "/proc/$pid/cmdline"; } 2>/dev/null | grep -q "^$3 " && break
        pid="$(pgrep -n -x -f "${*:3}" 2>/dev/null || echo "$pid")"
        kill -0 "$pid" 2>/dev/null || break   # died at once: wait_for reports it
        sleep 0.1
    done
    echo "$pid" > "$1"
    echo "$pid"
}

bring_up() {  # $1 name, $2 check, $3 pid file, $4 log, $5 program, $6... command
    local name="$1" check="$2" pidf="$3" log="$4" prog="$5" pid rc off
    shift 5
    off="$(stat -c %s "$log" 2>/dev/null || echo 0)"
    if "$check"; then
        say "$name already answering"
        return 0
    fi
    if pid="$(live_pid "$pidf" "$prog")"; then
        say "$name already running (pid $pid); waiting for it"
    else
        pid="$(start_daemon "$pidf" "$log" "$@")"
        say "started $name (pid $pid, log $log)"
    fi
    rc=0; wait_for "$check" "$pid" || rc=$?
    case "$rc" in
        0) say "$name answering (pid $pid)" ;;
        2) fail "$name (pid $pid) exited during startup" "$log" "$off" ;;
        *) fail "$name (pid $pid) did not answer within ${TIMEOUT}s" "$log" "$off" ;;
    esac
}

# A containerd started by someone else on our socket (not from our pid file)
# that answers is fine too; one that does not answer but holds the socket would
# make ours fail with "address already in use", which the log tail shows.
bring_up containerd ctr_ok "$CTRD_PID" "$CTRD_LOG" "containerd" \
    containerd --config "$CTRD_CONF"

mkdir -p /run/podman
bring_up "podman service" podman_ok "$PODMAN_PID" "$PODMAN_LOG" "podman" \
    podman system service --time=0 "unix://$PODMAN_SOCK"

# ------------------------------------------------------------------ images
# ctr keeps no docker image id; we label the image with it after importing so
# the next run can tell whether it is current.  Podman keeps docker's id
# (the config digest) as its own image id.
for img in $IMAGES; do
    case "$img" in
        capaudit-test:*)
            bash "$REPO/testing/build-test-image.sh" "$img" || fail "could not build $img" ;;
        capaudit-threads:*)
            bash "$REPO/testing/build-helper-image.sh" "$img" || fail "could not build $img" ;;
    esac
    id="$(docker image inspect --format '{{.Id}}' "$img" 2>/dev/null)" || fail "docker has no image $img"
    case "$img" in */*) ref="$img" ;; *) ref="docker.io/library/$img" ;; esac

    have="$(timeout 30 ctr --address "$CTRD_SOCK" -n k8s.io images ls "name==$ref" 2>/dev/null \
        | awk 'NR > 1 { print $NF }' | tr ',' '\n' | sed -n 's/^capaudit.docker-id=//p')"
    if [ "$have" = "$id" ]; then
        say "containerd k8s.io already has $ref ($id)"
    else
        say "importing $img into containerd k8s.io as $ref"
        docker save "$img" | timeout 300 ctr --address "$CTRD_SOCK" -n k8s.io images import - >&2 \
            || fail "ctr images import of $img failed" "$CTRD_LOG"
        timeout 30 ctr --address "$CTRD_SOCK" -n k8s.io images label "$ref" "capaudit.docker-id=$id" >/dev/null \
            || fail "could not label $ref in containerd"
    fi

    have="$(timeout 30 podman image inspect --format '{{.Id}}' "localhost/$img" 2>/dev/null || true)"
    if [ "sha256:$have" = "$id" ]; then
        say "podman already has localhost/$img ($id)"
    else
        say "loading $img into podman as localhost/$img"
        docker save "$img" | timeout 300 podman load >&2 || fail "podman load of $img failed" "$PODMAN_LOG"
    fi
done

say "containerd $(timeout 10 ctr --address "$CTRD_SOCK" version 2>/dev/null | awk '/Server:/ {s=1} s && /Version:/ {print $2; exit}') on $CTRD_SOCK (pid $(cat "$CTRD_PID" 2>/dev/null || echo '?'), config $CTRD_CONF)"
say "podman $(curl -sS --max-time 5 --unix-socket "$PODMAN_SOCK" http://d/v4.0.0/libpod/version 2>/dev/null | sed -n 's/.*"Version":"\([^"]*\)".*/\1/p' | head -n1) on $PODMAN_SOCK (pid $(cat "$PODMAN_PID" 2>/dev/null || echo '?'), config $PODMAN_CONF)"
