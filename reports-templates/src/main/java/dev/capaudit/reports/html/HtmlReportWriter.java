package dev.capaudit.reports.html;

import dev.capaudit.reports.AuditReport;
import dev.capaudit.reports.ReportWriter;
import dev.capaudit.reports.Templates;
import freemarker.template.TemplateException;
import java.io.IOException;
import java.io.Writer;

/** One self-contained HTML file (no external assets) from the auto-escaping {@code html/report.ftlh} template. */
public final class HtmlReportWriter implements ReportWriter {
  @Override
  public void write(AuditReport report, Writer out) throws IOException {
    try {
      Templates.get("html/report.ftlh").process(HtmlModels.build(report), out);
    } catch (TemplateException e) {
      throw new IOException("HTML template failed: " + e.getMessage(), e);
    }
  }
}
