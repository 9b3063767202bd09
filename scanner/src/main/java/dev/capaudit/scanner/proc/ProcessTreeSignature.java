package dev.capaudit.scanner.proc;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What must stop changing for an entrypoint to count as settled: which processes exist in the container's pid
 * namespace, who they run as, and their capability sets, read from the host's /proc.
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
        proc.status(pid).ifPresent(status -> lines.add(pid + " " + relevant(status)));
      }
    }
    lines.sort(String::compareTo);
    return Optional.of(String.join("\n", lines));
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
