#!/usr/bin/env bash
# smoke.sh — run the capaudit image against this host exactly as the Kubernetes
# DaemonSet and Job run it, and print the node's JSON report on stdout.
#
# Usage: deploy/image/smoke.sh
#
# The container gets what deploy/kubernetes/ gives the pod, and nothing else:
#   --pid=host                      every process of the node is visible
#   --cap-drop ALL --cap-add SYS_PTRACE --cap-add DAC_READ_SEARCH
#                                   read other processes' namespaces and files
#   --security-opt no-new-privileges, --user 0, --network none
#   --read-only                     and no writable /tmp: capaudit reads getcap
#                                   through a pipe and writes no file
#   -v DIR:/host/DIR:ro             for each directory of the runtimes' state
#                                   that capaudit reads and this host has (the
#                                   list below): the parts of /var/lib/docker,
#                                   /run/docker, /run/containerd,
#                                   /var/lib/containerd, /run/containers and
#                                   /var/lib/containers that hold no socket
#                                   and no container's stdio FIFO
# and no engine socket at all: `host --no-engine --host-root /host --node $(hostname) --format json -o -`.
# (/run/containerd and /run/docker hold containerd.sock: a read-only bind mount
# does not stop connect(2), so mounting them whole would hand over the API.)
#
# Environment (all optional):
#   CAPAUDIT_IMAGE   image to run (default capaudit:latest; deploy/image/build.sh builds it)
#   CAPAUDIT_POLICY  policy for --policy: a built-in name (cis-docker, k8s-restricted,
#                    nemoclaw-sandbox); a file must be reachable inside the container
#   SMOKE_WITHOUT    comma list of privileges to leave out, to see what breaks without
#                    each: SYS_PTRACE, DAC_READ_SEARCH, mounts
#
# Exit status: capaudit's own (0 pass, 4 violation, 5 unreadable or nothing matched,
# 1 capaudit failed, 2 bad usage); 1 with a message if the image is missing or
# docker cannot start the container.

set -euo pipefail

die() { printf 'smoke: ERROR: %s\n' "$*" >&2; exit 1; }
log() { printf 'smoke: %s\n' "$*" >&2; }

[ "$#" -eq 0 ] || case "$1" in
    -h|--help) sed -n '2,39p' "$0"; exit 0 ;;
    *) die "no arguments are taken (got $1); see --help for the environment it reads" ;;
esac

IMAGE="${CAPAUDIT_IMAGE:-capaudit:latest}"
# Exactly what capaudit reads: Docker's containers' configuration and its containerd's tasks, runc state and
# metadata; containerd's tasks, runc state and metadata; containers/storage's containers and Podman's database.
# The same list is in deploy/kubernetes/ (KubernetesManifestsTest keeps them equal).
STATE_DIRS=(
    /var/lib/docker/containers
    /var/lib/docker/containerd/daemon/io.containerd.metadata.v1.bolt
    /run/docker/containerd/daemon/io.containerd.runtime.v2.task
    /run/docker/runtime-runc
    /run/containerd/io.containerd.runtime.v2.task
    /run/containerd/runc
    /var/lib/containerd/io.containerd.metadata.v1.bolt
    /var/lib/containers/storage/overlay-containers
    /var/lib/containers/storage/libpod
    /run/containers/storage/overlay-containers
)

without() { [[ ",${SMOKE_WITHOUT:-}," == *",$1,"* ]]; }
for item in ${SMOKE_WITHOUT:+${SMOKE_WITHOUT//,/ }}; do
    case "$item" in
        SYS_PTRACE|DAC_READ_SEARCH|mounts) ;;
        *) die "SMOKE_WITHOUT: unknown item '$item' (SYS_PTRACE, DAC_READ_SEARCH, mounts)" ;;
    esac
done

command -v docker >/dev/null 2>&1 || die "docker CLI not found in PATH"
docker info >/dev/null 2>&1 || die "docker engine not reachable ('docker info' failed)"
docker image inspect "$IMAGE" >/dev/null 2>&1 \
    || die "image $IMAGE not found; build it with deploy/image/build.sh (or set CAPAUDIT_IMAGE)"

args=(run --rm --label capaudit.deploy=1 --pid=host --cap-drop ALL
    --security-opt no-new-privileges --read-only --network none --user 0)
without SYS_PTRACE || args+=(--cap-add SYS_PTRACE)
without DAC_READ_SEARCH || args+=(--cap-add DAC_READ_SEARCH)
mounted=()
if ! without mounts; then
    for dir in "${STATE_DIRS[@]}"; do
        if [ -d "$dir" ]; then
            args+=(-v "$dir:/host$dir:ro")
            mounted+=("$dir")
        fi
    done
fi
[ -z "${SMOKE_WITHOUT:-}" ] || log "without: $SMOKE_WITHOUT"
log "runtime state mounted read-only under /host: ${mounted[*]:-(none)}"

# As the DaemonSet names its node (--node from the downward API): the container's own hostname is its id.
command=(host --no-engine --host-root /host --node "$(hostname)" --format json -o -)
[ -z "${CAPAUDIT_POLICY:-}" ] || command+=(--policy "$CAPAUDIT_POLICY")

rc=0
docker "${args[@]}" "$IMAGE" "${command[@]}" || rc=$?
# docker run's own failures are 125 (docker), 126 and 127 (the entrypoint): not capaudit's exit codes.
if [ "$rc" -ge 125 ]; then
    die "docker could not run $IMAGE (exit $rc)"
fi
exit "$rc"
