package dev.capaudit.reports.markdown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.reports.AuditReport;
import dev.capaudit.reports.Golden;
import dev.capaudit.reports.SampleReports;
import java.io.IOException;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MarkdownReportWriterTest {
  static String render(AuditReport report) throws IOException {
    StringWriter out = new StringWriter();
    new MarkdownReportWriter().write(report, out);
    return out.toString();
  }

  @Test
  void regression_reads_like_a_bug_report() throws Exception {
    String md = render(SampleReports.ofCases("nemoclaw-sandbox", "setpriv-sysadmin-regression-0x200100"));

    assertThat(md)
        .contains("## CAP\\_SYS\\_ADMIN in CapBnd of pid 1 (sleep, uid 1000) in agent-sysadmin-regression")
        .contains("| pid 1 (sleep, uid 1000) | CapBnd | `CapBnd=0x200100` | `0x100` | bit 21 CAP_SYS_ADMIN |")
        .contains("| nonroot-process | `0x100` | `0x200100` | CAP\\_SYS\\_ADMIN |")
        .contains("read from the Docker host's /proc")
        .contains("capaudit decode 0x200100")
        .contains("### Remediation");
  }

  @Test
  void seeds_cases_match_the_golden_file() throws Exception {
    String md = render(SampleReports.ofCases("nemoclaw-sandbox", "setpriv-sysadmin-regression-0x200100",
        "setpriv-setuid-regression-0x180", "connect-shell-0xa82c25fb", "unreadable-status", "agent-fixed-0x100"));

    Golden.assertMatches("markdown/golden-seeds.md", md);
  }

  @Test
  void passing_targets_get_no_section() throws Exception {
    String md = render(SampleReports.ofCases("nemoclaw-sandbox", "agent-fixed-0x100"));

    assertThat(md).doesNotContain("## ").contains("Every target passes");
  }

  @Test
  void hostile_names_cannot_inject_markup_headings_or_commands() throws Exception {
    String md = render(SampleReports.hostile());
    // Code spans and fenced blocks show their content literally; everywhere else markup must be escaped.
    // (An escaped backtick is text, not a code-span delimiter, so it is dropped before pairing delimiters.)
    String prose = md.replace("\\`", "").replaceAll("(?s)```.*?```", "").replaceAll("`[^`\n]*`", "");

    assertThat(prose.lines().filter(l -> l.contains("<img") || l.contains("[x](y)"))).isEmpty();
    assertThat(prose).contains("&lt;img src=x onerror=alert(1)&gt;");
    assertThat(md).doesNotContain("\u001b").doesNotContain("\u0000").doesNotContain("\u0007");
    assertThat(md.lines().filter(l -> l.startsWith("#"))).allSatisfy(l -> assertThat(l).startsWith("#"));
    assertThat(md).contains("docker inspect -f '{{.State.Pid}}' 'sandbox-<img src=x onerror=alert(1)>&\"'\\''");
    // No character is lost: each invisible one is shown with its whole code point.
    assertThat(md).contains("\\\\x1b\\[31m").contains("\\\\u202e").contains("\\\\u2028").contains("\\\\x9b")
        .contains("\\\\ud800").doesNotContain("\\x2e").doesNotContain("\u202e").doesNotContain("\u2028");
  }
}
