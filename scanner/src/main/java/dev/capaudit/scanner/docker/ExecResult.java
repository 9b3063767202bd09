package dev.capaudit.scanner.docker;

import java.util.OptionalLong;

/**
 * What one exec in a container produced, bounded in time and size.
 *
 * @param truncated stdout went over the cap and was cut
 * @param timedOut the exec did not finish in time; the output is partial
 * @param processId the exec'd process as the engine's host sees it, known for an exec that timed out (so the
 *     caller can kill it: a probe must never linger and be audited later as a process of the container)
 */
public record ExecResult(long exitCode, String stdout, String stderr, boolean truncated, boolean timedOut,
    OptionalLong processId) {

  public ExecResult(long exitCode, String stdout, String stderr, boolean truncated, boolean timedOut) {
    this(exitCode, stdout, stderr, truncated, timedOut, OptionalLong.empty());
  }

  public boolean succeeded() {
    return exitCode == 0 && !truncated && !timedOut;
  }

  /** A short reason for a failed exec, for target errors. */
  public String failure() {
    if (timedOut) {
      return "timed out";
    }
    if (truncated) {
      return "output exceeded the size cap";
    }
    String detail = stderr.isBlank() ? stdout : stderr;
    return "exit code " + exitCode + (detail.isBlank() ? "" : ": " + detail.strip().lines().findFirst().orElse(""));
  }
}
