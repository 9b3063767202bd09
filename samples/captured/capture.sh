#!/usr/bin/env bash
# capture.sh — (re)generate the real Docker data under samples/captured/.
#
# Runs a fixed set of containers from the capaudit-test image, and stores
#   inspect/<API version>/<name>.json   raw `docker inspect <container>` output
#   proc/<scenario>/pid<N>.status       /proc/<host pid>/status read on the HOST
#                                       for the container's init process and all
#                                       its descendants (N = in-container pid,
#                                       last NSpid field)
#   proc/<scenario>/exec-<user>.status  `docker exec [-u X] c cat /proc/self/status`
#   proc/<scenario>/inspect.json        `docker inspect` of the same container
#   proc/<scenario>/logs.txt            `docker logs` (entrypoint's stage1 line)
#   proc/<scenario>/docker-run.txt      the exact docker run command line
# and rewrites README.md with the command lines and engine/CLI versions.
#
# Each proc scenario is checked against the expected uid/CapBnd/CapAmb so a
# capture that did not reproduce the intended state fails loudly instead of
# silently committing wrong samples.
#
# Needs: root (reads other processes' /proc/<pid>/status on the host), a
# running engine (.ci/docker-up.sh) and the image (testing/build-test-image.sh).
# All containers are named capaudit-capture-* and are removed on exit.

set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
IMAGE="${IMAGE:-capaudit-test:latest}"
PREFIX=capaudit-capture-

die() { printf 'capture: ERROR: %s\n' "$*" >&2; exit 1; }
log() { printf 'capture: %s\n' "$*" >&2; }

[ "$(id -u)" = 0 ] || die "must run as root (reads /proc/<pid>/status of container processes)"
docker info >/dev/null 2>&1 || die "docker engine not reachable (run .ci/docker-up.sh)"
"$REPO/testing/build-test-image.sh" "$IMAGE" || die "could not build $IMAGE"

