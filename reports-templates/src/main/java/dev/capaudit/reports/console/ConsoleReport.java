package dev.capaudit.reports.console;

import dev.capaudit.reports.AuditReport;
import dev.capaudit.rules.baseline.FindingStatus;
import dev.capaudit.rules.engine.AuditResult;
import dev.capaudit.rules.engine.Finding;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.engine.Verdict;
import dev.capaudit.rules.model.TargetSnapshot;
import java.io.PrintWriter;

/**
 * The console table: one line per target, worst first, with its verdict and headline (its worst finding, or why it
 * could not be read), then the totals.
 */
public final class ConsoleReport {
  private static final int NAME_WIDTH = 28;
  private static final int MESSAGE_WIDTH = 110;

  private ConsoleReport() {}

  public static void print(AuditReport report, PrintWriter out) {
    AuditResult result = report.result();
    out.printf("%-" + NAME_WIDTH + "s %-7s %8s  %s%n", "TARGET", "VERDICT", "FINDINGS", "HEADLINE");
    for (TargetResult target : result.targets()) {
      out.printf("%-" + NAME_WIDTH + "s %-7s %8d  %s%n", name(target.target()),
          target.verdict().id(), target.findings().size(), fit(Printable.of(target.headline()), MESSAGE_WIDTH));
    }
    out.printf("%d target(s): %d pass, %d fail, %d error; %d finding(s) (policy %s)%n", result.targets().size(),
        result.count(Verdict.PASS), result.count(Verdict.FAIL), result.count(Verdict.ERROR), result.findingCount(),
        Printable.of(result.policyName()));
    report.baseline().ifPresent(baseline -> {
      int fresh = 0;
      int existing = 0;
      for (TargetResult target : result.targets()) {
        for (Finding finding : target.findings()) {
          if (baseline.statusOf(target.target(), finding) == FindingStatus.NEW) {
            fresh++;
          } else {
            existing++;
          }
        }
      }
      out.printf("compared with baseline %s: %d new, %d existing, %d fixed finding(s)%n",
          Printable.of(baseline.baselineName()), fresh, existing, baseline.fixed().size());
    });
    out.flush();
  }

  /** The name, and the node it runs on when known: the same name on two nodes is two targets. */
  private static String name(TargetSnapshot target) {
    String node = target.origin().node().isEmpty() ? "" : " @" + fit(Printable.of(target.origin().node()), 12);
    return fit(Printable.of(target.name()), NAME_WIDTH - node.length()) + node;
  }

  private static String fit(String text, int width) {
    return text.length() <= width ? text : text.substring(0, width - 3) + "...";
  }
}
