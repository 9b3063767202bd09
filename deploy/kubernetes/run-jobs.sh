#!/usr/bin/env bash
# run-jobs.sh — audit each node once: render deploy/kubernetes/job/capaudit-job.yaml
# into one Job per node (spec.nodeName set) and create them.
#
# Usage: deploy/kubernetes/run-jobs.sh [--dry-run] [NODE...]
#   NODE...    nodes to audit (default: every node `kubectl get nodes` lists)
#   --dry-run  print the rendered Jobs (a YAML stream) instead of creating them;
#              with NODEs given it needs no cluster
#
# Each run has an id (UTC time, label capaudit.dev/run=ID) and its own Job
# names, so a second run never collides with the first (Jobs are immutable);
# finished Jobs delete themselves after a day (ttlSecondsAfterFinished).
# Collect the reports with:
#   deploy/kubernetes/collect.sh -l capaudit.dev/run=ID reports/
#
# Environment: KUBECTL (default kubectl), CAPAUDIT_NAMESPACE (default capaudit).
#
# Exit status: 0 every Job created (or printed), 1 with a message otherwise.

set -euo pipefail

die() { printf 'run-jobs: ERROR: %s\n' "$*" >&2; exit 1; }
log() { printf 'run-jobs: %s\n' "$*" >&2; }

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TEMPLATE="$HERE/job/capaudit-job.yaml"
KUBECTL="${KUBECTL:-kubectl}"
NAMESPACE="${CAPAUDIT_NAMESPACE:-capaudit}"

DRY_RUN=0
nodes=()
for arg in "$@"; do
    case "$arg" in
        --dry-run) DRY_RUN=1 ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        -*) die "unknown option: $arg" ;;
        *) nodes+=("$arg") ;;
    esac
done
[ -f "$TEMPLATE" ] || die "template $TEMPLATE not found"
[[ "$NAMESPACE" =~ ^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$ ]] || die "CAPAUDIT_NAMESPACE '$NAMESPACE' is not a namespace name"

if [ "${#nodes[@]}" -eq 0 ]; then
    command -v "$KUBECTL" >/dev/null 2>&1 || die "$KUBECTL not found (set KUBECTL, or name the nodes)"
    mapfile -t nodes < <("$KUBECTL" get nodes --request-timeout=30s \
        -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}') || die "kubectl get nodes failed"
    [ "${#nodes[@]}" -gt 0 ] || die "the cluster lists no nodes"
fi

RUN_ID="$(date -u +%Y%m%dt%H%M%Sz)"

render() {  # $1 = node name: the template with every placeholder replaced, on stdout
    local node="$1" base hash job rendered
    # A node name is a DNS subdomain; anything else would not be a node, and must not reach sed unchecked.
    [[ "$node" =~ ^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$ ]] || die "'$node' is not a valid node name"
    hash="$(printf '%s' "$node" | sha256sum | cut -c1-6)"
    base="$(tr '.' '-' <<<"$node" | cut -c1-28 | sed 's/-*$//')"
    job="capaudit-$base-$hash-${RUN_ID//[tz]/}"                 # at most 9+28+1+6+1+14 = 59 characters
    rendered="$(sed -e "s/__JOB_NAME__/$job/g" -e "s/__RUN_ID__/$RUN_ID/g" -e "s/__NODE_NAME__/$node/g" \
        -e "s/^\(  namespace:\) capaudit$/\1 $NAMESPACE/" "$TEMPLATE")"
    ! grep -q '__[A-Z_]*__' <<<"$rendered" || die "the template has a placeholder this script does not fill"
    printf '%s\n' "$rendered"
}

if [ "$DRY_RUN" -eq 1 ]; then
    for node in "${nodes[@]}"; do
        printf -- '---\n'
        render "$node"
    done
    exit 0
fi

command -v "$KUBECTL" >/dev/null 2>&1 || die "$KUBECTL not found (set KUBECTL)"
for node in "${nodes[@]}"; do
    render "$node" | "$KUBECTL" create --request-timeout=30s -f - >&2 || die "cannot create the Job for node $node"
done
log "run $RUN_ID: ${#nodes[@]} Job(s) in namespace $NAMESPACE"
log "wait:    $KUBECTL -n $NAMESPACE wait --for=jsonpath='{.status.phase}'=Succeeded pod -l capaudit.dev/run=$RUN_ID --timeout=10m (a node with a violation ends Failed instead)"
log "collect: $HERE/collect.sh -l capaudit.dev/run=$RUN_ID reports/"
printf '%s\n' "$RUN_ID"
