package dev.capaudit.reports.markdown;

import dev.capaudit.reports.AuditReport;
import dev.capaudit.reports.ReportWriter;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.engine.Verdict;
import dev.capaudit.rules.policy.AuditContext;
import java.io.IOException;
import java.io.Writer;
import java.util.Map;

/**
 * Issue-style Markdown: one section per failing or unreadable target that reads like a good bug report (title, mask
 * signature, expected vs. observed, how it was observed, how to reproduce, remediation), ready to paste into a
 * tracker. Every piece of container-supplied text goes through {@link MarkdownText}.
 */
public final class MarkdownReportWriter implements ReportWriter {
  @Override
  public void write(AuditReport report, Writer out) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# capaudit: ").append(report.result().count(Verdict.FAIL)).append(" failing, ")
        .append(report.result().count(Verdict.ERROR)).append(" unreadable of ")
        .append(report.result().targets().size()).append(" target(s)\n\n")
        .append("Policy ").append(MarkdownText.code(report.result().policyName())).append(" · capaudit ")
        .append(MarkdownText.text(report.toolVersion())).append(" · ").append(report.generatedAt())
        .append(report.baseline().map(b -> " · compared with baseline " + MarkdownText.code(b.baselineName()))
            .orElse(""))
        .append("\n");
    Map<AuditContext, CapabilityMask> allowed = IssueSection.allowed(report.result().policy());
    for (TargetResult target : report.result().targets()) {
      if (target.verdict() == Verdict.FAIL) {
        new IssueSection(report, target, allowed, md).write();
      } else if (target.verdict() == Verdict.ERROR) {
        unreadable(target, md);
      }
      // Section by section: a fleet's report is megabytes, never held as one string.
      out.append(md);
      md.setLength(0);
    }
    report.baseline().filter(b -> !b.fixed().isEmpty()).ifPresent(b -> {
      md.append("\n## Fixed since the baseline\n\n");
      b.fixed().forEach(e -> md.append("- ").append(MarkdownText.code(e.key().capability().name())).append(" (")
          .append(MarkdownText.code(e.key().rule())).append(") in ").append(MarkdownText.text(e.key().target()
              .toString())).append(": ").append(MarkdownText.text(e.message())).append('\n'));
    });
    if (report.result().count(Verdict.FAIL) + report.result().count(Verdict.ERROR) == 0) {
      md.append("\nEvery target passes; nothing to report.\n");
    }
    out.append(md);
    out.flush();
  }

  private static void unreadable(TargetResult target, StringBuilder md) {
    md.append("\n## ").append(MarkdownText.text(target.target().name()))
        .append(" could not be audited\n\n**Verdict:** error: the target could not be read, so it cannot pass: ")
        .append(MarkdownText.text(target.incomplete().orElse("it could not be judged"))).append("\n\n");
    target.target().errors().forEach(e -> md.append("- ").append(MarkdownText.text(e)).append('\n'));
    target.target().gate().filter(g -> !g.log().isBlank()).ifPresent(g -> md.append("\nEntrypoint log")
        .append(g.logTruncated() ? " (truncated)" : "").append(":\n\n").append(MarkdownText.fenced(g.log())));
    target.worstFinding().ifPresent(f -> md.append("\nAlso found: ").append(MarkdownText.text(f.message()))
        .append('\n'));
  }
}
