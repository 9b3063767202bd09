package dev.capaudit.reports.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.capaudit.reports.AuditReport;
import dev.capaudit.reports.ReportWriter;
import java.io.IOException;
import java.io.Writer;

/** Writes the JSON report with Jackson; nothing by hand. {@link JsonReports} reads one back. */
public final class JsonReportWriter implements ReportWriter {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  @Override
  public void write(AuditReport report, Writer out) throws IOException {
    JSON.writeValue(out, JsonReportMapper.toReport(report));
    out.write('\n');
    out.flush();
  }
}
