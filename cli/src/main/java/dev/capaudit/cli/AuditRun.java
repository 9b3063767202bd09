package dev.capaudit.cli;

import dev.capaudit.reports.AuditReport;
import dev.capaudit.reports.json.JsonReport;
import dev.capaudit.reports.ReportBatch;
import dev.capaudit.reports.ReportFormat;
import dev.capaudit.reports.console.ConsoleReport;
import dev.capaudit.rules.baseline.BaselineComparison;
import dev.capaudit.rules.engine.AuditResult;
import dev.capaudit.rules.engine.Auditor;
import dev.capaudit.rules.engine.Severity;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.scanner.io.BoundedFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What every auditing command does once it has snapshots: judge, compare, print, write reports, pick the exit code. */
final class AuditRun {
  private AuditRun() {}

  static ExitCode judgeAndReport(Policy policy, List<TargetSnapshot> targets, ReportOptions options, PrintWriter out)
      throws CliProblem {
    return report(new Auditor(policy).audit(targets), options, out, RunStreams.err());
  }

  /** Reports an audit already judged ({@code merge}); {@code err} takes the table when a report goes to stdout. */
  static ExitCode report(AuditResult result, ReportOptions options, PrintWriter out, PrintWriter err)
      throws CliProblem {
    return report(result, options, out, err, Optional.empty());
  }

  /** Reports an audit, with the minimize run its target came from in the JSON report. */
  static ExitCode report(AuditResult result, ReportOptions options, PrintWriter out, PrintWriter err,
      Optional<JsonReport.Minimize> minimize) throws CliProblem {
    if (options.failOn == ReportOptions.FailOn.NEW && options.baseline == null) {
      throw CliProblem.usage("--fail-on new needs --baseline PREVIOUS.json");
    }
    Severity threshold = options.threshold();
    Map<ReportFormat, Path> outputs = options.outputs();
    Optional<BaselineComparison> baseline = options.baseline == null ? Optional.empty()
        : Optional.of(BaselineComparison.compare(options.baseline.toString(), result,
            ReportFiles.entries(options.baseline, "baseline")));
    AuditReport report = new AuditReport(result, VersionProvider.version(), baseline, Instant.now(),
        ReportFiles.sources(options.sources), minimize);
    if (!options.quiet) {
      table(report, options, outputs.containsValue(ReportOptions.STDOUT) ? err : out);
    }
    write(report, outputs, out);
    return exitCode(result, baseline, options.failOn, threshold);
  }

  private static void table(AuditReport report, ReportOptions options, PrintWriter console) throws CliProblem {
    Optional<Path> file = options.tableFile();
    if (file.isEmpty()) {
      ConsoleReport.print(report, console);
      return;
    }
    try (PrintWriter writer = new PrintWriter(Files.newBufferedWriter(file.get(), StandardCharsets.UTF_8))) {
      ConsoleReport.print(report, writer);
      if (writer.checkError()) {
        throw new IOException("write failed");
      }
    } catch (IOException e) {
      throw CliProblem.tool("cannot write the table to " + file.get() + ": " + BoundedFiles.reason(e));
    }
  }

  /**
   * Exit 4 when a finding of at least {@code threshold} severity counts (only new ones with {@code --fail-on new});
   * otherwise 5 when a target could not be read completely or none matched; otherwise 0.
   */
  static ExitCode exitCode(AuditResult result, Optional<BaselineComparison> baseline, ReportOptions.FailOn failOn,
      Severity threshold) {
    if (result.targets().isEmpty()) {
      // Nothing matched (a mistyped label, no container running): a gate that audited nothing has not passed.
      return ExitCode.UNREADABLE;
    }
    boolean violations = failOn == ReportOptions.FailOn.NEW
        ? baseline.map(b -> b.hasNewViolations(result, threshold)).orElse(true)
        : result.targets().stream().flatMap(t -> t.findings().stream())
            .anyMatch(f -> f.severity().compareTo(threshold) <= 0);
    if (violations) {
      return ExitCode.VIOLATIONS;
    }
    if (result.targets().stream().map(TargetResult::incomplete).anyMatch(Optional::isPresent)) {
      return ExitCode.UNREADABLE;
    }
    return ExitCode.PASS;
  }

  /** Writes every report at once ({@link ReportBatch}); a report that could not be written says why. */
  private static void write(AuditReport report, Map<ReportFormat, Path> outputs, PrintWriter out) throws CliProblem {
    Map<ReportFormat, ReportBatch.Destination> destinations = new EnumMap<>(ReportFormat.class);
    outputs.forEach((format, path) -> destinations.put(format, ReportOptions.STDOUT.equals(path) ? toStdout(out)
        : () -> Files.newBufferedWriter(path, StandardCharsets.UTF_8)));
    List<String> failures = new ArrayList<>();
    ReportBatch.write(report, destinations).forEach((format, outcome) -> {
      Path path = outputs.get(format);
      boolean stdout = ReportOptions.STDOUT.equals(path);
      String where = stdout ? "to standard output" : path.toString();
      outcome.failure().ifPresent(e -> failures.add("cannot write the " + format.id() + " report " + where + ": "
          + BoundedFiles.reason(e)));
      if (stdout && outcome.failure().isEmpty() && out.checkError()) {
        failures.add("cannot write the " + format.id() + " report to standard output");
      }
    });
    if (!failures.isEmpty()) {
      throw CliProblem.tool(String.join("; ", failures));
    }
  }

  private static ReportBatch.Destination toStdout(PrintWriter out) {
    return new ReportBatch.Destination() {
      @Override
      public Writer open() {
        return out;
      }

      @Override
      public boolean close() {
        return false;
      }
    };
  }
}
