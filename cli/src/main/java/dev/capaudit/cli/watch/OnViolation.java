package dev.capaudit.cli.watch;

import dev.capaudit.reports.console.Printable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs {@code --on-violation CMD} with a violation's JSON line on its standard input, off the watch's thread: one
 * command at a time, at most {@link #WAITING} waiting (more are dropped and counted), each killed with its
 * descendants after the timeout. Its output is discarded, and its input is written by a thread of its own, so a
 * command that never reads it cannot block anything. The command is run as given, never through a shell unless the
 * user named one.
 */
public final class OnViolation implements AutoCloseable {
  static final int WAITING = 16;

  private final List<String> command;
  private final Duration timeout;
  private final PrintWriter err;
  private final AtomicLong dropped = new AtomicLong();
  private final ThreadPoolExecutor runner;

  public OnViolation(List<String> command, Duration timeout, PrintWriter err) {
    this.command = List.copyOf(command);
    this.timeout = timeout;
    this.err = err;
    this.runner = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(WAITING),
        runnable -> {
          Thread thread = new Thread(runnable, "capaudit-on-violation");
          thread.setDaemon(true);
          return thread;
        });
  }

  /** Queues a run for this JSON line; never blocks. */
  public void offer(String json) {
    try {
      runner.execute(() -> run(json));
    } catch (RejectedExecutionException e) {
      long count = dropped.incrementAndGet();
      say("--on-violation is behind: " + count + " violation(s) not handed to it so far");
    }
  }

  public long dropped() {
    return dropped.get();
  }

  private void run(String json) {
    try {
      Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      feed(process, json);
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        say("--on-violation did not finish within " + timeout.toSeconds() + " s and was killed");
      } else if (process.exitValue() != 0) {
        say("--on-violation exited with code " + process.exitValue());
      }
    } catch (IOException e) {
      say("--on-violation could not run: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Writes the line to the command's standard input on a thread of its own, then closes it. A command that never
   * reads it blocks only that thread, until the command exits or is killed and the write fails; no temporary file is
   * needed, so a read-only root filesystem with no writable /tmp is enough.
   */
  private static void feed(Process process, String json) {
    Thread feeder = new Thread(() -> {
      try (OutputStream input = process.getOutputStream()) {
        input.write((json + "\n").getBytes(StandardCharsets.UTF_8));
      } catch (IOException ignored) {
        // The command exited, or was killed, without reading all of it: its own exit or timeout is what is said.
      }
    }, "capaudit-on-violation-input");
    feeder.setDaemon(true);
    feeder.start();
  }

  private void say(String message) {
    synchronized (err) {
      err.println("capaudit: " + Printable.of(message));
      err.flush();
    }
  }

  @Override
  public void close() {
    runner.shutdownNow();
  }
}
