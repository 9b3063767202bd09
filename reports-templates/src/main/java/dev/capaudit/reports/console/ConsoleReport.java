package dev.capaudit.reports.console;

import dev.capaudit.reports.AuditReport;
import dev.capaudit.rules.baseline.FindingStatus;
import dev.capaudit.rules.engine.AuditResult;
import dev.capaudit.rules.engine.Finding;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.engine.Verdict;
import java.io.PrintWriter;

/** The console summary: one line per target with its verdict and worst finding, then the totals. */
public final class ConsoleReport {
  private static final int NAME_WIDTH = 28;
  private static final int MESSAGE_WIDTH = 110;

  private ConsoleReport() {}

  public static void print(AuditReport report, PrintWriter out) {
    AuditResult result = report.result();
    out.printf("%-" + NAME_WIDTH + "s %-7s %8s  %s%n", "TARGET", "VERDICT", "FINDINGS", "WORST FINDING");
    for (TargetResult target : result.targets()) {
      out.printf("%-" + NAME_WIDTH + "s %-7s %8d  %s%n", fit(Printable.of(target.target().name()), NAME_WIDTH),
          target.verdict().id(), target.findings().size(), worst(target));
    }
    out.printf("%d target(s): %d pass, %d fail, %d error (policy %s)%n", result.targets().size(),
        result.count(Verdict.PASS), result.count(Verdict.FAIL), result.count(Verdict.ERROR),
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

  private static String worst(TargetResult target) {
    if (target.verdict() == Verdict.ERROR && !target.target().errors().isEmpty()) {
      return fit("error: " + Printable.of(target.target().errors().get(0)), MESSAGE_WIDTH);
    }
    if (target.verdict() == Verdict.ERROR) {
      return "error: no process or exec data could be read";
    }
    return target.worstFinding().map(ConsoleReport::describe).orElse("-");
  }

  private static String describe(Finding finding) {
    return fit(finding.severity().id() + " " + finding.rule().id() + ": " + Printable.of(finding.message()),
        MESSAGE_WIDTH);
  }

  private static String fit(String text, int width) {
    return text.length() <= width ? text : text.substring(0, width - 3) + "...";
  }
}
