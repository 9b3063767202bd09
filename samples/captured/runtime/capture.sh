#!/usr/bin/env bash
# capture.sh — (re)generate samples/captured/runtime/: container runtimes' own
# on-disk state (OCI bundle config.json, engine metadata, runc state) and the
# kernel's view (/proc) of the same containers, for Docker, a standalone
# containerd (k8s.io namespace, CRI-style annotations and labels) and rootful
# Podman, plus the per-thread status files of testing/helpers/.
#
# Usage: samples/captured/runtime/capture.sh [docker] [containerd] [podman] [threads] [crio]
#        (no argument = all five; each section rewrites only its own folder;
#        crio CONSTRUCTS files from CRI-O's source, it runs nothing)
#
# Needs: root (bundle dirs, runc state and /proc/<pid> of other users are
# root-only), .ci/runtimes-up.sh having run (docker, containerd on
# /run/containerd/containerd.sock, podman), testing/build-test-image.sh and,
# for threads, testing/build-helper-image.sh.
#
# Every file is copied verbatim unless its name says otherwise:
#   *.trimmed.json  jq projection of a large file (filter in this script)
#   *.ls            `ls -la --time-style=+` of a directory (no timestamps)
#   *.cmdline       /proc/<pid>/cmdline copied raw (NUL-separated, as read)
#   *.args.txt      the same, one argument per line
#   *.cwd           `readlink /proc/<pid>/cwd`
#   paths.txt       key=value: the real paths/pids behind the files here
#   command.txt     the exact command that created the container
# Environment variables in the specs are only PATH/HOSTNAME/TERM/HOME/
# container=podman (nothing secret), so specs are kept whole.
#
# Containers are named capaudit-rt-*, labelled capaudit.capture=1 and removed
# on exit (only ours: by name / our fixed containerd ids).  Every wait and
# engine call is bounded.

set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
P=capaudit-rt
LABEL=capaudit.capture=1
IMAGE=capaudit-test:latest
THREADS_IMAGE=capaudit-threads:latest
CTRD_SOCK=/run/containerd/containerd.sock
CTR=(timeout 60 ctr --address "$CTRD_SOCK" -n k8s.io)
PODMAN=(timeout 120 podman)
PODMAN_REMOTE=(timeout 120 podman --remote --url unix:///run/podman/podman.sock)
DOCKER_TASKS=/run/docker/containerd/daemon/io.containerd.runtime.v2.task/moby
DOCKER_RUNC=/run/docker/runtime-runc/moby
CTRD_TASKS=/run/containerd/io.containerd.runtime.v2.task/k8s.io
CTRD_RUNC=/run/containerd/runc/k8s.io
PODMAN_STORE=/var/lib/containers/storage
PODMAN_RUNROOT=/run/containers/storage
PODMAN_RUNC=/run/runc

# Stable, realistic ids for the containerd pod (CRI ids are 64 hex digits).
K8S_SANDBOX_ID="$(printf '%s' "$P-k8s-sandbox" | sha256sum | cut -c1-64)"
K8S_APP_ID="$(printf '%s' "$P-k8s-app" | sha256sum | cut -c1-64)"
K8S_POD_UID=7d4c0b5e-2f1a-4c3b-9e8d-6a5f4e3d2c1b
K8S_POD=web-0
K8S_NS=shop
K8S_CONTAINER=app

die() { printf 'capture: ERROR: %s\n' "$*" >&2; exit 1; }
log() { printf 'capture: %s\n' "$*" >&2; }

[ "$(id -u)" = 0 ] || die "must run as root (bundles, runc state and /proc of container processes are root-only)"

# jq projection of runc's state.json (~30 KiB, mostly mounts/devices/seccomp):
# what identifies the container and its capabilities.
# CRI-O's default_capabilities (internal/config/capabilities/capabilities_linux.go).
CRIO_CAPS='["CHOWN","DAC_OVERRIDE","FSETID","FOWNER","SETGID","SETUID","SETPCAP","NET_BIND_SERVICE","KILL"]'

RUNC_TRIM='{id, init_process_pid, init_process_start, created, rootless, cgroup_paths, namespace_paths,
  config: (.config | {labels, capabilities, no_new_privileges, namespaces, hostname,
                      cgroups: (.cgroups | {path, name, parent, Systemd: .Systemd})})}'

# ------------------------------------------------------------------ helpers
status_field() { awk -v k="$2:" '$1 == k { print $2; exit }' "/proc/$1/status"; }

wait_for_comm() {  # $1 pid, $2 expected comm; bounded (10 s)
    local i
    for ((i = 0; i < 100; i++)); do
        [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] && return 0
        sleep 0.1
    done
    die "pid $1 did not become '$2' within 10s (comm: $(cat "/proc/$1/comm" 2>/dev/null || echo gone))"
}

save_cmdline() {  # $1 pid, $2 file prefix
    cp "/proc/$1/cmdline" "$2.cmdline"
    tr '\0' '\n' < "/proc/$1/cmdline" > "$2.args.txt"
}

# The container's init, its parent (the shim: containerd-shim-runc-v2 or
# conmon) and the shim's parent.
save_task() {  # $1 dir, $2 init pid
    local d="$1" pid="$2" shim shimparent
    shim="$(status_field "$pid" PPid)"
    shimparent="$(status_field "$shim" PPid)"
    cp "/proc/$pid/status" "$d/init.status"
    cp "/proc/$pid/cgroup" "$d/init.cgroup"
    save_cmdline "$pid" "$d/init"
    save_cmdline "$shim" "$d/shim"
    readlink "/proc/$shim/cwd" > "$d/shim.cwd"
    cp "/proc/$shim/cgroup" "$d/shim.cgroup"
    {
        echo "init_pid=$pid"
        echo "init_comm=$(cat "/proc/$pid/comm")"
        echo "shim_pid=$shim"
        echo "shim_comm=$(cat "/proc/$shim/comm")"
        echo "shim_cwd=$(readlink "/proc/$shim/cwd")"
        echo "shim_parent_pid=$shimparent"
        echo "shim_parent_comm=$(cat "/proc/$shimparent/comm" 2>/dev/null || echo '?')"
    } >> "$d/paths.txt"
}

save_ls() {  # $1 directory, $2 output file
    (cd "$1" && ls -la --time-style=+ .) > "$2"
}

save_runc_state() {  # $1 dir, $2 state.json, $3 full|trim
    if [ "$3" = full ]; then cp "$2" "$1/runc-state.json"; fi
    jq "$RUNC_TRIM" "$2" > "$1/runc-state.trimmed.json"
    echo "runc_state=$2" >> "$1/paths.txt"
}

new_dir() {  # $1 dir: empty it (only our own files live there)
    rm -rf "$1"
    mkdir -p "$1"
}

