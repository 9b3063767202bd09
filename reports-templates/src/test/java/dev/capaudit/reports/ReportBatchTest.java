package dev.capaudit.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportBatchTest {
  @Test
  void every_format_is_written_as_alone_and_one_that_fails_stops_no_other() throws Exception {
    AuditReport report = SampleReports.ofCases("nemoclaw-sandbox", "setpriv-sysadmin-regression-0x200100");
    Map<ReportFormat, StringWriter> written = new EnumMap<>(ReportFormat.class);
    Map<ReportFormat, ReportBatch.Destination> destinations = new EnumMap<>(ReportFormat.class);
    for (ReportFormat format : ReportFormat.values()) {
      written.put(format, new StringWriter());
      destinations.put(format, format == ReportFormat.SARIF ? () -> {
        throw new IOException("No space left on device");
      } : () -> written.get(format));
    }

    Map<ReportFormat, ReportBatch.Outcome> outcomes = ReportBatch.write(report, destinations);

    assertThat(outcomes).containsOnlyKeys(ReportFormat.values());
    assertThat(outcomes.get(ReportFormat.SARIF).failure()).get().extracting(Throwable::getMessage)
        .isEqualTo("No space left on device");
    for (ReportFormat format : ReportFormat.values()) {
      if (format != ReportFormat.SARIF) {
        assertThat(outcomes.get(format).failure()).as(format.id()).isEmpty();
        StringWriter alone = new StringWriter();
        format.writer().write(report, alone);
        assertThat(written.get(format).toString()).as(format.id()).isEqualTo(alone.toString()).isNotEmpty();
      }
    }
  }
}
