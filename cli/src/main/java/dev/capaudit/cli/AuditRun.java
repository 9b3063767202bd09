package dev.capaudit.cli;

import dev.capaudit.reports.console.ConsoleReport;
import dev.capaudit.reports.json.JsonReportMapper;
import dev.capaudit.reports.json.JsonReportWriter;
import dev.capaudit.rules.engine.AuditResult;
import dev.capaudit.rules.engine.Auditor;
import dev.capaudit.rules.engine.Verdict;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.policy.Policy;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/** What every auditing command does once it has snapshots: judge, print, write reports, pick the exit code. */
final class AuditRun {
  private AuditRun() {}

  static ExitCode judgeAndReport(Policy policy, List<TargetSnapshot> targets, ReportOptions reports, PrintWriter out)
      throws CliProblem {
    AuditResult result = new Auditor(policy).audit(targets);
    ConsoleReport.print(result, out);
    write(result, reports);
    return exitCode(result);
  }

  static ExitCode exitCode(AuditResult result) {
    if (result.count(Verdict.FAIL) > 0) {
      return ExitCode.VIOLATIONS;
    }
    if (result.count(Verdict.ERROR) > 0) {
      return ExitCode.UNREADABLE;
    }
    return ExitCode.PASS;
  }

  private static void write(AuditResult result, ReportOptions reports) throws CliProblem {
    if (reports.json != null) {
      try {
        JsonReportWriter.write(JsonReportMapper.toReport(result, VersionProvider.version()), reports.json);
      } catch (IOException e) {
        throw CliProblem.tool("cannot write JSON report " + reports.json + ": " + e.getMessage());
      }
    }
  }
}
