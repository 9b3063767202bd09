package dev.capaudit.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * The standard error and the progress choice of the command being run, set by {@link Main} around each execution.
 * The commands that create progress and call {@link AuditRun} are not all this package's to change, and they pass
 * only standard output; this hands the rest of the invocation to them without a parameter.
 */
final class RunStreams {
  private record Current(PrintWriter err, boolean silent) {}

  private static final ThreadLocal<Current> CURRENT = new ThreadLocal<>();

  private RunStreams() {}

  static <T> T during(PrintWriter err, boolean silent, Callable<T> run) throws Exception {
    Current before = CURRENT.get();
    CURRENT.set(new Current(err, silent));
    try {
      return run.call();
    } finally {
      if (before == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(before);
      }
    }
  }

  /** The command's standard error; the JVM's when no command runs (a caller outside {@link Main}). */
  static PrintWriter err() {
    Current current = CURRENT.get();
    return current != null ? current.err() : new PrintWriter(System.err, true);
  }

  /** Whether {@code --quiet} or {@code --no-progress} was given. */
  static boolean silent() {
    Current current = CURRENT.get();
    return current != null && current.silent();
  }
}
