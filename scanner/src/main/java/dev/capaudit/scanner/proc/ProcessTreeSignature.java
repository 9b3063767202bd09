package dev.capaudit.scanner.proc;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What must stop changing for an entrypoint to count as settled: which processes and threads exist in the
 * container's pid namespace, who they run as, and their capability sets, read from the host's /proc. Threads count
 * one by one: a thread that steps down after its process leader is a change like any other.
 */
public final class ProcessTreeSignature {
  private ProcessTreeSignature() {}

  /** Empty when the container's pid 1 is gone. */
  public static Optional<String> of(HostProc proc, int hostPid) throws IOException {
    Optional<String> namespace = proc.pidNamespace(hostPid);
    if (namespace.isEmpty()) {
      return Optional.empty();
    }
    List<String> lines = new ArrayList<>();
    for (int pid : proc.pids()) {
      if (namespace.equals(proc.pidNamespace(pid))) {
        lines.addAll(threads(proc, pid));
      }
    }
    lines.sort(String::compareTo);
    return Optional.of(String.join("\n", lines));
  }

  /** One line per thread; the process's own status when its task list cannot be read. */
  private static List<String> threads(HostProc proc, int pid) {
    List<String> lines = new ArrayList<>();
    for (int tid : proc.taskIds(pid)) {
      proc.taskStatus(pid, tid).ifPresent(status -> lines.add(pid + "/" + tid + " " + relevant(status)));
    }
    if (lines.isEmpty()) {
      proc.status(pid).ifPresent(status -> lines.add(pid + " " + relevant(status)));
    }
    return lines;
  }

  private static String relevant(String status) {
    StringBuilder kept = new StringBuilder();
    for (String line : status.split("\n")) {
      if (line.startsWith("Name:") || line.startsWith("Uid:") || line.startsWith("Cap")
          || line.startsWith("NoNewPrivs:")) {
        kept.append(line).append(';');
      }
    }
    return kept.toString();
  }
}
