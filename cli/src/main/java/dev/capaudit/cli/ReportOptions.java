package dev.capaudit.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The report files any auditing command can write, in any combination. */
final class ReportOptions {
  @Option(names = "--json", paramLabel = "PATH", description = "Write the JSON report (schema version 1).")
  Path json;
}
