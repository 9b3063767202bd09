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
    boolean manyEngines = result.targets().stream().map(t -> t.target().origin().engine())
        .filter(engine -> !engine.isEmpty()).distinct().limit(2).count() > 1;
    // The name keeps its width; where it runs widens the column when some target has it.
    int width = NAME_WIDTH + result.targets().stream().mapToInt(t -> where(t.target(), manyEngines).length())
        .max().orElse(0);
    out.printf("%-" + width + "s %-7s %8s  %s%n", "TARGET", "VERDICT", "FINDINGS", "HEADLINE");
    for (TargetResult target : result.targets()) {
      out.printf("%-" + width + "s %-7s %8d  %s%n", name(target.target(), manyEngines),
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

  /**
   * The name, and where it runs: the same name on two nodes, or behind two engines of one node, is two targets. With
   * several engines in the run the engine tells them apart; otherwise the node, when known.
   */
  private static String name(TargetSnapshot target, boolean manyEngines) {
    return fit(Printable.of(target.name()), NAME_WIDTH) + where(target, manyEngines);
  }

  private static String where(TargetSnapshot target, boolean manyEngines) {
    String engine = target.origin().engine();
    String where = manyEngines && !engine.isEmpty() ? tail(Printable.of(withoutScheme(engine)), 20)
        : fit(Printable.of(target.origin().node()), 20);
    return where.isEmpty() ? "" : " @" + where;
  }

  private static String withoutScheme(String engine) {
    int scheme = engine.indexOf("://");
    return scheme < 0 ? engine : engine.substring(scheme + 3);
  }

  /** The end of a long address (its port or socket name tells engines apart), the start cut off. */
  private static String tail(String text, int width) {
    return text.length() <= width ? text : "..." + text.substring(text.length() - (width - 3));
  }

  private static String fit(String text, int width) {
    return text.length() <= width ? text : text.substring(0, width - 3) + "...";
  }
}
