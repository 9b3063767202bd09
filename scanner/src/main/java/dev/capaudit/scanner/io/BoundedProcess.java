package dev.capaudit.scanner.io;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the host's own tools ({@code getcap}) with its time and output bounded. Output goes to a file so
 * that the time limit holds even if the tool never closes its output; a tool that overruns is killed.
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

  /** The tool's standard output, or why there is none. */
  public static Result attempt(List<String> command, Duration timeout, int maxBytes) {
    Path out = null;
    try {
      out = Files.createTempFile("capaudit-tool", ".out");
      Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
          .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(NULL_DEVICE))
          .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return Result.failed(Problem.TIMED_OUT);
      }
      if (Files.size(out) > maxBytes) {
        return Result.failed(Problem.TOO_MUCH_OUTPUT);
      }
      return Result.of(Files.readString(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Result.failed(Problem.CANNOT_RUN);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Result.failed(Problem.TIMED_OUT);
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException ignored) {
          // a leftover temp file is harmless
        }
      }
    }
  }
}
