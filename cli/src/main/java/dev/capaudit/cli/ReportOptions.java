package dev.capaudit.cli;

import dev.capaudit.rules.text.AsciiCase;
import dev.capaudit.reports.ReportFormat;
import dev.capaudit.rules.engine.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The reports any auditing command can write, in any combination, where the console table goes, what counts
 * towards exit code 4, and the baseline to compare with. {@code -} as a path is standard output.
 */
final class ReportOptions {
  /** Standard output, as a path: {@code --json -}, {@code -o -}. */
  static final Path STDOUT = Path.of("-");

  @Option(names = "--format", paramLabel = "table|json|sarif|junit|markdown|html", defaultValue = "table",
      description = "The report to write to -o (or standard output): 'table' (default) is the console table; with"
          + " any other format the table goes to standard error.")
  String format;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where --format goes; '-' or none is"
      + " standard output.")
  Path output;

  @Option(names = "--json", paramLabel = "PATH", description = "Write the JSON report (schema version 2); '-' for"
      + " standard output.")
  Path json;

  @Option(names = "--html", paramLabel = "PATH", description = "Write a self-contained HTML report.")
  Path html;

  @Option(names = "--junit", paramLabel = "PATH", description = "Write JUnit XML for CI test tabs.")
  Path junit;

  @Option(names = "--sarif", paramLabel = "PATH", description = "Write SARIF 2.1.0 for code scanning.")
  Path sarif;

  @Option(names = "--markdown", paramLabel = "PATH", description = "Write issue-style Markdown, one section per"
      + " failing target.")
  Path markdown;

  @Option(names = "--source", paramLabel = "FILE", description = "A Dockerfile, compose file or Kubernetes manifest"
      + " that SARIF results point into (repeatable).")
  List<Path> sources = new ArrayList<>();

  @Option(names = "--baseline", paramLabel = "PREVIOUS.json", description = "Compare with the JSON report of an"
      + " earlier run: findings are marked new or existing, vanished ones fixed.")
  Path baseline;

  @Option(names = "--fail-on", paramLabel = "any|new", defaultValue = "ANY", description = "Which violations fail"
      + " the exit code: 'any' (default) or only 'new' ones, not in --baseline.")
  FailOn failOn;

  @Option(names = "--severity", paramLabel = "LEVEL", defaultValue = "medium", description = "The lowest severity"
      + " that counts towards exit code 4: high, medium (default), low or info. Reports still show every finding.")
  String severity;

  @Option(names = {"-q", "--quiet"}, description = "Print no console table and no progress; the exit code and the"
      + " reports say it all.")
  boolean quiet;

  @Option(names = "--no-progress", description = "Print no progress on standard error.")
  boolean noProgress;

  /** Which violations decide the exit code. */
  enum FailOn { ANY, NEW }

  /** The lowest severity that fails the exit code. */
  Severity threshold() throws CliProblem {
    return Severity.fromId(severity).orElseThrow(() -> CliProblem.usage("--severity must be high, medium, low or"
        + " info, not '" + severity + "'"));
  }

  /** The format --format names, or empty for the console table. */
  Optional<ReportFormat> chosenFormat() throws CliProblem {
    if (AsciiCase.equalsIgnoreCase(format, "table")) {
      return Optional.empty();
    }
    for (ReportFormat candidate : ReportFormat.values()) {
      if (AsciiCase.equalsIgnoreCase(candidate.id(), format)) {
        return Optional.of(candidate);
      }
    }
    throw CliProblem.usage("--format must be table, json, sarif, junit, markdown or html, not '" + format + "'");
  }

  /** The requested reports, in registry order; {@link #STDOUT} for standard output. At most one goes there. */
  Map<ReportFormat, Path> outputs() throws CliProblem {
    Map<ReportFormat, Path> outputs = new EnumMap<>(ReportFormat.class);
    put(outputs, ReportFormat.JSON, json);
    put(outputs, ReportFormat.HTML, html);
    put(outputs, ReportFormat.JUNIT, junit);
    put(outputs, ReportFormat.SARIF, sarif);
    put(outputs, ReportFormat.MARKDOWN, markdown);
    Optional<ReportFormat> chosen = chosenFormat();
    if (chosen.isPresent()) {
      if (outputs.containsKey(chosen.get())) {
        throw CliProblem.usage("--format " + chosen.get().id() + " and --" + chosen.get().id() + " both ask for"
            + " the " + chosen.get().id() + " report; use one");
      }
      outputs.put(chosen.get(), output == null ? STDOUT : output);
    }
    if (outputs.values().stream().filter(STDOUT::equals).count() > 1) {
      throw CliProblem.usage("only one report can go to standard output ('-')");
    }
    return outputs;
  }

  /** Where the console table goes: nowhere when quiet, a file for {@code --format table -o FILE}. */
  Optional<Path> tableFile() throws CliProblem {
    return chosenFormat().isEmpty() && output != null && !STDOUT.equals(output) ? Optional.of(output)
        : Optional.empty();
  }

  /**
   * Refuses, before anything is scanned, a report or table that could not be written: a scan of a fleet can take
   * minutes, and finding out afterwards that {@code --json /nonexistent/x.json} goes nowhere wastes them. A file
   * that exists must not be a directory and must be writable; a new file needs a writable directory. Writing can
   * still fail later (a full disk), and then says why.
   */
  void checkWritable() throws CliProblem {
    Map<String, Path> files = new LinkedHashMap<>();
    outputs().forEach((format, path) -> files.put("the " + format.id() + " report", path));
    tableFile().ifPresent(path -> files.put("the table", path));
    for (Map.Entry<String, Path> file : files.entrySet()) {
      Optional<String> reason = STDOUT.equals(file.getValue()) ? Optional.empty() : unwritable(file.getValue());
      if (reason.isPresent()) {
        throw CliProblem.usage("cannot write " + file.getKey() + " " + file.getValue() + ": " + reason.get());
      }
    }
  }

  /** Why a report cannot be written at this path, in the system's words; empty when it can be. */
  static Optional<String> unwritable(Path path) {
    if (path.toString().isEmpty()) {
      return Optional.of("the path is empty");
    }
    if (Files.isDirectory(path)) {
      return Optional.of("Is a directory");
    }
    if (Files.exists(path)) {
      return Files.isWritable(path) ? Optional.empty() : Optional.of("Permission denied");
    }
    Path parent = path.toAbsolutePath().getParent();
    if (parent == null || !Files.exists(parent)) {
      return Optional.of("No such file or directory");
    }
    if (!Files.isDirectory(parent)) {
      return Optional.of("Not a directory");
    }
    return Files.isWritable(parent) ? Optional.empty() : Optional.of("Permission denied");
  }

  private static void put(Map<ReportFormat, Path> outputs, ReportFormat format, Path path) {
    if (path != null) {
      outputs.put(format, path);
    }
  }
}
