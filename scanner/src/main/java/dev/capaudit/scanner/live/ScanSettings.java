package dev.capaudit.scanner.live;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How a live scan reads containers.
 *
 * @param execUsers users to view the exec shell as, besides the container's configured user and root
 * @param execTimeout the longest one exec may take
 * @param execOutputCap the most bytes one exec may print before it is cut
 * @param targetTimeout the longest one container's audit may take before it becomes an error
 * @param parallelism how many containers are audited at once
 * @param execViewMode how exec-shell views are obtained
 * @param runtimeRoots extra directories where runtimes keep OCI bundles ({@code --runtime-root})
 */
public record ScanSettings(List<String> execUsers, Duration execTimeout, int execOutputCap, Duration targetTimeout,
    int parallelism, ExecViewMode execViewMode, List<Path> runtimeRoots) {
  public static final int DEFAULT_OUTPUT_CAP = 4 * 1024 * 1024;

  public ScanSettings {
    execUsers = List.copyOf(execUsers);
    runtimeRoots = List.copyOf(runtimeRoots);
  }

  public ScanSettings withParallelism(int value) {
    return new ScanSettings(execUsers, execTimeout, execOutputCap, targetTimeout, Math.max(1, value), execViewMode,
        runtimeRoots);
  }

  public ScanSettings withExecViewMode(ExecViewMode value) {
    return new ScanSettings(execUsers, execTimeout, execOutputCap, targetTimeout, parallelism, value, runtimeRoots);
  }

  public ScanSettings withExecTimeout(Duration value) {
    return new ScanSettings(execUsers, value, execOutputCap, targetTimeout, parallelism, execViewMode, runtimeRoots);
  }

  public ScanSettings withRuntimeRoots(List<Path> value) {
    return new ScanSettings(execUsers, execTimeout, execOutputCap, targetTimeout, parallelism, execViewMode, value);
  }

  public static ScanSettings defaults(List<String> execUsers) {
    return new ScanSettings(execUsers, Duration.ofSeconds(15), DEFAULT_OUTPUT_CAP, Duration.ofSeconds(60), 8,
        ExecViewMode.AUTO, List.of());
  }
}
