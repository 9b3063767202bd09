#!/usr/bin/env bash
# collect.sh — one report file per node from the capaudit pods' logs.
#
# Usage: deploy/kubernetes/collect.sh [-l SELECTOR] [DIR]
#   -l SELECTOR  which pods (default app.kubernetes.io/name=capaudit: the
#                DaemonSet's and the Jobs'); e.g. capaudit.dev/run=ID for one
#                run of run-jobs.sh
#   DIR          where to write node-<node>.json (default: .)
#
# A pod's log holds one JSON report per audit (the DaemonSet's, one an hour;
# a Job's, one) between capaudit's and repeat.jar's one-line messages. Each
# report starts with a line that is "{" and ends with a line that is "}"
# (capaudit pretty-prints); the last whole one of each pod is written, named
# after the pod's node, the newest pod winning when a node has several. Then:
#   ./capaudit merge DIR/node-*.json --html fleet.html --sarif fleet.sarif
#
# Environment: KUBECTL (default kubectl), CAPAUDIT_NAMESPACE (default capaudit).
#
# Exit status: 0 a report for every pod, 1 when a pod had none (its log's tail
# is shown) or kubectl failed.

set -euo pipefail

die() { printf 'collect: ERROR: %s\n' "$*" >&2; exit 1; }
log() { printf 'collect: %s\n' "$*" >&2; }

KUBECTL="${KUBECTL:-kubectl}"
NAMESPACE="${CAPAUDIT_NAMESPACE:-capaudit}"
SELECTOR="app.kubernetes.io/name=capaudit"
DIR=""
while [ "$#" -gt 0 ]; do
    case "$1" in
        -l) [ "$#" -ge 2 ] || die "-l needs a SELECTOR"; SELECTOR="$2"; shift 2 ;;
        -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
        -*) die "unknown option: $1" ;;
        *) [ -z "$DIR" ] || die "more than one DIR given ($DIR, $1)"; DIR="$1"; shift ;;
    esac
done
DIR="${DIR:-.}"
command -v "$KUBECTL" >/dev/null 2>&1 || die "$KUBECTL not found (set KUBECTL)"
mkdir -p "$DIR" || die "cannot create $DIR"

# Oldest first, so that a newer pod's report for the same node replaces an older one.
pods="$("$KUBECTL" -n "$NAMESPACE" get pods -l "$SELECTOR" --request-timeout=30s \
    --sort-by=.metadata.creationTimestamp \
    -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.spec.nodeName}{"\n"}{end}')" \
    || die "kubectl get pods -l $SELECTOR failed"
[ -n "$pods" ] || die "no pod in namespace $NAMESPACE matches $SELECTOR"

missing=0
written=0
while read -r pod node; do
    [ -n "$pod" ] || continue
    if [ -z "$node" ]; then
        log "pod $pod is not scheduled on a node yet; skipped"
        missing=$((missing + 1))
        continue
    fi
    logfile="$(mktemp "${TMPDIR:-/tmp}/capaudit-collect.XXXXXX")"
    if ! "$KUBECTL" -n "$NAMESPACE" logs "$pod" -c capaudit --tail=-1 --request-timeout=60s > "$logfile"; then
        rm -f "$logfile"
        log "cannot read the log of pod $pod (node $node)"
        missing=$((missing + 1))
        continue
    fi
    report="$(awk '/^\{$/ { buf = ""; open = 1 }
        open { buf = buf $0 "\n" }
        /^\}$/ && open { last = buf; open = 0 }
        END { printf "%s", last }' "$logfile")"
    if [ -z "$report" ]; then
        log "pod $pod (node $node) has no whole report in its log yet; its last lines:"
        tail -n 5 "$logfile" | sed 's/^/    /' >&2
        missing=$((missing + 1))
    else
        printf '%s\n' "$report" > "$DIR/node-$node.json"  # $(...) took the last newline
        log "$DIR/node-$node.json from pod $pod"
        written=$((written + 1))
    fi
    rm -f "$logfile"
done <<<"$pods"

log "$written report(s) written to $DIR"
[ "$missing" -eq 0 ] || die "$missing pod(s) gave no report"
