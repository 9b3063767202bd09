package dev.capaudit.reports;

import dev.capaudit.reports.html.HtmlReportWriter;
import dev.capaudit.reports.json.JsonReportWriter;
import dev.capaudit.reports.junit.JunitReportWriter;
import dev.capaudit.reports.markdown.MarkdownReportWriter;
import dev.capaudit.reports.sarif.SarifReportWriter;
import java.util.Locale;
import java.util.function.Supplier;

/** Every report format, registered in this one place with its writer. */
public enum ReportFormat {
  JSON(JsonReportWriter::new),
  HTML(HtmlReportWriter::new),
  JUNIT(JunitReportWriter::new),
  SARIF(SarifReportWriter::new),
  MARKDOWN(MarkdownReportWriter::new);

  private final Supplier<ReportWriter> writer;

  ReportFormat(Supplier<ReportWriter> writer) {
    this.writer = writer;
  }

  public ReportWriter writer() {
    return writer.get();
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
