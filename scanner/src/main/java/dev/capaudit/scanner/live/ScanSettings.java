package dev.capaudit.scanner.live;

import java.time.Duration;
import java.util.List;

/**
 * How a live scan reads containers.
 *
 * @param execUsers users to probe the exec-shell view as, besides the container's configured user and root
 * @param execTimeout the longest one exec may take
 * @param execOutputCap the most bytes one exec may print before it is cut
 * @param targetTimeout the longest one container's audit may take before it becomes an error
 * @param parallelism how many containers are audited at once
 * @param probeExec whether exec-shell views are probed (one exec per user) or derived from the configuration
 */
public record ScanSettings(List<String> execUsers, Duration execTimeout, int execOutputCap, Duration targetTimeout,
    int parallelism, boolean probeExec) {
  public static final int DEFAULT_OUTPUT_CAP = 4 * 1024 * 1024;

  public ScanSettings {
    execUsers = List.copyOf(execUsers);
  }

  public ScanSettings withParallelism(int parallelism) {
    return new ScanSettings(execUsers, execTimeout, execOutputCap, targetTimeout, Math.max(1, parallelism),
        probeExec);
  }

  public ScanSettings withProbeExec(boolean probe) {
    return new ScanSettings(execUsers, execTimeout, execOutputCap, targetTimeout, parallelism, probe);
  }

  public static ScanSettings defaults(List<String> execUsers) {
    return new ScanSettings(execUsers, Duration.ofSeconds(15), DEFAULT_OUTPUT_CAP, Duration.ofSeconds(60), 8, true);
  }
}
