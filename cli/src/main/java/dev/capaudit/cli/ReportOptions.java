package dev.capaudit.cli;

import dev.capaudit.reports.ReportFormat;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The report files any auditing command can write, in any combination, and the baseline to compare with. */
final class ReportOptions {
  @Option(names = "--json", paramLabel = "PATH", description = "Write the JSON report (schema version 1).")
  Path json;

  @Option(names = "--html", paramLabel = "PATH", description = "Write a self-contained HTML report.")
  Path html;

  @Option(names = "--junit", paramLabel = "PATH", description = "Write JUnit XML for CI test tabs.")
  Path junit;

  @Option(names = "--sarif", paramLabel = "PATH", description = "Write SARIF 2.1.0 for code-scanning dashboards.")
  Path sarif;

  @Option(names = "--markdown", paramLabel = "PATH", description = "Write issue-style Markdown, one section per"
      + " failing target.")
  Path markdown;

  @Option(names = "--baseline", paramLabel = "PREVIOUS.json", description = "Compare with the JSON report of an"
      + " earlier run: findings are marked new or existing, vanished ones fixed.")
  Path baseline;

  @Option(names = "--fail-on", paramLabel = "any|new", defaultValue = "ANY", description = "Which violations fail"
      + " the exit code: 'any' (default) or only 'new' ones, not in --baseline.")
  FailOn failOn;

  /** Which violations decide the exit code. */
  enum FailOn { ANY, NEW }

  /** The requested outputs, in registry order. */
  Map<ReportFormat, Path> outputs() {
    Map<ReportFormat, Path> outputs = new EnumMap<>(ReportFormat.class);
    put(outputs, ReportFormat.JSON, json);
    put(outputs, ReportFormat.HTML, html);
    put(outputs, ReportFormat.JUNIT, junit);
    put(outputs, ReportFormat.SARIF, sarif);
    put(outputs, ReportFormat.MARKDOWN, markdown);
    return outputs;
  }

  private static void put(Map<ReportFormat, Path> outputs, ReportFormat format, Path path) {
    if (path != null) {
      outputs.put(format, path);
    }
  }
}
