package dev.capaudit.reports.html;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.reports.AuditReport;
import dev.capaudit.reports.Golden;
import dev.capaudit.reports.SampleReports;
import dev.capaudit.rules.baseline.BaselineEntry;
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
  void seeds_cases_match_their_golden_file() throws Exception {
    String html = render(SampleReports.ofCases("nemoclaw-sandbox", "connect-shell-0xa82c25fb",
        "setpriv-sysadmin-regression-0x200100", "unreadable-status", "agent-fixed-0x100"));

    Golden.assertMatches("html/golden-seeds.html", html);
  }

  @Test
  void shows_configuration_against_what_processes_hold_and_the_matrix() throws Exception {
    String html = render(SampleReports.ofCases("nemoclaw-sandbox", "connect-shell-0xa82c25fb"));

    assertThat(html).contains("Configured bounding set <a href=\"#ma82c25fb\"><code>0xa82c25fb</code></a>")
        .contains("<tr id=\"m100\"><td><code>0x100</code></td><td class=\"caps\">CAP_SETPCAP</td></tr>")
        .contains("<th>exec shell</th>")
        .containsPattern("CAP_SYS_ADMIN</code></td><td class=\"absent\">-</td><td class=\"absent\">-</td>"
            + "<td class=\"must-drop\">must drop</td><td class=\"must-drop\">must drop</td>")
        .containsPattern("CAP_SETUID</code></td><td class=\"absent\">-</td><td class=\"absent\">-</td>"
            + "<td class=\"not-allowed\">not allowed</td><td class=\"allowed\">allowed</td>");
  }

  @Test
  void the_worst_target_comes_first_and_unreadable_ones_say_why() throws Exception {
    String html = render(SampleReports.ofCases("nemoclaw-sandbox", "agent-fixed-0x100", "unreadable-status",
        "setpriv-sysadmin-regression-0x200100"));

    assertThat(html.substring(html.indexOf("id=\"t0\""))).startsWith("id=\"t0\"><summary><span class=\"s high\">high"
        + "</span> <b>agent-sysadmin-regression</b>");
    assertThat(html.indexOf("<b>garbled</b>")).isLessThan(html.indexOf("<b>agent-fixed</b>"));
    assertThat(html).contains("Could not be read, so this target cannot pass")
        .contains("line 9: CapBnd not a capability mask");
  }

  @Test
  void targets_with_the_same_findings_are_one_group_on_the_first_screen() throws Exception {
    String html = render(SampleReports.ofCases("nemoclaw-sandbox", "setpriv-sysadmin-regression-0x200100",
        "capsh-sysadmin-regression-0x2001e9", "setpriv-sysadmin-regression-0x200100", "agent-fixed-0x100"));
    String firstScreen = html.substring(0, html.indexOf("<h2>Every target</h2>"));

    assertThat(firstScreen).containsOnlyOnce("must-drop-present (nonroot-process): SYS_ADMIN; regain-path"
        + " (nonroot-process): SYS_ADMIN")
        .contains("<td class=\"n\">2</td>").contains("2 targets")
        .contains("no finding: every capability held is one the policy allows");
    assertThat(firstScreen.indexOf("regain-path (nonroot-process)")).isLessThan(firstScreen.indexOf("no finding"));
  }

  @Test
  void hostile_names_render_as_text_with_no_raw_control_character() throws Exception {
    String html = render(SampleReports.hostile());

    assertThat(html).doesNotContain("<img").doesNotContain("onerror=alert(1)>")
        .contains("&lt;img src=x onerror=alert(1)&gt;&amp;&quot;&#39;")
        .contains("\\x1b[31m\\x1b]8;;http://evil\\x07\\x9b\\u202e\\u2028\\x08\\ufffe\\ud800");
    assertThat(html.codePoints().filter(cp -> (Character.isISOControl(cp) && cp != '\n')
        || Character.getType(cp) == Character.FORMAT || cp == 0x2028 || Character.isSurrogate((char) cp)))
        .as("raw control, format or lone surrogate characters").isEmpty();
  }

  @Test
  void marks_findings_against_a_baseline_and_lists_the_fixed_ones() throws Exception {
    AuditReport plain = SampleReports.ofCases("nemoclaw-sandbox", "setpriv-sysadmin-regression-0x200100");
    List<BaselineEntry> baseline = List.of(
        SampleReports.entry("agent-sysadmin-regression", "must-drop-present", "CAP_SYS_ADMIN", "process sleep uid=1000"),
        SampleReports.entry("agent-sysadmin-regression", "must-drop-present", "CAP_NET_RAW", "process sleep uid=1000"));

    String html = render(SampleReports.withBaseline(plain, baseline));

    assertThat(html).contains("<span class=\"st existing\">existing</span>")
        .contains("<span class=\"st new\">new</span>")
        .contains("Fixed since the baseline (1)").contains("<code>CAP_NET_RAW</code>");
  }
}
