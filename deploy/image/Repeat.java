import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one command again and again, with a fixed pause after each run: how the capaudit DaemonSet audits its node on
 * a schedule although the image has no shell. A shell (and busybox's applets) in a pod that holds SYS_PTRACE and
 * DAC_READ_SEARCH over the host's pid namespace would let anyone allowed to exec into it read every file of every
 * process on the node, so the loop is this class instead of {@code while true; do ...; sleep; done}.
 *
 * <p>Usage: {@code java -jar repeat.jar [--stop-on=CODE,...] [--tee=FILE] INTERVAL_SECONDS TIMEOUT_SECONDS COMMAND
 * [ARG...]}. Each run is a fresh process that shares this one's standard error (the pod's log). A run that takes
 * longer than TIMEOUT_SECONDS is killed. An exit code listed in {@code --stop-on} ends the loop with that code:
 * capaudit's 1 (it failed) and 2 (bad usage) do not heal by waiting, and a container that exits shows up as a
 * restarting pod instead of a healthy-looking one that fails every hour. SIGTERM kills the running command first.
 *
 * <p>{@code --tee=FILE}: the command's standard output goes to a file beside FILE; once the run ends it is copied
 * to standard output (the log) and renamed to FILE, so that FILE always holds one whole report (capaudit writes
 * one JSON report per run, and {@code --format json} and {@code --json} cannot both be given). Without it the
 * command shares this one's standard output.
 */
public final class Repeat {
  /** How long a killed command (or a command at shutdown) is given to go away before we stop waiting for it. */
  private static final long KILL_WAIT_SECONDS = 10;

  private Repeat() {}

  public static void main(String[] args) throws InterruptedException {
    List<String> rest = Arrays.asList(args);
    Set<Integer> stopOn = new HashSet<>();
    Path tee = null;
    while (!rest.isEmpty() && rest.get(0).startsWith("--")) {
      String option = rest.get(0);
      if (option.startsWith("--stop-on=")) {
        for (String code : option.substring("--stop-on=".length()).split(",")) {
          stopOn.add((int) number(code, "--stop-on"));
        }
      } else if (option.startsWith("--tee=") && option.length() > "--tee=".length()) {
        tee = Path.of(option.substring("--tee=".length())).toAbsolutePath();
      } else {
        fail("unknown option " + option);
      }
      rest = rest.subList(1, rest.size());
    }
    if (rest.size() < 3) {
      fail("usage: java -jar repeat.jar [--stop-on=CODE,...] [--tee=FILE] INTERVAL_SECONDS TIMEOUT_SECONDS COMMAND"
          + " [ARG...]");
    }
    long interval = number(rest.get(0), "INTERVAL_SECONDS");
    long timeout = number(rest.get(1), "TIMEOUT_SECONDS");
    if (timeout == 0) {
      fail("TIMEOUT_SECONDS must be at least 1: every run is bounded");
    }
    List<String> command = List.copyOf(rest.subList(2, rest.size()));
    if (tee != null && !Files.isWritable(tee.getParent())) {
      stop(1, "cannot write " + tee + ": " + tee.getParent() + " is not a writable directory");
    }

    AtomicReference<Process> running = new AtomicReference<>();
    AtomicBoolean stopping = new AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // The pod is being deleted: do not leave an audit running without its parent, nor publish its cut output.
      stopping.set(true);
      Process process = running.get();
      if (process != null) {
        process.destroy();
        try {
          process.waitFor(KILL_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
      }
    }));

    for (long run = 1; ; run++) {
      long started = System.nanoTime();
      Process process;
      Path partial = tee == null ? null : tee.resolveSibling("." + tee.getFileName() + ".partial");
      try {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO()
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (partial != null) {
          // To a file, not a pipe: the timeout holds even if the command never closes its output.
          builder.redirectOutput(partial.toFile());
        }
        process = builder.start();
      } catch (IOException e) {
        // A command that cannot start never will: exit, so that the pod's restarts show it.
        stop(1, "cannot run " + command.get(0) + ": " + e.getMessage());
        return;
      }
      running.set(process);
      String outcome;
      int code;
      if (process.waitFor(timeout, TimeUnit.SECONDS)) {
        code = process.exitValue();
        outcome = "exited " + code;
      } else {
        process.destroyForcibly();
        process.waitFor(KILL_WAIT_SECONDS, TimeUnit.SECONDS);
        code = -1;
        outcome = "killed after the " + timeout + " s timeout";
      }
      running.set(null);
      if (partial != null) {
        publish(partial, tee, code != -1 && !stopping.get());
      }
      double took = (System.nanoTime() - started) / 1e9;
      if (stopping.get()) {
        log(String.format("run %d %s after %.1f s: stopped", run, outcome, took));
        return;
      }
      if (stopOn.contains(code)) {
        log(String.format("run %d %s after %.1f s; stopping (--stop-on)", run, outcome, took));
        System.exit(code);
      }
      log(String.format("run %d %s after %.1f s; next run in %d s", run, outcome, took, interval));
      TimeUnit.SECONDS.sleep(interval);
    }
  }

  /** A whole run's output goes to the log and replaces FILE at once; a killed run's partial output is dropped. */
  private static void publish(Path partial, Path tee, boolean whole) {
    try {
      if (whole) {
        Files.copy(partial, System.out);
        System.out.flush();
        Files.move(partial, tee, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } else {
        Files.deleteIfExists(partial);
      }
    } catch (IOException e) {
      // The report directory is the one thing this container writes: without it every run is lost, so stop.
      stop(1, "cannot write " + tee + ": " + e);
    }
  }

  private static long number(String text, String what) {
    try {
      long value = Long.parseLong(text.trim());
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    fail(what + " must be a whole number of at least 0, not '" + text + "'");
    return 0;
  }

  private static void log(String message) {
    System.err.println("repeat: " + message);
  }

  /** Bad usage: exit 2, as capaudit does. */
  private static void fail(String message) {
    stop(2, message);
  }

  private static void stop(int code, String message) {
    log(message);
    System.exit(code);
  }
}
