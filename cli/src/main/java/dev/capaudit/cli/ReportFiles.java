package dev.capaudit.cli;

import dev.capaudit.reports.SourceFile;
import dev.capaudit.reports.json.JsonBaselines;
import dev.capaudit.reports.json.JsonReportException;
import dev.capaudit.rules.baseline.BaselineEntry;
import dev.capaudit.scanner.io.BoundedFiles;
import dev.capaudit.scanner.io.InputFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads what reports are compared with or point into, bounded: earlier JSON reports and {@code --source} files. */
final class ReportFiles {
  private ReportFiles() {}

  /** A JSON report's text (schema version 1 or 2), within {@link BoundedFiles#REPORT_LIMIT}. */
  static String text(Path file, String what) throws CliProblem {
    try {
      return BoundedFiles.readText(file, BoundedFiles.REPORT_LIMIT, what);
    } catch (InputFileException e) {
      throw CliProblem.usage(e.getMessage());
    }
  }

  /** The findings of an earlier report, keyed for comparison. */
  static List<BaselineEntry> entries(Path file, String what) throws CliProblem {
    try {
      return JsonBaselines.entries(text(file, what), file.toString());
    } catch (JsonReportException e) {
      throw CliProblem.usage("cannot use " + what + " " + file + ": " + e.getMessage());
    }
  }

  static List<SourceFile> sources(List<Path> files) throws CliProblem {
    List<SourceFile> sources = new ArrayList<>();
    Path here = Path.of("").toAbsolutePath();
    for (Path file : files) {
      try {
        String text = BoundedFiles.readText(file, BoundedFiles.DOCUMENT_LIMIT, "source file");
        Path absolute = file.toAbsolutePath().normalize();
        Path shown = absolute.startsWith(here) ? here.relativize(absolute) : file.normalize();
        sources.add(SourceFile.of(shown.toString().replace('\\', '/'), text));
      } catch (InputFileException e) {
        throw CliProblem.usage(e.getMessage());
      }
    }
    return sources;
  }
}
