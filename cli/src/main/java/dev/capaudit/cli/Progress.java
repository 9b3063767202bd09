package dev.capaudit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntConsumer;

/**
 * Counts audited targets on standard error: a line rewritten in place when stderr is a terminal; otherwise, for a
 * scan that runs longer than {@link #INTERVAL}, a plain line at most every {@link #INTERVAL} (CI logs keep every
 * line, so no carriage returns). Nothing with {@code --quiet} or {@code --no-progress}.
 */
final class Progress implements IntConsumer {
  static final Duration INTERVAL = Duration.ofSeconds(10);

  private final PrintWriter err;
  private final int total;
  private final boolean enabled;
  private final boolean terminal;
  private final Clock clock;
  private final Instant started;
  private Instant lastLine;

  Progress(PrintWriter err, int total, boolean enabled, boolean terminal, Clock clock) {
    this.err = err;
    this.total = total;
    this.enabled = enabled && total > 1;
    this.terminal = terminal;
    this.clock = clock;
    this.started = clock.instant();
    this.lastLine = started;
  }

  static Progress onTerminal(PrintWriter err, int total) {
    return new Progress(err, total, !RunStreams.silent(), stderrIsTerminal(), Clock.systemUTC());
  }

  @Override
  public synchronized void accept(int done) {
    if (!enabled) {
      return;
    }
    if (terminal) {
      err.printf("\rcapaudit: audited %d of %d targets", done, total);
      if (done == total) {
        err.println();
      }
    } else {
      Instant now = clock.instant();
      boolean due = Duration.between(lastLine, now).compareTo(INTERVAL) >= 0;
      boolean longScan = Duration.between(started, now).compareTo(INTERVAL) >= 0;
      if (due || (done == total && longScan)) {
        err.printf("capaudit: audited %d of %d targets (%d s)%n", done, total,
            Duration.between(started, now).toSeconds());
        lastLine = now;
      }
    }
    err.flush();
  }

  /** Java tells only whether stdin and stdout are a console; on Linux fd 2's link says whether stderr is. */
  static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return System.console() != null;
    }
  }
}
