package dev.capaudit.cli;

import dev.capaudit.reports.ReportFormat;
import java.util.Set;

/**
 * The judging and the run's writers exercised once on the built-in sample, on a thread of their own, while a short
 * scan waits for the engine: their first use (class initialisation, Jackson's and FreeMarker's introspection) would
 * otherwise come after the scan, on the critical path. Only an optimisation: a failure here is ignored, and the real
 * report is judged and written as if this had not run.
 */
final class WritersPrimed {
  private WritersPrimed() {}

  static void start(PolicyInBackground policy, Set<ReportFormat> formats, boolean table) {
    Thread primer = new Thread(() -> prime(policy, formats, table), "capaudit-prime");
    primer.setDaemon(true);
    primer.setPriority(Thread.MIN_PRIORITY);
    primer.start();
  }

  private static void prime(PolicyInBackground policy, Set<ReportFormat> formats, boolean table) {
    try {
      SampleAudit.exercise(policy.get(), formats, table);
    } catch (Throwable e) {
      // The run reports its own problems (an invalid policy included) where they belong; priming has none to give,
      // and a thread that died of one would print its stack trace.
    }
  }
}
