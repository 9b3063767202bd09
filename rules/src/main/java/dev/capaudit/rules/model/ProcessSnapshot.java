package dev.capaudit.rules.model;

import dev.capaudit.rules.proc.ProcStatus;

/**
 * One process of a target as observed.
 *
 * @param pidInContainer the pid as the container's pid namespace sees it
 */
public record ProcessSnapshot(ProcStatus status, int pidInContainer, ObservationSource source) {
  public static ProcessSnapshot of(ProcStatus status, ObservationSource source) {
    return new ProcessSnapshot(status, status.innermostPid(), source);
  }

  public int ppidInContainer() {
    return status.ppid();
  }
}
