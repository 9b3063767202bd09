<#-- The shim is shell: its ${...} must reach the file untouched, so shell text sits in noparse blocks and only the
     policy-derived values (capability names, the policy's name with control characters removed) are interpolated. -->
# ---- capaudit-entrypoint.sh ------------------------------------------------------------------------------
#!/bin/sh
# capaudit entrypoint shim, policy "${policy}". For runtimes that take no capability flags: the container's own
# entrypoint shrinks what its processes can ever hold.
#   Stage 1 (root, needs CAP_SETPCAP): capsh shrinks the bounding set to what a root entrypoint may keep:
#     ${keepRoot}
#   Stage 2: with CAPAUDIT_RUN_AS=user, setpriv steps down to that user and drops, during the switch, what a
#     non-root process may not keep (it keeps: ${keepNonRoot}).
#   CAPAUDIT_FAIL_CLOSED=1 refuses to start when the drop cannot be done (no capsh, or no CAP_SETPCAP).
DROP_BITS="${drop}"
<#noparse>
set -eu
# Full paths where they exist: some shells (busybox with preferred applets) shadow setpriv with a weaker builtin.
SETPRIV=setpriv; for p in /usr/bin/setpriv /bin/setpriv; do if [ -x "$p" ]; then SETPRIV=$p; break; fi; done
CAPSH=capsh; for p in /usr/sbin/capsh /sbin/capsh /usr/bin/capsh; do if [ -x "$p" ]; then CAPSH=$p; break; fi; done
if [ "${CAPAUDIT_CAPS_DROPPED:-}" != 1 ]; then
  export CAPAUDIT_CAPS_DROPPED=1 # marks the re-executed copy, so the drop never loops
  if command -v "$CAPSH" >/dev/null 2>&1 && "$CAPSH" --has-p=cap_setpcap 2>/dev/null; then
    # Only capabilities this kernel knows: dropping a newer one fails and would stop the container.
    last=$(cat /proc/sys/kernel/cap_last_cap 2>/dev/null || echo 40)
    drop=""
    for entry in $DROP_BITS; do
      if [ "${entry%%:*}" -le "$last" ]; then drop="$drop,${entry#*:}"; fi
    done
    # capsh hands the command after -- to /bin/bash.
    exec "$CAPSH" --drop="${drop#,}" -- -c 'exec /usr/local/bin/capaudit-entrypoint.sh "$@"' -- "$@"
  fi
  if [ "${CAPAUDIT_FAIL_CLOSED:-0}" = 1 ]; then
    echo "[capaudit] refusing to start: capsh or CAP_SETPCAP is missing, the bounding set cannot be reduced" >&2
    exit 1
  fi
  echo "[capaudit] WARNING: capsh or CAP_SETPCAP is missing; running with $(grep ^CapBnd /proc/self/status)" >&2
fi
if [ -n "${CAPAUDIT_RUN_AS:-}" ] && [ "$(id -u)" = 0 ]; then
  exec "$SETPRIV" --reuid="$CAPAUDIT_RUN_AS" --regid="${CAPAUDIT_RUN_AS_GROUP:-$CAPAUDIT_RUN_AS}" --init-groups \
</#noparse>
    <#if stepDown?has_content>--bounding-set=${stepDown} </#if>-- "$@"
fi
<#if dropSetpcapAsRoot><#noparse>
# The policy lets no root process keep CAP_SETPCAP: it is dropped last, once it has done its work.
if [ "$(id -u)" = 0 ] && [ "${CAPAUDIT_CAPS_DROPPED:-}" = 1 ]; then
  exec "$SETPRIV" --bounding-set=-setpcap -- "$@"
fi
</#noparse></#if>
exec "$@"
# ---- Dockerfile lines -------------------------------------------------------------------------------------
# (the image needs capsh from libcap2-bin, /bin/bash, which capsh runs, and setpriv from util-linux)
COPY capaudit-entrypoint.sh /usr/local/bin/capaudit-entrypoint.sh
RUN chmod 0755 /usr/local/bin/capaudit-entrypoint.sh
ENV CAPAUDIT_RUN_AS=sandbox
ENTRYPOINT ["/usr/local/bin/capaudit-entrypoint.sh"]
# keep your own entrypoint as the first CMD word: CMD ["/your/entrypoint", "args"]
