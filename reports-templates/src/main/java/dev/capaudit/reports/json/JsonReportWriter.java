package dev.capaudit.reports.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.capaudit.reports.AuditReport;
import dev.capaudit.reports.ReportWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;

/** Writes the JSON report, and reads one back (for baselines and diff), with Jackson; nothing by hand. */
public final class JsonReportWriter implements ReportWriter {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // later versions may add fields
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  @Override
  public void write(AuditReport report, Writer out) throws IOException {
    JSON.writeValue(out, JsonReportMapper.toReport(report));
  }

  public static JsonReport read(Path file) throws IOException {
    return JSON.readValue(file.toFile(), JsonReport.class);
  }
}
