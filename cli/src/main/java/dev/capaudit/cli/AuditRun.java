package dev.capaudit.cli;

import dev.capaudit.reports.AuditReport;
import dev.capaudit.reports.ReportFormat;
import dev.capaudit.reports.console.ConsoleReport;
import dev.capaudit.reports.json.JsonBaselines;
import dev.capaudit.reports.json.JsonReportWriter;
import dev.capaudit.rules.baseline.BaselineComparison;
import dev.capaudit.rules.engine.AuditResult;
import dev.capaudit.rules.engine.Auditor;
import dev.capaudit.rules.engine.Verdict;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.policy.Policy;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What every auditing command does once it has snapshots: judge, compare, print, write reports, pick the exit code. */
final class AuditRun {
  private AuditRun() {}

  static ExitCode judgeAndReport(Policy policy, List<TargetSnapshot> targets, ReportOptions options, PrintWriter out)
      throws CliProblem {
    if (options.failOn == ReportOptions.FailOn.NEW && options.baseline == null) {
      throw CliProblem.usage("--fail-on new needs --baseline PREVIOUS.json");
    }
    AuditResult result = new Auditor(policy).audit(targets);
    Optional<BaselineComparison> baseline = baseline(options.baseline, result);
    AuditReport report = new AuditReport(result, VersionProvider.version(), baseline, Instant.now());
    ConsoleReport.print(report, out);
    for (Map.Entry<ReportFormat, Path> output : options.outputs().entrySet()) {
      write(report, output.getKey(), output.getValue());
    }
    return exitCode(result, baseline, options.failOn);
  }

  static ExitCode exitCode(AuditResult result, Optional<BaselineComparison> baseline, ReportOptions.FailOn failOn) {
    if (result.targets().isEmpty()) {
      // Nothing matched (a mistyped label, no container running): a gate that audited nothing has not passed.
      return ExitCode.UNREADABLE;
    }
    boolean violations = failOn == ReportOptions.FailOn.NEW
        ? baseline.map(b -> b.hasNewViolations(result)).orElse(true)
        : result.count(Verdict.FAIL) > 0;
    if (violations) {
      return ExitCode.VIOLATIONS;
    }
    if (result.count(Verdict.ERROR) > 0) {
      return ExitCode.UNREADABLE;
    }
    return ExitCode.PASS;
  }

  private static Optional<BaselineComparison> baseline(Path file, AuditResult result) throws CliProblem {
    if (file == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(BaselineComparison.compare(file.toString(), result,
          JsonBaselines.entries(JsonReportWriter.read(file))));
    } catch (IOException e) {
      throw CliProblem.usage("cannot read baseline " + file + " (a JSON report from capaudit --json): "
          + e.getMessage());
    }
  }

  private static void write(AuditReport report, ReportFormat format, Path path) throws CliProblem {
    try (Writer writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
      format.writer().write(report, writer);
    } catch (IOException e) {
      throw CliProblem.tool("cannot write the " + format.id() + " report " + path + ": " + e.getMessage());
    }
  }
}
