package dev.capaudit.reports.html;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.reports.AuditReport;
import dev.capaudit.reports.BenchFleet;
import dev.capaudit.reports.Golden;
import dev.capaudit.reports.SampleReports;
import dev.capaudit.rules.baseline.BaselineEntry;
import dev.capaudit.rules.engine.Auditor;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportWriterTest {
  private static final Pattern HREF = Pattern.compile("href=\"#([^\"]+)\"");
  private static final Pattern ID = Pattern.compile(" id=\"([^\"]+)\"");

  static String render(AuditReport report) throws IOException {
    StringWriter out = new StringWriter();
    new HtmlReportWriter().write(report, out);
    return out.toString();
  }

  static AuditReport fleet(int containers) throws Exception {
    return SampleReports.report(new Auditor(SampleReports.policy("cis-docker")).audit(BenchFleet.of(containers)),
        Optional.empty());
  }

  @Test
  void seeds_cases_match_their_golden_file() throws Exception {
    String html = render(SampleReports.ofCases("nemoclaw-sandbox", "connect-shell-0xa82c25fb",
        "setpriv-sysadmin-regression-0x200100", "unreadable-status", "agent-fixed-0x100"));

    Golden.assertMatches("html/golden-seeds.html", html);
  }

  @Test
  void shows_configuration_against_what_processes_hold_and_the_matrix_by_context() throws Exception {
    String html = render(SampleReports.ofCases("nemoclaw-sandbox", "connect-shell-0xa82c25fb"));

    assertThat(html).contains("Configured bounding set <a class=\"m\" href=\"#ma82c25fb\">0xa82c25fb</a>")
        .contains("held by processes (CapBnd, union) <a class=\"m\" href=\"#m100\">0x100</a>")
        .contains("<tr id=\"m100\"><td><code>0x100</code></td><td class=\"caps\">CAP_SETPCAP</td></tr>")
        // The root exec shell and the configuration hold the same: one row, most dangerous first.
        .contains("<tr><td>root-exec, config</td><td class=\"md\">SYS_ADMIN, SYS_PTRACE, NET_RAW, DAC_OVERRIDE,")
        .contains("<td class=\"na\">SETUID, SETGID, FOWNER, CHOWN, KILL</td><td class=\"wa\"></td>"
            + "<td class=\"ok\">SETPCAP</td></tr>");
  }

  @Test
  void the_worst_target_comes_first_and_unreadable_ones_say_why() throws Exception {
    String html = render(SampleReports.ofCases("nemoclaw-sandbox", "agent-fixed-0x100", "unreadable-status",
        "setpriv-sysadmin-regression-0x200100"));

    assertThat(html.substring(html.indexOf("id=\"t0\""))).startsWith("id=\"t0\"><summary><span class=\"s high\">high"
        + "</span><b>agent-sysadmin-regression</b>");
    assertThat(html.indexOf("<b>garbled</b>")).isLessThan(html.indexOf("<b>agent-fixed</b>"));
    assertThat(html).contains("Could not be read, so this target cannot pass")
        .contains("line 9: CapBnd not a capability mask");
  }

  @Test
  void targets_with_the_same_findings_are_one_group_on_the_first_screen() throws Exception {
    String html = render(SampleReports.ofCases("nemoclaw-sandbox", "setpriv-sysadmin-regression-0x200100",
        "capsh-sysadmin-regression-0x2001e9", "setpriv-sysadmin-regression-0x200100", "agent-fixed-0x100"));
    String firstScreen = html.substring(0, html.indexOf("<h2>Every target</h2>"));

    assertThat(firstScreen).containsOnlyOnce("<b>2 snapshots</b>: bounding set SYS_ADMIN, SETPCAP as non-root:"
        + " <b>SYS_ADMIN</b>")
        .contains("<summary class=\"caps\">2 snapshots</summary>")
        .contains("no finding: every capability held is one the policy allows");
    assertThat(firstScreen.indexOf("regain-path")).isLessThan(firstScreen.indexOf("no finding"));
  }

  @Test
  void a_fleet_is_grouped_worst_first_each_group_named_by_what_its_members_run_with() throws Exception {
    String html = render(fleet(100));
    String firstScreen = html.substring(0, html.indexOf("<h2>Every target</h2>"));

    // Worst finding first (SYS_ADMIN before NET_RAW); then more capabilities failing at that severity; then more
    // findings; unreadable targets after every failing one.
    assertThat(firstScreen).containsSubsequence(
        "Docker&#39;s defaults + SYS_ADMIN, SYS_PTRACE, NET_ADMIN as root:"
            + " <b>SYS_ADMIN, SYS_PTRACE, NET_RAW, NET_ADMIN",
        "Docker&#39;s defaults + SYS_ADMIN, SYS_PTRACE as root: <b>SYS_ADMIN, SYS_PTRACE, NET_RAW</b>",
        "bounding set SYS_ADMIN, SETPCAP as non-root: <b>SYS_ADMIN</b>",
        "Docker&#39;s defaults + NET_ADMIN as root: <b>NET_RAW, NET_ADMIN</b>",
        "<b>28 containers</b>: Docker&#39;s defaults as root: <b>NET_RAW</b>",
        "<span class=\"s error\">error</span> <b>1 container</b>: not read completely, so never a pass");
  }

  @Test
  void alike_sibling_processes_are_one_row_and_findings_held_alike_are_one_row() throws Exception {
    String html = render(fleet(1));

    assertThat(html).contains("<tr id=\"t0p2\"><td><code style=\"padding-left:12px\">2, 4</code></td>"
        + "<td><code>worker-0</code></td><td>0</td><td class=\"wide\">host-proc · 0</td>"
        + "<td><a class=\"m\" href=\"#ma80435fb\">CapPrm/Eff/Bnd=0xa80435fb</a> <a class=\"m\" href=\"#m0\">"
        + "CapInh/Amb=0x0</a></td></tr>")
        .contains("<code>CAP_NET_RAW</code></td><td>root-process <span class=\"caps\">CapPrm CapEff CapBnd</span>:"
            + " <a href=\"#t0p1\">pid 1 (entrypoint, uid 0)</a>, <a href=\"#t0p2\">2 processes (worker-0, uid 0:"
            + " pids 2, 4)</a>");
    assertThat(html).doesNotContain("id=\"t0p4\"");
  }

  @Test
  void every_link_leads_somewhere_in_the_report() throws Exception {
    for (AuditReport report : List.of(fleet(30), SampleReports.hostile(), SampleReports.ofCases("nemoclaw-sandbox",
        "connect-shell-0xa82c25fb", "thread-keeps-root-capabilities", "unreadable-status"))) {
      String html = render(report);
      Set<String> ids = new HashSet<>();
      Matcher id = ID.matcher(html);
      while (id.find()) {
        assertThat(ids.add(id.group(1))).as("id %s is unique", id.group(1)).isTrue();
      }
      Matcher href = HREF.matcher(html);
      int links = 0;
      while (href.find()) {
        assertThat(ids).as("target of a link").contains(href.group(1));
        links++;
      }
      assertThat(links).isPositive();
    }
  }

  @Test
  void a_fleet_of_a_thousand_containers_stays_within_five_megabytes_with_every_target_in_it() throws Exception {
    String html = render(fleet(1000));

    assertThat(html.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(5_000_000);
    assertThat(html.split("<details class=\"t\"", -1)).hasSize(1001);
    assertThat(html).contains("<b>svc-999</b>").contains("<h2>Rules that fired</h2>")
        .contains("<tr><td>1</td><td><code>CAP_SYS_ADMIN</code></td>");
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
