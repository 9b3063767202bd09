package dev.capaudit.reports;

import java.io.IOException;
import java.io.Writer;

/** Renders an audit report in one format. Implementations escape every piece of container-supplied text. */
public interface ReportWriter {
  void write(AuditReport report, Writer out) throws IOException;
}
