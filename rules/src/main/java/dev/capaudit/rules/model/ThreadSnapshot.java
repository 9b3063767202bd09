package dev.capaudit.rules.model;

import dev.capaudit.rules.proc.ProcStatus;

/**
 * A thread of a process whose user or capability sets differ from its leader's. Capabilities are per thread:
 * {@code capset(2)}, a raw {@code setresuid(2)} and {@code PR_CAPBSET_DROP} change the calling thread only, so a
 * helper thread can keep what the leader dropped.
 *
 * @param tid the thread id as the container's pid namespace sees it
 * @param status the thread's own {@code /proc/PID/task/TID/status}
 */
public record ThreadSnapshot(int tid, ProcStatus status) {
  /** Whether this thread holds what the other holds: the same uids and the same five sets. */
  public boolean sameCredentials(ProcStatus other) {
    return status.realUid() == other.realUid() && status.effectiveUid() == other.effectiveUid()
        && status.realGid() == other.realGid() && status.effectiveGid() == other.effectiveGid()
        && status.capabilities().equals(other.capabilities())
        && status.noNewPrivs().equals(other.noNewPrivs());
  }
}
