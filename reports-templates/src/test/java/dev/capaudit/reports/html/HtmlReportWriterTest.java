package dev.capaudit.reports.html;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.reports.AuditReport;
import dev.capaudit.reports.Golden;
import dev.capaudit.reports.SampleReports;
import dev.capaudit.rules.baseline.BaselineEntry;
import dev.capaudit.rules.baseline.FindingKey;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlReportWriterTest {
  static String render(AuditReport report) throws IOException {
    StringWriter out = new StringWriter();
    new HtmlReportWriter().write(report, out);
    return out.toString();
  }

  @Test
  void connect_shell_case_matches_its_golden_file() throws Exception {
    String html = render(SampleReports.ofCases("nemoclaw-sandbox", "connect-shell-0xa82c25fb",
        "setpriv-sysadmin-regression-0x200100", "unreadable-status", "agent-fixed-0x100"));

    Golden.assertMatches("html/golden-seeds.html", html);
  }

  @Test
  void shows_configuration_against_what_processes_hold_and_the_matrix() throws Exception {
    String html = render(SampleReports.ofCases("nemoclaw-sandbox", "connect-shell-0xa82c25fb"));

    assertThat(html).contains("<code>0xa82c25fb</code>")                 // configured bounding set
        .contains("<code>0x100</code> <span class=\"caps\">CAP_SETPCAP</span>") // what pid 1 holds
        .contains("<th>exec shell</th>")
        .containsPattern("CAP_SYS_ADMIN</code></td><td class=\"absent\">-</td><td class=\"absent\">-</td>"
            + "<td class=\"must-drop\">must drop</td><td class=\"must-drop\">must drop</td>")
        .containsPattern("CAP_SETUID</code></td><td class=\"absent\">-</td><td class=\"absent\">-</td>"
            + "<td class=\"not-allowed\">not allowed</td><td class=\"allowed\">allowed</td>");
  }

  @Test
  void failing_targets_come_first_and_unreadable_ones_say_why() throws Exception {
    String html = render(SampleReports.ofCases("nemoclaw-sandbox", "agent-fixed-0x100", "unreadable-status",
        "setpriv-sysadmin-regression-0x200100"));

    assertThat(html.indexOf("id=\"t0\"")).isLessThan(html.indexOf("id=\"t1\""));
    assertThat(html.substring(html.indexOf("id=\"t0\""))).startsWith("id=\"t0\">\n    <h2>agent-sysadmin-regression");
    assertThat(html).contains("Could not be read, so this target cannot pass")
        .contains("line 9: CapBnd not a capability mask");
  }

  @Test
  void hostile_names_render_as_text_not_markup() throws Exception {
    String html = render(SampleReports.hostile());

    assertThat(html).doesNotContain("<img").doesNotContain("onerror=alert(1)>")
        .contains("&lt;img src=x onerror=alert(1)&gt;&amp;&quot;&#39;");
  }

  @Test
  void marks_findings_against_a_baseline_and_lists_the_fixed_ones() throws Exception {
    AuditReport plain = SampleReports.ofCases("nemoclaw-sandbox", "setpriv-sysadmin-regression-0x200100");
    List<BaselineEntry> baseline = List.of(
        new BaselineEntry(new FindingKey("snapshot:agent-sysadmin-regression", "must-drop-present", "CAP_SYS_ADMIN",
            "process", "pid=1", "bounding"), "high", "old"),
        new BaselineEntry(new FindingKey("snapshot:agent-sysadmin-regression", "must-drop-present", "CAP_NET_RAW",
            "process", "pid=1", "bounding"), "high", "gone"));

    String html = render(SampleReports.withBaseline(plain, baseline));

    assertThat(html).contains("<span class=\"status existing\">existing</span>")
        .contains("<span class=\"status new\">new</span>")
        .contains("Fixed since the baseline (1)").contains("<code>CAP_NET_RAW</code>");
  }
}