cleanup() {
    local ids
    ids="$(docker ps -aq --filter "name=^${PREFIX}" 2>/dev/null || true)"
    if [ -n "$ids" ]; then
        # unpause first: removing a paused container is not reliable on all engines
        # shellcheck disable=SC2086
        docker unpause $ids >/dev/null 2>&1 || true
        # shellcheck disable=SC2086
        docker rm -f $ids >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT
cleanup   # leftovers from an interrupted earlier run

API="$(docker version --format '{{.Server.APIVersion}}')"
ENGINE="$(docker version --format '{{.Server.Version}}')"
CLIENT="$(docker version --format '{{.Client.Version}}')"
CLIENT_PATH="$(command -v docker)"
KERNEL="$(uname -r)"
HOST_BND="$(awk '/^CapBnd:/ {print $2}' /proc/self/status)"
DRIVER="$(docker info --format '{{.Driver}}')"
NOW="$(date -u +%FT%TZ)"
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then CGROUPS="cgroup v2"; else CGROUPS="cgroup v1"; fi
INIT="$(cat /proc/1/comm 2>/dev/null || echo unknown)"

rm -rf "$HERE/inspect" "$HERE/proc"
mkdir -p "$HERE/inspect/$API" "$HERE/proc"

# shell-quote for humans: leave simple words alone, single-quote the rest
shquote() {
    local out="" a
    for a in "$@"; do
        if [[ "$a" =~ ^[A-Za-z0-9_./=:,+@%-]+$ ]]; then out+="$a "
        else out+="'${a//\'/\'\\\'\'}' "
        fi
    done
    printf '%s' "${out% }"
}

# Wait until the container's process tree has settled: init is running `sleep`
# (i.e. /entry.sh finished both stages) and there are $2 processes, all sleep.
settle() {  # $1 container, $2 expected number of processes
    local c="$1" want="$2" i pid tree n ok
    for ((i = 0; i < 100; i++)); do
        pid="$(docker inspect -f '{{.State.Pid}}' "$c")"
        if [ "$pid" != 0 ]; then
            tree="$(proc_tree "$pid")"
            n=0; ok=1
            for p in $tree; do
                n=$((n + 1))
                [ "$(cat "/proc/$p/comm" 2>/dev/null)" = sleep ] || ok=0
            done
            [ "$ok" = 1 ] && [ "$n" = "$want" ] && return 0
        fi
        sleep 0.2
    done
    die "container $c did not settle (want $want sleep processes, pid1=${pid:-?}, tree: ${tree:-})"
}

# pid and all descendants (host pids), parents first.  Uses
# /proc/<pid>/task/<tid>/children (CONFIG_PROC_CHILDREN); falls back to a PPid scan.
proc_tree() {
    local pid="$1" kids t
    echo "$pid"
    if compgen -G "/proc/$pid/task/*/children" >/dev/null; then
        kids="$(cat /proc/"$pid"/task/*/children 2>/dev/null || true)"
    else
        kids="$(awk -v pp="$pid" '/^PPid:/ { if ($2 == pp) print FILENAME }' /proc/[0-9]*/status 2>/dev/null \
                | sed -E 's#/proc/([0-9]+)/status#\1#')"
    fi
    for t in $kids; do proc_tree "$t"; done
}

field() { awk -v k="$2:" '$1 == k { print $2 }' "$1"; }   # field FILE Key -> first value

expect() {  # expect FILE Key VALUE
    local got
    got="$(field "$1" "$2")"
    [ "$got" = "$3" ] || die "$(basename "$(dirname "$1")")/$(basename "$1"): $2 is $got, expected $3"
}

RUN_LINES=()   # "scenario|command" for the README

# capture_proc SCENARIO NPROCS -- <docker run args after "--name X">
capture_proc() {
    local name="$1" nprocs="$2"; shift 3
    local c="${PREFIX}${name}" dir="$HERE/proc/$name" cmd pid p nspid
    cmd="docker run -d --name $c $(shquote "$@")"
    log "proc/$name: $cmd"
    docker run -d --name "$c" "$@" >/dev/null
    settle "$c" "$nprocs"
    mkdir -p "$dir"
    pid="$(docker inspect -f '{{.State.Pid}}' "$c")"
    for p in $(proc_tree "$pid"); do
        nspid="$(awk '/^NSpid:/ { print $NF }' "/proc/$p/status")"
        cat "/proc/$p/status" > "$dir/pid$nspid.status"
    done
    docker exec            "$c" cat /proc/self/status > "$dir/exec-default.status"
    docker exec -u root    "$c" cat /proc/self/status > "$dir/exec-root.status"
    docker exec -u 1000    "$c" cat /proc/self/status > "$dir/exec-1000.status"
    docker inspect "$c" > "$dir/inspect.json"
    docker logs "$c" > "$dir/logs.txt" 2>&1
    printf '%s\n' "$cmd" > "$dir/docker-run.txt"
    RUN_LINES+=("proc/$name|$cmd")
    docker rm -f "$c" >/dev/null
}

# capture_inspect NAME MODE(run|create|pause) -- <docker run/create args after "--name X">
capture_inspect() {
    local name="$1" mode="$2"; shift 3
    local c="${PREFIX}${name}" cmd extra="" verb=run
    local docker_bin="${DOCKER_BIN:-docker}"
    [ "$mode" = create ] && verb=create
    if [ "$verb" = run ]; then
        cmd="$docker_bin run -d --name $c $(shquote "$@")"
        "$docker_bin" run -d --name "$c" "$@" >/dev/null
        settle "$c" 1
    else
        cmd="$docker_bin create --name $c $(shquote "$@")"
        "$docker_bin" create --name "$c" "$@" >/dev/null
    fi
    if [ "$mode" = pause ]; then
        docker pause "$c" >/dev/null
        extra=" && docker pause $c"
    fi
    log "inspect/$API/$name.json: $cmd$extra"
    "$docker_bin" inspect "$c" > "$HERE/inspect/$API/$name.json"
    RUN_LINES+=("inspect/$API/$name.json|$cmd$extra && $docker_bin inspect $c")
    docker unpause "$c" >/dev/null 2>&1 || true
    docker rm -f "$c" >/dev/null
}

DROP_NO_SYSADMIN=cap_sys_ptrace,cap_net_raw,cap_dac_override,cap_sys_chroot,cap_fsetid,cap_setfcap,cap_mknod,cap_audit_write,cap_net_bind_service

# ------------------------------------------------------------------ inspect
capture_inspect default            run    -- "$IMAGE"
capture_inspect permissive         run    -- --cap-add SYS_ADMIN --cap-add SYS_PTRACE "$IMAGE"
capture_inspect privileged         create -- --privileged "$IMAGE"
capture_inspect drop-all-user1000  run    -- --cap-drop ALL --user 1000 --entrypoint sleep "$IMAGE" 1000000
capture_inspect lowercase-and-all  create -- --cap-add net_admin --cap-add cap_syslog --cap-drop all "$IMAGE"
# The modern CLI normalises cap names client-side (CAP_NET_ADMIN, ALL); Debian's
# 20.10 CLI sends them verbatim, which is what older clients/compose produce.
if [ -x /usr/bin/docker ] && [ "$(readlink -f /usr/bin/docker)" != "$(readlink -f "$CLIENT_PATH")" ]; then
    DOCKER_BIN=/usr/bin/docker capture_inspect lowercase-and-all-rawcli create -- --cap-add net_admin --cap-add cap_syslog --cap-drop all "$IMAGE"
fi
capture_inspect all-minus-resource run    -- --cap-add ALL --cap-drop SYS_RESOURCE "$IMAGE"
capture_inspect no-new-privileges  run    -- --security-opt no-new-privileges --cap-drop ALL \
    --cap-add CHOWN --cap-add FOWNER --cap-add KILL --cap-add SETGID --cap-add SETUID --cap-add SETPCAP "$IMAGE"
capture_inspect paused             pause  -- "$IMAGE"

# ------------------------------------------------------------------ proc
P="$HERE/proc"
capture_proc agent-fixed 1 -- --cap-add SYS_ADMIN --cap-add SYS_PTRACE "$IMAGE"
expect "$P/agent-fixed/pid1.status" Uid 1000
expect "$P/agent-fixed/pid1.status" CapBnd 0000000000000100

capture_proc agent-sysadmin-regression 1 -- --cap-add SYS_ADMIN --cap-add SYS_PTRACE -e "DROP=$DROP_NO_SYSADMIN" "$IMAGE"
expect "$P/agent-sysadmin-regression/pid1.status" Uid 1000
expect "$P/agent-sysadmin-regression/pid1.status" CapBnd 0000000000200100

capture_proc agent-setuid-regression 1 -- --cap-add SYS_ADMIN --cap-add SYS_PTRACE -e STEP_DROP=-setgid,-fowner,-chown,-kill "$IMAGE"
expect "$P/agent-setuid-regression/pid1.status" Uid 1000
expect "$P/agent-setuid-regression/pid1.status" CapBnd 0000000000000180

capture_proc stage1-only 1 -- --cap-add SYS_ADMIN --cap-add SYS_PTRACE -e STEP_DOWN=none "$IMAGE"
expect "$P/stage1-only/pid1.status" Uid 0
expect "$P/stage1-only/pid1.status" CapBnd 00000000000001e9
expect "$P/stage1-only/pid1.status" CapEff 00000000000001e9

capture_proc stage1-sysadmin-regression 1 -- --cap-add SYS_ADMIN --cap-add SYS_PTRACE -e STEP_DOWN=none -e "DROP=$DROP_NO_SYSADMIN" "$IMAGE"
expect "$P/stage1-sysadmin-regression/pid1.status" Uid 0
expect "$P/stage1-sysadmin-regression/pid1.status" CapBnd 00000000002001e9

capture_proc docker-default-root 1 -- --entrypoint sleep "$IMAGE" 1000000
expect "$P/docker-default-root/pid1.status" Uid 0
expect "$P/docker-default-root/pid1.status" CapBnd 00000000a80425fb
expect "$P/docker-default-root/pid1.status" CapEff 00000000a80425fb

capture_proc drop-all-user1000 1 -- --cap-drop ALL --user 1000 --entrypoint sleep "$IMAGE" 1000000
expect "$P/drop-all-user1000/pid1.status" Uid 1000
expect "$P/drop-all-user1000/pid1.status" CapBnd 0000000000000000

# Plain process tree, nothing dropped: sh (pid 1) forks `sleep 1000000` and
# then execs `sleep 1000001`; both root with Docker's default set.
capture_proc process-tree-no-drop 2 -- --entrypoint /bin/sh "$IMAGE" -c 'sleep 1000000 & exec sleep 1000001'
expect "$P/process-tree-no-drop/pid1.status" Uid 0
expect "$P/process-tree-no-drop/pid1.status" CapBnd 00000000a80425fb

# Child forked BEFORE the drop: the background sleep keeps root + the full
# (permissive) set while pid 1 goes through /entry.sh and ends as uid 1000/0x100.
capture_proc child-forked-before-drop 2 -- --cap-add SYS_ADMIN --cap-add SYS_PTRACE --entrypoint /bin/sh "$IMAGE" -c 'sleep 1000000 & exec /entry.sh sleep 1000001'
expect "$P/child-forked-before-drop/pid1.status" Uid 1000
expect "$P/child-forked-before-drop/pid1.status" CapBnd 0000000000000100
for f in "$P"/child-forked-before-drop/pid*.status; do
    [ "$(basename "$f")" = pid1.status ] && continue
    expect "$f" Uid 0
    expect "$f" CapBnd 00000000a82c25fb
done

# Ambient capability on a non-root process: setpriv keeps CAP_NET_RAW across
# the uid switch via inheritable+ambient, so sleep runs as uid 1000 with
# CapAmb=CapPrm=CapEff=0x2000.
capture_proc ambient-nonroot 1 -- --entrypoint /usr/bin/setpriv "$IMAGE" \
    --reuid=sandbox --regid=sandbox --init-groups --inh-caps=+net_raw --ambient-caps=+net_raw -- sleep 1000000
expect "$P/ambient-nonroot/pid1.status" Uid 1000
expect "$P/ambient-nonroot/pid1.status" CapAmb 0000000000002000
expect "$P/ambient-nonroot/pid1.status" CapEff 0000000000002000

# --security-opt no-new-privileges: the entrypoint still works (capsh/setpriv
# need no privilege gain), pid 1 ends as uid 1000 / 0x100 with NoNewPrivs 1.
capture_proc no-new-privileges 1 -- --security-opt no-new-privileges --cap-drop ALL \
    --cap-add CHOWN --cap-add FOWNER --cap-add KILL --cap-add SETGID --cap-add SETUID --cap-add SETPCAP "$IMAGE"
expect "$P/no-new-privileges/pid1.status" Uid 1000
expect "$P/no-new-privileges/pid1.status" CapBnd 0000000000000100
expect "$P/no-new-privileges/pid1.status" NoNewPrivs 1

# exec probes: root gets the container's configured set, uid 1000 gets nothing
# effective but the same bounding set.
expect "$P/agent-fixed/exec-root.status" CapBnd 00000000a82c25fb
expect "$P/agent-fixed/exec-root.status" CapEff 00000000a82c25fb
expect "$P/agent-fixed/exec-1000.status" CapEff 0000000000000000
expect "$P/agent-fixed/exec-1000.status" CapBnd 00000000a82c25fb

# ------------------------------------------------------------------ README
# shellcheck disable=SC2016  # backticks in printf formats are Markdown, not expansions
{
cat <<EOF
# Captured real Docker data

Generated by \`samples/captured/capture.sh\` (run as root) on ${NOW}.
Everything here is raw, unedited output from a live engine; only the file
placement is ours.

| | |
|---|---|
| Engine | Docker ${ENGINE} (API ${API}), storage driver ${DRIVER}, started by \`.ci/docker-up.sh\` |
| CLI used | ${CLIENT} (\`${CLIENT_PATH}\`) unless stated otherwise |
| Kernel | ${KERNEL}, ${CGROUPS}, host PID 1 = \`${INIT}\` |
| Host bounding set | \`${HOST_BND}\` (CAP_SYS_RESOURCE missing, so \`--privileged\` containers can be created but not started) |
| Image | \`${IMAGE}\` built by \`testing/build-test-image.sh\` (busybox-static + host capsh/setpriv/bash, \`/entry.sh\` = NemoClaw two-stage drop) |

Default entrypoint behaviour: stage 1 \`capsh --drop=\$DROP\` (default DROP =
cap_sys_admin,cap_sys_ptrace,cap_net_raw,cap_dac_override,cap_sys_chroot,cap_fsetid,cap_setfcap,cap_mknod,cap_audit_write,cap_net_bind_service),
then stage 2 \`setpriv --reuid=sandbox --regid=sandbox --init-groups --bounding-set=\$STEP_DROP\`
(default STEP_DROP = -setuid,-setgid,-fowner,-chown,-kill) unless STEP_DOWN=none.

## inspect/${API}/

\`docker inspect <container>\` stdout, unmodified (the JSON array; same content as
\`GET /v${API}/containers/<id>/json\` wrapped in an array — the CLI passes the
daemon's JSON through, re-indented). Running containers
were inspected after the entrypoint had settled (pid 1 = \`sleep\`).
Note: the ${CLIENT} CLI normalises \`--cap-add\`/\`--cap-drop\` client-side
(\`net_admin\` → \`CAP_NET_ADMIN\`, \`all\` → \`ALL\`), so \`lowercase-and-all.json\`
shows normalised names; \`lowercase-and-all-rawcli.json\` (Debian's 20.10 CLI,
\`/usr/bin/docker\`) shows what the daemon stores when a client sends names verbatim.
\`privileged\` and \`lowercase-and-all*\` are created, never started.

| File | Command |
|---|---|
EOF
for l in "${RUN_LINES[@]}"; do
    case "$l" in inspect/*) printf '| `%s` | `%s` |\n' "${l%%|*}" "${l#*|}" ;; esac
done
cat <<EOF

## proc/<scenario>/

* \`pid<N>.status\` — \`cat /proc/<host pid>/status\` on the HOST for the
  container's init (\`State.Pid\`) and every descendant; \`N\` is the
  in-container pid (last field of \`NSpid\`).
* \`exec-default.status\`, \`exec-root.status\`, \`exec-1000.status\` —
  \`docker exec [-u root|-u 1000] <c> cat /proc/self/status\`.
* \`inspect.json\` — \`docker inspect <c>\` of the same container,
  \`logs.txt\` — \`docker logs <c>\` (entrypoint prints \`stage1 CapBnd=<hex>\`),
  \`docker-run.txt\` — the command line below.

| Scenario | Command | pid 1 result |
|---|---|---|
EOF
for l in "${RUN_LINES[@]}"; do
    case "$l" in
        proc/*)
            s="${l%%|*}"; f="$HERE/$s/pid1.status"
            printf '| `%s` | `%s` | uid %s, CapEff %s, CapBnd %s, CapAmb %s |\n' "${s#proc/}" "${l#*|}" \
                "$(field "$f" Uid)" "$(field "$f" CapEff)" "$(field "$f" CapBnd)" "$(field "$f" CapAmb)" ;;
    esac
done
cat <<EOF

DROP without cap_sys_admin (the *-sysadmin-regression scenarios):
\`${DROP_NO_SYSADMIN}\`.

Exec probes in every scenario behave like Docker does for \`docker exec\`: the
process gets the container's *configured* capability set (not pid 1's reduced
one) — root: CapEff = CapBnd = configured set (e.g. \`00000000a82c25fb\` with
SYS_ADMIN+SYS_PTRACE added); uid 1000: CapEff 0, CapBnd = configured set.

To regenerate: \`.ci/docker-up.sh && sudo samples/captured/capture.sh\`
(pid numbers, container ids and timestamps will differ).
EOF
} > "$HERE/README.md"

log "done: $(find "$HERE/inspect" "$HERE/proc" -type f | wc -l) files"
