package dev.capaudit.cli;

import java.io.PrintWriter;
import java.util.function.IntConsumer;

/** Counts audited targets on stderr when it is a terminal; prints nothing in CI logs. */
final class Progress implements IntConsumer {
  private final PrintWriter err;
  private final int total;
  private final boolean enabled;

  Progress(PrintWriter err, int total, boolean enabled) {
    this.err = err;
    this.total = total;
    this.enabled = enabled && total > 1;
  }

  static Progress onTerminal(PrintWriter err, int total) {
    return new Progress(err, total, System.console() != null);
  }

  @Override
  public void accept(int done) {
    if (!enabled) {
      return;
    }
    err.printf("\rcapaudit: audited %d of %d targets", done, total);
    if (done == total) {
      err.println();
    }
    err.flush();
  }
}
