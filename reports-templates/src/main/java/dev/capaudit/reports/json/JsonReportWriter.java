package dev.capaudit.reports.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;

/** Writes and reads the JSON report with Jackson; nothing is concatenated by hand. */
public final class JsonReportWriter {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private JsonReportWriter() {}

  public static void write(JsonReport report, Writer out) throws IOException {
    JSON.writeValue(out, report);
  }

  public static void write(JsonReport report, Path file) throws IOException {
    JSON.writeValue(file.toFile(), report);
  }

  public static String toJson(JsonReport report) throws IOException {
    return JSON.writeValueAsString(report);
  }

  public static JsonReport read(Path file) throws IOException {
    return JSON.readValue(file.toFile(), JsonReport.class);
  }
}
