package dev.capaudit.rules.model;

import dev.capaudit.rules.proc.ProcStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * One process of a target as observed.
 *
 * @param pidInContainer the pid as the container's pid namespace sees it
 * @param ppidInContainer the parent's pid as the container sees it; 0 when the parent is outside the container
 */
public record ProcessSnapshot(ProcStatus status, int pidInContainer, int ppidInContainer, ObservationSource source) {
  /** A process whose parent is not yet resolved; {@link #resolveParents} fixes that for a whole target. */
  public static ProcessSnapshot of(ProcStatus status, ObservationSource source) {
    return new ProcessSnapshot(status, status.innermostPid(), 0, source);
  }

  /**
   * Sets each process's parent in the container's own numbering. The PPid field is in the reader's namespace (the
   * host's, for host-proc reads), so parents are matched on that and translated to the parent's container pid.
   */
  public static List<ProcessSnapshot> resolveParents(List<ProcessSnapshot> processes) {
    List<ProcessSnapshot> resolved = new ArrayList<>(processes.size());
    for (ProcessSnapshot process : processes) {
      int parent = 0;
      for (ProcessSnapshot candidate : processes) {
        if (candidate != process && candidate.status.pid() == process.status.ppid()) {
          parent = candidate.pidInContainer;
          break;
        }
      }
      resolved.add(new ProcessSnapshot(process.status, process.pidInContainer, parent, process.source));
    }
    return resolved;
  }
}
