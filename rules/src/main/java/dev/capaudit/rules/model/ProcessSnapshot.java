package dev.capaudit.rules.model;

import dev.capaudit.rules.proc.ProcStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * One process of a target as observed.
 *
 * @param status the leader thread's status (for a zombie leader, the first live thread's)
 * @param pidInContainer the pid in the container's own pid namespace (its NSpid entry at the container's level)
 * @param ppidInContainer the parent's pid as the container sees it; 0 when the parent is outside the container
 * @param threads the threads whose user or sets differ from {@code status}; identical threads are not repeated
 */
public record ProcessSnapshot(ProcStatus status, int pidInContainer, int ppidInContainer, ObservationSource source,
    List<ThreadSnapshot> threads) {

  public ProcessSnapshot {
    threads = List.copyOf(threads);
  }

  public ProcessSnapshot(ProcStatus status, int pidInContainer, int ppidInContainer, ObservationSource source) {
    this(status, pidInContainer, ppidInContainer, source, List.of());
  }

  /** A process whose parent is not yet resolved; {@link #resolveParents} fixes that for a whole target. */
  public static ProcessSnapshot of(ProcStatus status, ObservationSource source) {
    return new ProcessSnapshot(status, status.innermostPid(), 0, source, List.of());
  }

  /** The same process with its differing threads. */
  public ProcessSnapshot withThreads(List<ThreadSnapshot> differing) {
    return new ProcessSnapshot(status, pidInContainer, ppidInContainer, source, differing);
  }

  /** The pid in the innermost pid namespace, when the process runs in one nested inside the container's. */
  public OptionalInt nsPid() {
    int innermost = status.innermostPid();
    return innermost != pidInContainer ? OptionalInt.of(innermost) : OptionalInt.empty();
  }

  /**
   * Sets each process's parent in the container's own numbering. The PPid field is in the reader's namespace (the
   * host's, for host-proc reads), so parents are matched on that and translated to the parent's container pid.
   */
  public static List<ProcessSnapshot> resolveParents(List<ProcessSnapshot> processes) {
    Map<Integer, Integer> containerPidOf = new HashMap<>();
    for (ProcessSnapshot process : processes) {
      containerPidOf.putIfAbsent(process.status.pid(), process.pidInContainer);
    }
    List<ProcessSnapshot> resolved = new ArrayList<>(processes.size());
    for (ProcessSnapshot process : processes) {
      int ppid = process.status.ppid();
      int parent = ppid != process.status.pid() ? containerPidOf.getOrDefault(ppid, 0) : 0;
      resolved.add(new ProcessSnapshot(process.status, process.pidInContainer, parent, process.source,
          process.threads));
    }
    return resolved;
  }
}
