package dev.capaudit.scanner.io;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the host's own tools ({@code getcap}) with its time and output bounded; a tool that overruns is killed.
 * Nothing is written to disk: capaudit runs with a read-only root and no /tmp in its DaemonSet.
 */
public final class BoundedProcess {
  private static final File NULL_DEVICE = new File("/dev/null");

  private BoundedProcess() {}

  /** What the tool printed, or why there is nothing to read. */
  public record Result(Optional<String> output, Problem problem) {
    static Result of(String output) {
      return new Result(Optional.of(output), Problem.NONE);
    }

    static Result failed(Problem problem) {
      return new Result(Optional.empty(), problem);
    }
  }

  /** Why a tool's output is missing. */
  public enum Problem {
    NONE, CANNOT_RUN, TIMED_OUT, TOO_MUCH_OUTPUT
  }

  /** The tool's standard output, or empty when it cannot run, overran the limit, or printed too much. */
  public static Optional<String> run(List<String> command, Duration timeout, int maxBytes) {
    return attempt(command, timeout, maxBytes).output();
  }

  /**
   * The tool's standard output, or why there is none. The output is read through a pipe by a thread of its own, at
   * most {@code maxBytes + 1} of it, so neither a read-only /tmp nor a tool that never stops printing can hold the
   * caller; the wait is bounded and a tool that overruns it is killed.
   */
  public static Result attempt(List<String> command, Duration timeout, int maxBytes) {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
          .redirectInput(ProcessBuilder.Redirect.from(NULL_DEVICE)).start();
    } catch (IOException e) {
      return Result.failed(Problem.CANNOT_RUN);
    }
    OutputReader reader = new OutputReader(process, maxBytes);
    Thread thread = new Thread(reader, "capaudit-tool-output");
    thread.setDaemon(true);
    thread.start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        return Result.failed(Problem.TIMED_OUT);
      }
      // The tool has exited; what it printed is in the pipe, unless a child of its own still holds it open.
      thread.join(Duration.ofSeconds(2).toMillis());
      if (thread.isAlive()) {
        return Result.failed(Problem.TIMED_OUT);
      }
      if (reader.overflowed()) {
        return Result.failed(Problem.TOO_MUCH_OUTPUT);
      }
      return Result.of(reader.text());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return Result.failed(Problem.TIMED_OUT);
    } finally {
      closeQuietly(process.getInputStream());
    }
  }

  private static void closeQuietly(InputStream stream) {
    try {
      stream.close();
    } catch (IOException ignored) {
      // the pipe is gone with the process
    }
  }

  /** Reads a pipe to its end, keeping at most the limit (and noting when there was more). */
  private static final class OutputReader implements Runnable {
    private final Process process;
    private final InputStream in;
    private final int limit;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private volatile boolean overflow;

    OutputReader(Process process, int limit) {
      this.process = process;
      this.in = process.getInputStream();
      this.limit = limit;
    }

    @Override
    public void run() {
      byte[] buffer = new byte[8192];
      try {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          int room = limit - kept.size();
          if (n > room) {
            kept.write(buffer, 0, Math.max(0, room));
            overflow = true;
            // The caller refuses the output anyway: the tool need not run on, blocked on a full pipe.
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            return;
          }
          kept.write(buffer, 0, n);
        }
      } catch (IOException e) {
        // The pipe closed under the read (the tool was killed): what was kept is all there is.
      }
    }

    boolean overflowed() {
      return overflow;
    }

    /** Read once the reading thread has ended (joined), so all it wrote is seen. */
    String text() {
      return kept.toString(StandardCharsets.UTF_8);
    }
  }
}
