package dev.capaudit.reports.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.capaudit.reports.Golden;
import dev.capaudit.reports.SampleReports;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class JsonReportWriterTest {
  @Test
  void seeds_cases_match_their_golden_file() throws Exception {
    StringWriter out = new StringWriter();
    new JsonReportWriter().write(SampleReports.ofCases("nemoclaw-sandbox", "connect-shell-0xa82c25fb",
        "setpriv-sysadmin-regression-0x200100", "thread-keeps-root-capabilities", "unreadable-status",
        "agent-fixed-0x100"), out);

    Golden.assertMatches("json/golden-seeds.json", out.toString());
    JsonNode report = new ObjectMapper().readTree(out.toString());
    assertThat(report.path("schemaVersion").asInt()).isEqualTo(2);
    assertThat(report.at("/summary/targets").asInt()).isEqualTo(5);
  }
}