machine_facts() {
    {
        echo "captured_at=$(date -u +%FT%TZ)"
        echo "kernel=$(uname -r)"
        echo "cap_last_cap=$(cat /proc/sys/kernel/cap_last_cap)"
        echo "host_CapBnd=$(awk '/^CapBnd:/ {print $2}' /proc/self/status)"
        if [ -f /sys/fs/cgroup/cgroup.controllers ]; then echo "cgroup=v2"; else echo "cgroup=v1 (hybrid: cgroup2 at /sys/fs/cgroup/unified)"; fi
        echo "docker_engine=$(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?')"
        echo "docker_api=$(docker version --format '{{.Server.APIVersion}}' 2>/dev/null || echo '?')"
        echo "containerd=$(containerd --version 2>/dev/null | awk '{print $3}')"
        echo "runc=$(runc --version 2>/dev/null | awk 'NR==1 {print $3}')"
        echo "podman=$(podman version --format '{{.Client.Version}}' 2>/dev/null || echo '?')"
        echo "conmon=$(conmon --version 2>/dev/null | awk 'NR==1 {print $3}')"
        echo "--- mount | grep cgroup"
        mount | grep cgroup
    } > "$HERE/machine.txt"
}

# ------------------------------------------------------------------ cleanup
cleanup() {
    local ids id
    ids="$(docker ps -aq --filter "name=^$P-" 2>/dev/null || true)"
    if [ -n "$ids" ]; then
        # shellcheck disable=SC2086  # ids are hex words
        timeout 60 docker unpause $ids >/dev/null 2>&1 || true
        # shellcheck disable=SC2086
        timeout 60 docker rm -f $ids >/dev/null 2>&1 || true
    fi
    for id in "$K8S_APP_ID" "$K8S_SANDBOX_ID"; do
        "${CTR[@]}" task kill -s KILL "$id" >/dev/null 2>&1 || true
    done
    for id in "$K8S_APP_ID" "$K8S_SANDBOX_ID"; do
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            "${CTR[@]}" task delete "$id" >/dev/null 2>&1 && break
            "${CTR[@]}" task ls -q 2>/dev/null | grep -qx "$id" || break
            sleep 0.3
        done
        "${CTR[@]}" containers delete "$id" >/dev/null 2>&1 || true
    done
    if command -v podman >/dev/null 2>&1; then
        ids="$("${PODMAN[@]}" ps -aq --filter "name=^$P-" 2>/dev/null || true)"
        # shellcheck disable=SC2086
        [ -z "$ids" ] || "${PODMAN[@]}" rm -f -t 0 $ids >/dev/null 2>&1 || true
        "${PODMAN[@]}" rmi "localhost/$P-caplabel:latest" >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT

# ------------------------------------------------------------------ docker
docker_scenario() {  # $1 name, $2... docker run arguments (after --name/--label)
    local name="$1" c="$P-docker-$1" d="$HERE/docker/$1" id pid
    shift
    new_dir "$d"
    log "docker: $name"
    printf '%q ' docker run -d --name "$c" --label "$LABEL" "$@" > "$d/command.txt"
    echo >> "$d/command.txt"
    timeout 60 docker run -d --name "$c" --label "$LABEL" "$@" >/dev/null
    id="$(docker inspect -f '{{.Id}}' "$c")"
    pid="$(docker inspect -f '{{.State.Pid}}' "$c")"
    wait_for_comm "$pid" sleep
    timeout 30 docker inspect "$c" > "$d/inspect.json"
    {
        echo "name=$c"
        echo "id=$id"
        echo "bundle=$DOCKER_TASKS/$id"
        echo "config_json=$DOCKER_TASKS/$id/config.json"
        echo "moby_container_dir=/var/lib/docker/containers/$id"
    } > "$d/paths.txt"
    cp "$DOCKER_TASKS/$id/config.json" "$d/config.json"
    cp "/var/lib/docker/containers/$id/config.v2.json" "$d/config.v2.json"
    cp "/var/lib/docker/containers/$id/hostconfig.json" "$d/hostconfig.json"
    save_ls "$DOCKER_TASKS/$id" "$d/bundle.ls"
    save_ls "/var/lib/docker/containers/$id" "$d/moby-container-dir.ls"
    save_task "$d" "$pid"
    save_runc_state "$d" "$DOCKER_RUNC/$id/state.json" "$([ "$name" = default ] && echo full || echo trim)"
}

capture_docker() {
    timeout 30 docker info >/dev/null 2>&1 || die "docker not answering (run .ci/runtimes-up.sh)"
    bash "$REPO/testing/build-test-image.sh" "$IMAGE" || die "could not build $IMAGE"
    # `--entrypoint sleep` everywhere: the image's /entry.sh would shrink the
    # sets, and here the spec and the kernel's view should agree.
    docker_scenario default --entrypoint sleep "$IMAGE" 1000000
    docker_scenario all-minus-sys-resource --cap-add ALL --cap-drop SYS_RESOURCE --entrypoint sleep "$IMAGE" 1000000
    docker_scenario drop-all-chown-user1000 --cap-drop ALL --cap-add CHOWN --user 1000 --entrypoint sleep "$IMAGE" 1000000
    docker_scenario pid-host --pid=host --entrypoint sleep "$IMAGE" 1000000
    docker_scenario no-new-privileges --security-opt no-new-privileges --entrypoint sleep "$IMAGE" 1000000

    # Paused: the same files, taken again after `docker pause`.
    docker_scenario paused --entrypoint sleep "$IMAGE" 1000000
    local c="$P-docker-paused" d="$HERE/docker/paused" id pid
    id="$(docker inspect -f '{{.Id}}' "$c")"
    pid="$(docker inspect -f '{{.State.Pid}}' "$c")"
    for f in inspect.json config.v2.json init.status; do mv "$d/$f" "$d/before-pause.$f"; done
    timeout 30 docker pause "$c" >/dev/null
    timeout 30 docker inspect "$c" > "$d/inspect.json"
    cp "/var/lib/docker/containers/$id/config.v2.json" "$d/config.v2.json"
    cp "/proc/$pid/status" "$d/init.status"
    cp "/sys/fs/cgroup/freezer/docker/$id/freezer.state" "$d/freezer.state"
    if [ -f "/sys/fs/cgroup/unified/docker/$id/cgroup.freeze" ]; then
        cp "/sys/fs/cgroup/unified/docker/$id/cgroup.freeze" "$d/unified-cgroup.freeze"
    fi
    # runc derives "paused" from the freezer; state.json does not change.
    timeout 30 runc --root "$DOCKER_RUNC" state "$id" > "$d/runc-state-command.json"
    save_ls "$DOCKER_TASKS/$id" "$d/bundle-paused.ls"
    echo "freezer_state_file=/sys/fs/cgroup/freezer/docker/$id/freezer.state" >> "$d/paths.txt"
    timeout 30 docker unpause "$c" >/dev/null

    capture_docker_exec
}

# docker exec: where the exec'd process shows up, and what the engine says.
capture_docker_exec() {
    local c="$P-docker-exec" d="$HERE/docker/exec" id pid bundle eid epid sid spid
    new_dir "$d"
    log "docker: exec"
    timeout 60 docker run -d --name "$c" --label "$LABEL" --entrypoint sleep "$IMAGE" 1000000 >/dev/null
    id="$(docker inspect -f '{{.Id}}' "$c")"
    pid="$(docker inspect -f '{{.State.Pid}}' "$c")"
    bundle="$DOCKER_TASKS/$id"
    wait_for_comm "$pid" sleep
    {
        echo "docker run -d --name $c --label $LABEL --entrypoint sleep $IMAGE 1000000"
        echo "docker exec -d $c sleep 1000001"
        echo "POST /v1.41/containers/<id>/exec {\"User\":\"1000\",\"Cmd\":[\"true\"]}; POST /v1.41/exec/<exec id>/start {\"Detach\":true}   # short exec, exited when captured"
    } > "$d/command.txt"
    save_ls "$bundle" "$d/bundle-before-exec.ls"

    timeout 30 docker exec -d "$c" sleep 1000001
    eid="$(docker inspect -f '{{index .ExecIDs 0}}' "$c")"
    epid=""
    for _ in $(seq 50); do
        epid="$(curl -sS --max-time 5 --unix-socket /var/run/docker.sock "http://d/v1.41/exec/$eid/json" | jq -r '.Pid')"
        [ -n "$epid" ] && [ "$epid" != 0 ] && [ "$(cat "/proc/$epid/comm" 2>/dev/null)" = sleep ] && break
        sleep 0.1
    done
    curl -sS --max-time 5 --unix-socket /var/run/docker.sock "http://d/v1.41/exec/$eid/json" | jq . > "$d/exec-running.json"
    cp "/proc/$epid/status" "$d/exec.status"
    cp "/proc/$epid/cgroup" "$d/exec.cgroup"
    save_cmdline "$epid" "$d/exec"
    save_ls "$bundle" "$d/bundle-during-exec.ls"
    cp "$bundle/$eid.pid" "$d/exec-pid-file.txt"

    # Through the API, so we keep the id: an exec that exited leaves the
    # container's ExecIDs at once, but GET /exec/<id>/json still answers.
    sid="$(curl -sS --max-time 5 --unix-socket /var/run/docker.sock -H 'Content-Type: application/json' \
        -d '{"User":"1000","Cmd":["true"]}' "http://d/v1.41/containers/$id/exec" | jq -r .Id)"
    curl -sS --max-time 5 --unix-socket /var/run/docker.sock -H 'Content-Type: application/json' \
        -d '{"Detach":true}' "http://d/v1.41/exec/$sid/start" >/dev/null
    for _ in $(seq 50); do
        curl -sS --max-time 5 --unix-socket /var/run/docker.sock "http://d/v1.41/exec/$sid/json" \
            | jq -e '.Running == false and .ExitCode != null' >/dev/null && break
        sleep 0.1
    done
    curl -sS --max-time 5 --unix-socket /var/run/docker.sock "http://d/v1.41/exec/$sid/json" | jq . > "$d/exec-finished.json"
    save_ls "$bundle" "$d/bundle-after-short-exec.ls"
    timeout 30 docker inspect "$c" > "$d/inspect.json"
    cp "$bundle/config.json" "$d/config.json"
    {
        echo "name=$c"
        echo "id=$id"
        echo "bundle=$bundle"
        echo "exec_id=$eid"
        echo "exec_pid=$epid"
        echo "exec_ppid=$(status_field "$epid" PPid)"
        echo "exec_pid_file=$bundle/$eid.pid"
        echo "short_exec_id=$sid"
    } > "$d/paths.txt"
    save_task "$d" "$pid"
}

# ------------------------------------------------------------------ containerd
# `ctr run --label` also copies every label into the spec's annotations
# (cmd/ctr/commands/run/run_unix.go: oci.WithAnnotations(labels)); the CRI
# plugin does not.  So the spec gets only annotations, and the labels are set
# on the container record afterwards with `ctr containers label`: containerd's
# metadata then holds what CRI would store, and config.json what CRI writes.
k8s_pod_annotations() {
    printf '%s\n' \
        --annotation "io.kubernetes.cri.sandbox-id=$K8S_SANDBOX_ID" \
        --annotation "io.kubernetes.cri.sandbox-name=$K8S_POD" \
        --annotation "io.kubernetes.cri.sandbox-namespace=$K8S_NS" \
        --annotation "io.kubernetes.cri.sandbox-uid=$K8S_POD_UID"
}
k8s_pod_labels() {
    printf '%s\n' "$LABEL" \
        "io.kubernetes.pod.name=$K8S_POD" \
        "io.kubernetes.pod.namespace=$K8S_NS" \
        "io.kubernetes.pod.uid=$K8S_POD_UID"
}

ctr_run() {  # $1 name, $2 id, $3 labels (newline-separated), $4... ctr run arguments
    local d="$HERE/containerd-k8s.io/$1" id="$2" labels="$3"
    shift 3
    local -a lab
    mapfile -t lab <<< "$labels"
    {
        printf '%q ' ctr --address "$CTRD_SOCK" -n k8s.io "$@"; echo
        printf '%q ' ctr --address "$CTRD_SOCK" -n k8s.io containers label "$id" "${lab[@]}"; echo
    } > "$d/command.txt"
    "${CTR[@]}" "$@"
    "${CTR[@]}" containers label "$id" "${lab[@]}" >/dev/null
}

ctr_capture() {  # $1 name, $2 id
    local name="$1" id="$2" d="$HERE/containerd-k8s.io/$1" pid
    pid="$("${CTR[@]}" task ls | awk -v id="$id" '$1 == id { print $2 }')"
    [ -n "$pid" ] || die "containerd task $id has no pid"
    wait_for_comm "$pid" sleep
    {
        echo "id=$id"
        echo "bundle=$CTRD_TASKS/$id"
        echo "config_json=$CTRD_TASKS/$id/config.json"
        echo "work_dir=/var/lib/containerd/io.containerd.runtime.v2.task/k8s.io/$id"
    } > "$d/paths.txt"
    cp "$CTRD_TASKS/$id/config.json" "$d/config.json"
    cp "$CTRD_TASKS/$id/address" "$d/bundle-address.txt"
    save_ls "$CTRD_TASKS/$id" "$d/bundle.ls"
    # The API's view, for comparison: this is where --label goes.
    "${CTR[@]}" containers info "$id" | jq 'del(.Spec)' > "$d/ctr-containers-info.json"
    save_task "$d" "$pid"
    save_runc_state "$d" "$CTRD_RUNC/$id/state.json" "$([ "$name" = app ] && echo full || echo trim)"
}

capture_containerd() {
    local img="docker.io/library/$IMAGE" d spid
    "${CTR[@]}" version >/dev/null 2>&1 || die "containerd not answering on $CTRD_SOCK (run .ci/runtimes-up.sh)"
    "${CTR[@]}" images ls -q | grep -qx "$img" || die "containerd k8s.io has no $img (run .ci/runtimes-up.sh)"
    rm -rf "$HERE/containerd-k8s.io"
    mkdir -p "$HERE/containerd-k8s.io/sandbox" "$HERE/containerd-k8s.io/app"

    # What the CRI plugin would do (pkg/cri/server/sandbox_run*.go,
    # container_create*.go in containerd v1.6.20): the same annotations and
    # labels, cgroup <cgroup_parent>/<id>, the app joins the sandbox's
    # net/ipc/uts namespaces.  The pause image is replaced by sleep.
    log "containerd: sandbox"
    ctr_run sandbox "$K8S_SANDBOX_ID" "$(k8s_pod_labels; echo io.cri-containerd.kind=sandbox)" \
        run -d $(k8s_pod_annotations) \
        --annotation io.kubernetes.cri.container-type=sandbox \
        --annotation "io.kubernetes.cri.sandbox-log-directory=/var/log/pods/${K8S_NS}_${K8S_POD}_$K8S_POD_UID" \
        --cgroup "/kubepods/besteffort/pod$K8S_POD_UID/$K8S_SANDBOX_ID" \
        "$img" "$K8S_SANDBOX_ID" sleep 1000000
    ctr_capture sandbox "$K8S_SANDBOX_ID"
    spid="$(awk -F= '$1 == "init_pid" { print $2 }' "$HERE/containerd-k8s.io/sandbox/paths.txt")"

    log "containerd: app"
    ctr_run app "$K8S_APP_ID" \
        "$(k8s_pod_labels; echo io.cri-containerd.kind=container; echo "io.kubernetes.container.name=$K8S_CONTAINER")" \
        run -d $(k8s_pod_annotations) \
        --annotation io.kubernetes.cri.container-type=container \
        --annotation "io.kubernetes.cri.container-name=$K8S_CONTAINER" \
        --annotation "io.kubernetes.cri.image-name=$img" \
        --with-ns "network:/proc/$spid/ns/net" --with-ns "ipc:/proc/$spid/ns/ipc" --with-ns "uts:/proc/$spid/ns/uts" \
        --cgroup "/kubepods/besteffort/pod$K8S_POD_UID/$K8S_APP_ID" \
        "$img" "$K8S_APP_ID" sleep 1000001
    ctr_capture app "$K8S_APP_ID"

    # An exec in the app container: where it appears.
    log "containerd: exec"
    d="$HERE/containerd-k8s.io/exec"
    mkdir -p "$d"
    printf '%q ' ctr --address "$CTRD_SOCK" -n k8s.io task exec -d --exec-id capaudit-rt-exec "$K8S_APP_ID" sleep 1000002 > "$d/command.txt"
    echo >> "$d/command.txt"
    "${CTR[@]}" task exec -d --exec-id capaudit-rt-exec "$K8S_APP_ID" sleep 1000002
    local epid="" apid
    apid="$(awk -F= '$1 == "init_pid" { print $2 }' "$HERE/containerd-k8s.io/app/paths.txt")"
    for _ in $(seq 50); do
        epid="$(cat "$CTRD_TASKS/$K8S_APP_ID/capaudit-rt-exec.pid" 2>/dev/null || true)"
        [ -n "$epid" ] && [ "$(cat "/proc/$epid/comm" 2>/dev/null)" = sleep ] && break
        sleep 0.1
    done
    [ -n "$epid" ] || die "no pid file for the containerd exec"
    cp "/proc/$epid/status" "$d/exec.status"
    cp "/proc/$epid/cgroup" "$d/exec.cgroup"
    save_cmdline "$epid" "$d/exec"
    save_ls "$CTRD_TASKS/$K8S_APP_ID" "$d/app-bundle-during-exec.ls"
    "${CTR[@]}" task ps "$K8S_APP_ID" > "$d/ctr-task-ps.txt"
    {
        echo "exec_id=capaudit-rt-exec"
        echo "exec_pid=$epid"
        echo "exec_pid_file=$CTRD_TASKS/$K8S_APP_ID/capaudit-rt-exec.pid"
        echo "exec_ppid=$(status_field "$epid" PPid)"
        echo "exec_parent_comm=$(cat "/proc/$(status_field "$epid" PPid)/comm")"
        echo "app_init_pid=$apid"
    } > "$d/paths.txt"

    # Are --labels readable on disk without the API?  They live only in
    # containerd's bolt database; list every file that holds the pod name.
    d="$HERE/containerd-k8s.io"
    {
        echo "# grep -rl --binary-files=text 'io.kubernetes.pod.name' /var/lib/containerd /run/containerd"
        grep -rl --binary-files=text 'io.kubernetes.pod.name' /var/lib/containerd /run/containerd 2>/dev/null | sort || true
        echo "# grep -rl --binary-files=text '$K8S_POD_UID' /var/lib/containerd /run/containerd"
        grep -rl --binary-files=text "$K8S_POD_UID" /var/lib/containerd /run/containerd 2>/dev/null | sort || true
        echo "# ls -l meta.db"
        ls -l /var/lib/containerd/io.containerd.metadata.v1.bolt/meta.db
    } > "$d/labels-on-disk.txt"
    # Label key/value strings as they sit in bolt: keys and values are byte
    # runs with no separator, so `strings` glues them together; the spec is
    # stored whole (JSON inside a protobuf Any), left out here (see config.json).
    strings -n 4 /var/lib/containerd/io.containerd.metadata.v1.bolt/meta.db \
        | grep -E "io\.kubernetes\.pod|io\.cri-containerd" | grep -v '"ociVersion"' \
        > "$d/meta.db.strings.txt" || true
    # The database itself (bbolt, 4 KiB pages, mostly empty: gzip makes it a
    # few KiB), for a reader's tests.  It may hold freed pages of containers
    # deleted earlier on this containerd.
    gzip -9 -n -c /var/lib/containerd/io.containerd.metadata.v1.bolt/meta.db > "$d/meta.db.gz"
}

# ------------------------------------------------------------------ podman
podman_capture() {  # $1 name, $2 container (name or id)
    local name="$1" c="$2" d="$HERE/podman/$1" id pid
    id="$("${PODMAN[@]}" inspect -f '{{.Id}}' "$c")"
    pid="$("${PODMAN[@]}" inspect -f '{{.State.Pid}}' "$c")"
    wait_for_comm "$pid" sleep
    "${PODMAN[@]}" inspect "$c" > "$d/inspect.json"
    {
        echo "name=$c"
        echo "id=$id"
        echo "bundle=$PODMAN_STORE/overlay-containers/$id/userdata"
        echo "config_json=$PODMAN_STORE/overlay-containers/$id/userdata/config.json"
        echo "run_dir=$PODMAN_RUNROOT/overlay-containers/$id/userdata"
        echo "storage_containers_json=$PODMAN_STORE/overlay-containers/containers.json"
        echo "libpod_db=$PODMAN_STORE/libpod/bolt_state.db"
    } > "$d/paths.txt"
    cp "$PODMAN_STORE/overlay-containers/$id/userdata/config.json" "$d/config.json"
    save_ls "$PODMAN_STORE/overlay-containers/$id/userdata" "$d/userdata.ls"
    save_ls "$PODMAN_RUNROOT/overlay-containers/$id/userdata" "$d/run-userdata.ls"
    jq --arg id "$id" '[.[] | select(.id == $id)]' "$PODMAN_STORE/overlay-containers/containers.json" \
        > "$d/storage-containers.entry.json"
    cp "$PODMAN_RUNROOT/overlay-containers/$id/userdata/conmon.pid" "$d/conmon.pid.txt"
    cp "$PODMAN_RUNROOT/overlay-containers/$id/userdata/pidfile" "$d/pidfile.txt"
    save_task "$d" "$pid"
    save_runc_state "$d" "$PODMAN_RUNC/$id/state.json" "$([ "$name" = default ] && echo full || echo trim)"
}

podman_scenario() {  # $1 name, $2 via (cli|remote), $3... podman run arguments
    local name="$1" via="$2" c="$P-podman-$1" d="$HERE/podman/$1"
    shift 2
    new_dir "$d"
    log "podman: $name ($via)"
    local -a cmd=("${PODMAN[@]}")
    [ "$via" = remote ] && cmd=("${PODMAN_REMOTE[@]}")
    { printf 'cd %q && ' "${PODMAN_CWD:-/}"; printf '%q ' "${cmd[@]:2}" run -d --name "$c" --label "$LABEL" "$@"; } > "$d/command.txt"
    echo >> "$d/command.txt"
    # The CLI runs podman (and so conmon) in our cwd: use / as the service
    # does (runtimes-up.sh starts it in /), unless PODMAN_CWD says otherwise.
    (cd "${PODMAN_CWD:-/}" && "${cmd[@]}" run -d --name "$c" --label "$LABEL" "$@" >/dev/null 2> "$d/run-stderr.txt") \
        || { cat "$d/run-stderr.txt" >&2; return 1; }
    [ -s "$d/run-stderr.txt" ] || rm -f "$d/run-stderr.txt"
    podman_capture "$name" "$c"
}

capture_podman_exec() {  # $1 image
    local c="$P-podman-exec" d="$HERE/podman/exec" id pid sid epid econmon
    log "podman: exec"
    new_dir "$d"
    {
        echo "cd / && podman run -d --name $c --label $LABEL --entrypoint sleep $1 1000000"
        echo "cd / && podman exec -d $c sleep 1000001"
    } > "$d/command.txt"
    (cd / && "${PODMAN[@]}" run -d --name "$c" --label "$LABEL" --entrypoint sleep "$1" 1000000 >/dev/null)
    id="$("${PODMAN[@]}" inspect -f '{{.Id}}' "$c")"
    pid="$("${PODMAN[@]}" inspect -f '{{.State.Pid}}' "$c")"
    wait_for_comm "$pid" sleep
    save_ls "$PODMAN_STORE/overlay-containers/$id/userdata" "$d/userdata-before-exec.ls"
    sid="$(cd / && "${PODMAN[@]}" exec -d "$c" sleep 1000001)"
    epid=""
    for _ in $(seq 50); do
        epid="$(cat "$PODMAN_STORE/overlay-containers/$id/userdata/$sid/exec_pid" 2>/dev/null || true)"
        [ -n "$epid" ] && [ "$(cat "/proc/$epid/comm" 2>/dev/null)" = sleep ] && break
        sleep 0.1
    done
    [ -n "$epid" ] || die "no exec_pid for podman exec session $sid"
    econmon="$(status_field "$epid" PPid)"
    cp "/proc/$epid/status" "$d/exec.status"
    cp "/proc/$epid/cgroup" "$d/exec.cgroup"
    save_cmdline "$epid" "$d/exec"
    save_cmdline "$econmon" "$d/exec-conmon"
    readlink "/proc/$econmon/cwd" > "$d/exec-conmon.cwd"
    cp "/proc/$econmon/cgroup" "$d/exec-conmon.cgroup"
    save_ls "$PODMAN_STORE/overlay-containers/$id/userdata" "$d/userdata-during-exec.ls"
    save_ls "$PODMAN_STORE/overlay-containers/$id/userdata/$sid" "$d/exec-session-dir.ls"
    save_ls "$PODMAN_RUNROOT/overlay-containers/$id/userdata" "$d/run-userdata-during-exec.ls"
    cp "$PODMAN_STORE/overlay-containers/$id/userdata/$sid/exec_pid" "$d/exec_pid.txt"
    # The exec's OCI process spec (runc exec --process), with its capabilities.
    local spec
    for spec in "$PODMAN_STORE/overlay-containers/$id/userdata/$sid"/exec-process-*; do
        [ -f "$spec" ] && jq . "$spec" > "$d/exec-process.json"
    done
    {
        echo "name=$c"
        echo "id=$id"
        echo "exec_session=$sid"
        echo "exec_session_dir=$PODMAN_STORE/overlay-containers/$id/userdata/$sid"
        echo "exec_pid=$epid"
        echo "exec_conmon_pid=$econmon"
        echo "exec_conmon_parent_pid=$(status_field "$econmon" PPid)"
    } > "$d/paths.txt"
    save_task "$d" "$pid"
    "${PODMAN[@]}" rm -f -t 0 "$c" >/dev/null
}

capture_podman() {
    local img="localhost/$IMAGE" d
    "${PODMAN[@]}" image exists "$img" || die "podman has no $img (run .ci/runtimes-up.sh)"
    curl -sS --max-time 5 --unix-socket /run/podman/podman.sock http://d/_ping >/dev/null \
        || die "podman service not answering on /run/podman/podman.sock (run .ci/runtimes-up.sh)"
    rm -rf "$HERE/podman"
    mkdir -p "$HERE/podman"
    podman_scenario default cli --entrypoint sleep "$img" 1000000
    podman_scenario default-via-service remote --entrypoint sleep "$img" 1000000

    # From another cwd: conmon keeps the cwd of whoever ran podman.
    PODMAN_CWD=/tmp podman_scenario default-cli-from-tmp cli --entrypoint sleep "$img" 1000000
    # --cap-add ALL: Podman's ALL is the capabilities in its own bounding set
    # (not the kernel's cap_last_cap), so it works here although this
    # machine's bounding set lacks CAP_SYS_RESOURCE (Docker's --privileged fails).
    podman_scenario cap-add-all cli --cap-add ALL --entrypoint sleep "$img" 1000000
    podman_scenario user1000-net-bind-service cli --user 1000 --cap-add NET_BIND_SERVICE --entrypoint sleep "$img" 1000000

    # podman exec: a second conmon per exec session, state under userdata/<session>.
    capture_podman_exec "$img"

    # An image that asks for its capabilities (io.containers.capabilities).
    # Only a LABEL on top of the local image: no registry, no RUN step.
    log "podman: building localhost/$P-caplabel:latest"
    local ctx
    ctx="$(mktemp -d "${TMPDIR:-/tmp}/capaudit-caplabel.XXXXXX")"
    printf 'FROM %s\nLABEL io.containers.capabilities=CHOWN,SETUID\n' "$img" > "$ctx/Containerfile"
    "${PODMAN[@]}" build --pull=never -q -t "localhost/$P-caplabel:latest" "$ctx" >/dev/null
    rm -rf "$ctx"
    podman_scenario image-caps-label cli --entrypoint sleep "localhost/$P-caplabel:latest" 1000000
    printf 'FROM %s\nLABEL io.containers.capabilities=CHOWN,SETUID\n' "$img" > "$HERE/podman/image-caps-label/Containerfile"

    # Where the name lives: storage's containers.json (plain JSON) and libpod's
    # bolt database; conmon's argv has it too (-n).
    {
        echo "# grep -rl --binary-files=text '$P-podman-default' $PODMAN_STORE $PODMAN_RUNROOT /run/libpod (excluding layer contents)"
        grep -rl --binary-files=text --exclude-dir=overlay --exclude-dir=diff "$P-podman-default" \
            "$PODMAN_STORE" "$PODMAN_RUNROOT" /run/libpod 2>/dev/null | sort || true
        echo "# ls -l"
        ls -l "$PODMAN_STORE/libpod/bolt_state.db" "$PODMAN_STORE/overlay-containers/containers.json" \
            "$PODMAN_RUNROOT/overlay-containers/containers.json" 2>&1 || true
    } > "$HERE/podman/names-on-disk.txt"
}

# ------------------------------------------------------------------ threads
# Per-thread status of testing/helpers/ programs, read from the host.
threads_scenario() {  # $1 program
    local prog="$1" c="$P-threads-$1" d="$HERE/threads/$1" pid t nst i
    new_dir "$d"
    log "threads: $prog"
    echo "docker run -d --name $c --label $LABEL $THREADS_IMAGE /usr/local/bin/$prog" > "$d/command.txt"
    timeout 60 docker run -d --name "$c" --label "$LABEL" "$THREADS_IMAGE" "/usr/local/bin/$prog" >/dev/null
    pid="$(docker inspect -f '{{.State.Pid}}' "$c")"
    # The program prints one "ready" line per thread once its sets are final.
    local want=2
    for ((i = 0; i < 100; i++)); do
        [ "$(timeout 10 docker logs "$c" 2>&1 | grep -c 'ready')" -ge "$want" ] && break
        sleep 0.1
    done
    [ "$i" -lt 100 ] || die "$prog did not print $want ready lines: $(timeout 10 docker logs "$c" 2>&1 | tail -n 5)"
    timeout 10 docker logs "$c" > "$d/stdout.txt" 2>&1
    cp "/proc/$pid/status" "$d/pid.status"
    for t in /proc/"$pid"/task/*; do
        # file name = thread id inside the container (last NSpid field)
        nst="$(awk '$1 == "NSpid:" { print $NF }' "$t/status")"
        cp "$t/status" "$d/task-$nst.status"
    done
    ls "/proc/$pid/task" | sort -n | tr '\n' ' ' > "$d/host-tids.txt"
    echo >> "$d/host-tids.txt"
    # A zombie leader can make the first `docker rm -f` fail ("PID ... is
    # zombie and can not be killed") although the kill goes through.
    timeout 60 docker rm -f "$c" >/dev/null 2>&1 || { sleep 1; timeout 60 docker rm -f "$c" >/dev/null; }
}

capture_threads() {
    bash "$REPO/testing/build-helper-image.sh" "$THREADS_IMAGE" || die "could not build $THREADS_IMAGE"
    rm -rf "$HERE/threads"
    threads_scenario thread-keeps-caps
    threads_scenario thread-drops-net-raw
    threads_scenario thread-zombie-leader
}

# ------------------------------------------------------------------ cri-o (constructed)
# CRI-O is not packaged for Debian 12, so nothing here ran: these files are
# CONSTRUCTED from CRI-O's source (github.com/cri-o/cri-o at
# f954a17e505f8931e91004403b5f5eac71ab6085, v1.36.0-191-gf954a17e50), with the
# keys, value formats and paths that code writes, for a pod web-0 in namespace
# shop (uid $K8S_POD_UID, attempt 0, BestEffort) with one container "app",
# default capabilities, systemd cgroup driver, crun, drop_infra_ctr=true.
# Sources: server/sandbox_run_linux.go (setupSandboxAnnotations, setupInfraContainer),
# internal/factory/container/container.go (SpecAddAnnotations, SpecSetupCapabilities),
# internal/annotations/annotations.go, pkg/annotations/v2/annotations.go,
# internal/config/cgmgr/{systemd,cgroupfs}_linux.go, internal/oci/runtime_oci.go,
# internal/config/capabilities/capabilities_linux.go, pkg/config/config_linux.go.
CRIO_SANDBOX_ID="$(printf '%s' "$P-crio-sandbox" | sha256sum | cut -c1-64)"
CRIO_APP_ID="$(printf '%s' "$P-crio-app" | sha256sum | cut -c1-64)"
CRIO_CREATED=2026-01-01T00:00:00.000000000Z

capture_crio() {
    local d="$HERE/cri-o" uid_="${K8S_POD_UID//-/_}"
    local slice="kubepods-besteffort-pod$uid_.slice"
    local slicepath="/kubepods.slice/kubepods-besteffort.slice/$slice"
    local sname="k8s_${K8S_POD}_${K8S_NS}_${K8S_POD_UID}_0"
    local iname="k8s_POD_${K8S_POD}_${K8S_NS}_${K8S_POD_UID}_0"
    local aname="k8s_${K8S_CONTAINER}_${K8S_POD}_${K8S_NS}_${K8S_POD_UID}_0"
    local logdir="/var/log/pods/${K8S_NS}_${K8S_POD}_$K8S_POD_UID"
    local nsid=3c0d1f52-8a4e-4b7e-9c61-2f5e8d7a9b10   # pinns file name (uuid per pod)
    local id
    rm -rf "$d"
    mkdir -p "$d/sandbox" "$d/app"
    log "cri-o: constructing sandbox and app config.json"
    # shellcheck disable=SC2016  # jq program, not shell
    jq -n --arg sid "$CRIO_SANDBOX_ID" --arg sname "$sname" --arg iname "$iname" --arg ns "$K8S_NS" \
        --arg pod "$K8S_POD" --arg uid "$K8S_POD_UID" --arg slice "$slice" --arg logdir "$logdir" \
        --arg created "$CRIO_CREATED" --arg nsid "$nsid" --argjson caps "$CRIO_CAPS" '
      ($caps | map("CAP_" + .)) as $c |
      {ociVersion: "1.0.2-dev",
       process: {user: {uid: 65535, gid: 65535, additionalGids: [65535]}, args: ["/pause"],
                 env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], cwd: "/",
                 capabilities: {bounding: $c, effective: $c, permitted: $c},
                 oomScoreAdj: -998, noNewPrivileges: false},
       root: {path: ("/var/lib/containers/storage/overlay/" + $sid + "/merged"), readonly: true},
       hostname: $pod,
       annotations: {
         "io.kubernetes.cri-o.Metadata": ({name: $pod, uid: $uid, namespace: $ns} | tojson),
         "io.kubernetes.cri-o.Labels": ({"io.kubernetes.container.name": "POD", "io.kubernetes.pod.name": $pod,
                                          "io.kubernetes.pod.namespace": $ns, "io.kubernetes.pod.uid": $uid, app: "web"} | tojson),
         "io.kubernetes.cri-o.Annotations": ({"kubernetes.io/config.seen": "2026-01-01T00:00:00.000000000Z",
                                               "kubernetes.io/config.source": "api"} | tojson),
         "io.kubernetes.cri-o.LogPath": ($logdir + "/" + $sid + ".log"),
         "io.kubernetes.cri-o.Name": $sname,
         "io.kubernetes.cri-o.SandboxName": $sname,
         "io.kubernetes.cri-o.Namespace": $ns,
         "io.kubernetes.cri-o.ContainerType": "sandbox",
         "io.kubernetes.cri-o.SandboxID": $sid,
         "io.kubernetes.cri-o.Image": "registry.k8s.io/pause:3.10.1",
         "io.kubernetes.cri-o.ImageName": "registry.k8s.io/pause:3.10.1",
         "io.kubernetes.cri-o.ContainerName": $iname,
         "io.kubernetes.cri-o.ContainerID": $sid,
         "io.kubernetes.cri-o.ShmPath": ("/run/containers/storage/overlay-containers/" + $sid + "/userdata/shm"),
         "io.kubernetes.cri-o.PrivilegedRuntime": "false",
         "io.kubernetes.cri-o.RuntimeHandler": "",
         "io.kubernetes.cri-o.ResolvPath": ("/run/containers/storage/overlay-containers/" + $sid + "/userdata/resolv.conf"),
         "io.kubernetes.cri-o.HostName": $pod,
         "io.kubernetes.cri-o.NamespaceOptions": ({pid: 1} | tojson),
         "io.kubernetes.cri-o.KubeName": $pod,
         "io.kubernetes.cri-o.HostNetwork": "false",
         "io.container.manager": "cri-o",
         "org.opencontainers.image.stopSignal": "SIGTERM",
         "io.kubernetes.cri-o.Created": $created,
         "io.kubernetes.cri-o.PortMappings": "[]",
         "io.kubernetes.cri-o.CgroupParent": $slice,
         "io.kubernetes.cri-o.HostnamePath": ("/run/containers/storage/overlay-containers/" + $sid + "/userdata/hostname"),
         "kubernetes.io/config.seen": "2026-01-01T00:00:00.000000000Z",
         "kubernetes.io/config.source": "api",
         "io.kubernetes.container.name": "POD",
         "io.kubernetes.pod.name": $pod,
         "io.kubernetes.pod.namespace": $ns,
         "io.kubernetes.pod.uid": $uid,
         "app": "web",
         "io.kubernetes.cri-o.MountPoint": ("/var/lib/containers/storage/overlay/" + $sid + "/merged"),
         "io.kubernetes.cri-o.SeccompProfilePath": "RuntimeDefault",
         "spoofed.crio.io": "true",
         "io.kubernetes.cri-o.IP.0": "10.85.0.17"},
       linux: {cgroupsPath: ($slice + ":crio:" + $sid),
               namespaces: [{type: "pid"},
                            {type: "network", path: ("/var/run/netns/" + $nsid)},
                            {type: "ipc", path: ("/var/run/ipcns/" + $nsid)},
                            {type: "uts", path: ("/var/run/utsns/" + $nsid)},
                            {type: "mount"}],
               resources: {cpu: {shares: 2}}}}' > "$d/sandbox/config.json"

    jq -n --arg sid "$CRIO_SANDBOX_ID" --arg aid "$CRIO_APP_ID" --arg sname "$sname" --arg aname "$aname" \
        --arg ns "$K8S_NS" --arg pod "$K8S_POD" --arg uid "$K8S_POD_UID" --arg slice "$slice" \
        --arg logdir "$logdir" --arg created "$CRIO_CREATED" --arg nsid "$nsid" --arg cname "$K8S_CONTAINER" \
        --argjson caps "$CRIO_CAPS" '
      ($caps | map("CAP_" + .)) as $c |
      {ociVersion: "1.0.2-dev",
       process: {user: {uid: 0, gid: 0, additionalGids: [0]}, args: ["sleep", "1000000"],
                 env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm",
                       ("HOSTNAME=" + $pod)], cwd: "/",
                 capabilities: {bounding: $c, effective: $c, permitted: $c},
                 oomScoreAdj: 1000, noNewPrivileges: false},
       root: {path: ("/var/lib/containers/storage/overlay/" + $aid + "/merged")},
       hostname: $pod,
       annotations: {
         "kubernetes.io/config.seen": "2026-01-01T00:00:00.000000000Z",
         "kubernetes.io/config.source": "api",
         "io.kubernetes.cri-o.Image": "docker.io/library/capaudit-test:latest",
         "io.kubernetes.cri-o.ImageName": "docker.io/library/capaudit-test:latest",
         "io.kubernetes.cri-o.ImageRef": "cdfef62c241ce5a8a2b805855ea95397fd86ff99ba4cb8e1b1e4aaf935d7c712",
         "io.kubernetes.cri-o.Name": $aname,
         "io.kubernetes.cri-o.ContainerID": $aid,
         "io.kubernetes.cri-o.SandboxID": $sid,
         "io.kubernetes.cri-o.SandboxName": $sname,
         "io.kubernetes.cri-o.ContainerType": "container",
         "io.kubernetes.cri-o.LogPath": ($logdir + "/" + $cname + "/0.log"),
         "io.kubernetes.cri-o.TTY": "false",
         "io.kubernetes.cri-o.Stdin": "false",
         "io.kubernetes.cri-o.StdinOnce": "false",
         "io.kubernetes.cri-o.ResolvPath": ("/run/containers/storage/overlay-containers/" + $sid + "/userdata/resolv.conf"),
         "io.container.manager": "cri-o",
         "io.kubernetes.cri-o.MountPoint": ("/var/lib/containers/storage/overlay/" + $aid + "/merged"),
         "io.kubernetes.cri-o.SeccompProfilePath": "RuntimeDefault",
         "io.kubernetes.cri-o.Created": $created,
         "platform-runtime-path.crio.io": "",
         "io.kubernetes.cri-o.Metadata": ({name: $cname} | tojson),
         "io.kubernetes.cri-o.Labels": ({"io.kubernetes.container.name": $cname, "io.kubernetes.pod.name": $pod,
                                          "io.kubernetes.pod.namespace": $ns, "io.kubernetes.pod.uid": $uid} | tojson),
         "io.kubernetes.cri-o.Volumes": "[]",
         "io.kubernetes.cri-o.Annotations": ({"io.kubernetes.container.hash": "9a3c1e57",
                                               "io.kubernetes.container.restartCount": "0",
                                               "io.kubernetes.container.terminationMessagePath": "/dev/termination-log",
                                               "io.kubernetes.container.terminationMessagePolicy": "File",
                                               "io.kubernetes.pod.terminationGracePeriod": "30"} | tojson),
         "io.kubernetes.container.hash": "9a3c1e57",
         "io.kubernetes.container.restartCount": "0",
         "io.kubernetes.container.terminationMessagePath": "/dev/termination-log",
         "io.kubernetes.container.terminationMessagePolicy": "File",
         "io.kubernetes.pod.terminationGracePeriod": "30",
         "io.kubernetes.container.name": $cname,
         "io.kubernetes.pod.name": $pod,
         "io.kubernetes.pod.namespace": $ns,
         "io.kubernetes.pod.uid": $uid,
         "io.kubernetes.cri-o.IP.0": "10.85.0.17",
         "org.systemd.property.TimeoutStopUSec": "uint64 30000000",
         "org.systemd.property.DefaultDependencies": "true",
         "org.systemd.property.After": "['"'"'crio.service'"'"']"},
       linux: {cgroupsPath: ($slice + ":crio:" + $aid),
               namespaces: [{type: "pid"},
                            {type: "network", path: ("/var/run/netns/" + $nsid)},
                            {type: "ipc", path: ("/var/run/ipcns/" + $nsid)},
                            {type: "uts", path: ("/var/run/utsns/" + $nsid)},
                            {type: "mount"}],
               resources: {cpu: {shares: 2}}}}' > "$d/app/config.json"

    for id in sandbox app; do
        local cid="$CRIO_SANDBOX_ID" name="$iname"
        [ "$id" = app ] && { cid="$CRIO_APP_ID"; name="$aname"; }
        local run="/run/containers/storage/overlay-containers/$cid/userdata"
        local lib="/var/lib/containers/storage/overlay-containers/$cid/userdata"
        {
            echo "# CONSTRUCTED from CRI-O source (see capture.sh capture_crio), not observed"
            echo "id=$cid"
            echo "name=$name"
            echo "bundle=$run"
            echo "config_json=$run/config.json"
            echo "config_json_copy=$lib/config.json"
            echo "conmon_pidfile=$run/conmon-pidfile"
            echo "pidfile=$run/pidfile"
            echo "runtime_state=/run/crun/$cid/status (crun; runc: /run/runc/$cid/state.json)"
            echo "shim_cwd=$run"
        } > "$d/$id/paths.txt"
        # conmon argv as runtime_oci.go CreateContainer builds it (systemd
        # driver adds -s; log_size_max default -1); cmd.Dir = bundle.
        printf '%s\n' /usr/bin/conmon -b "$run" -c "$cid" --exit-dir /var/run/crio/exits \
            -l "$( [ "$id" = app ] && echo "$logdir/$K8S_CONTAINER/0.log" || echo "$logdir/$cid.log")" \
            --log-level info -n "$name" -P "$run/conmon-pidfile" -p "$run/pidfile" --persist-dir "$lib" \
            -r /usr/bin/crun --runtime-arg --root=/run/crun --socket-dir-path /var/run/crio --syslog \
            -u "$cid" -s --log-size-max -1 > "$d/$id/shim.args.txt"
        # /proc/<pid>/cgroup of the container's init, systemd driver: cgroup v2
        # (one line) and v1 hybrid (this machine's hierarchy list, taken from
        # the docker capture, with CRI-O's path on every line).
        echo "0::$slicepath/crio-$cid.scope" > "$d/$id/init.cgroup.v2-systemd"
        if [ -f "$HERE/docker/default/init.cgroup" ]; then
            sed -E "s#^([0-9]+:[^:]*:).*#\1$slicepath/crio-$cid.scope#" "$HERE/docker/default/init.cgroup" \
                > "$d/$id/init.cgroup.v1-systemd"
        fi
        # cgroupfs driver: cgroupsPath /kubepods/besteffort/pod<uid>/crio-<id>
        echo "0::/kubepods/besteffort/pod$K8S_POD_UID/crio-$cid" > "$d/$id/init.cgroup.v2-cgroupfs"
        # conmon's own cgroup (monitor_cgroup default "system.slice")
        echo "0::/system.slice/crio-conmon-$cid.scope" > "$d/$id/shim.cgroup.v2-systemd"
    done
    # With drop_infra_ctr=true (the default) and no shared pid namespace the
    # sandbox has NO process: spoofed.crio.io=true, its config.json is still
    # written, and the namespaces are pinned by pinns under /var/run/*ns/.
    echo "# no conmon, no init: infra container dropped (spoofed.crio.io=true)" >> "$d/sandbox/paths.txt"
}

# ------------------------------------------------------------------ main
sections=("$@")
[ "${#sections[@]}" -gt 0 ] || sections=(docker containerd podman threads crio)
cleanup
machine_facts
for s in "${sections[@]}"; do
    case "$s" in
        docker) capture_docker ;;
        containerd) capture_containerd ;;
        podman) capture_podman ;;
        threads) capture_threads ;;
        crio) capture_crio ;;
        *) die "unknown section $s (docker|containerd|podman|threads|crio)" ;;
    esac
done
log "done: ${sections[*]}"
