package dev.capaudit.cli.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.rules.engine.Verdict;
import dev.capaudit.scanner.watch.AuditTimes;
import dev.capaudit.scanner.watch.FindingId;
import dev.capaudit.scanner.watch.WatchTotals;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTextTest {
  private static final AuditTimes TIMES = new AuditTimes(List.of(0.1, 1.0), List.of(2L, 3L), 4, 7.5);

  @Test
  void targets_findings_exec_sessions_and_audit_times_are_served_with_every_verdict_listed() {
    WatchTotals totals = new WatchTotals(Map.of(Verdict.FAIL, 2), Map.of(new FindingId("must-drop-present",
        "CAP_SYS_ADMIN", "high"), 2), Map.of(Verdict.FAIL, 5L), TIMES, true, 1, 0);

    String text = MetricsText.of(totals);

    assertThat(text).contains("# TYPE capaudit_targets gauge\n", "capaudit_targets{verdict=\"pass\"} 0\n",
        "capaudit_targets{verdict=\"fail\"} 2\n", "capaudit_targets{verdict=\"error\"} 0\n",
        "capaudit_findings{rule=\"must-drop-present\",capability=\"CAP_SYS_ADMIN\",severity=\"high\"} 2\n",
        "# TYPE capaudit_exec_sessions_total counter\n", "capaudit_exec_sessions_total{verdict=\"fail\"} 5\n",
        "capaudit_exec_sessions_total{verdict=\"pass\"} 0\n", "# TYPE capaudit_audit_seconds histogram\n",
        "capaudit_audit_seconds_bucket{le=\"0.1\"} 2\n", "capaudit_audit_seconds_bucket{le=\"1.0\"} 3\n",
        "capaudit_audit_seconds_bucket{le=\"+Inf\"} 4\n", "capaudit_audit_seconds_sum 7.5\n",
        "capaudit_audit_seconds_count 4\n", "capaudit_engine_up 1\n", "capaudit_engine_reconnects_total 1\n");
  }

  @Test
  void a_capability_named_by_whoever_wrote_the_cap_add_list_cannot_break_out_of_its_label() {
    WatchTotals totals = new WatchTotals(Map.of(), Map.of(new FindingId("cap-add-not-allowed",
        "x\"} 1\ncapaudit_engine_up{a=\"\\", "medium"), 1), Map.of(), AuditTimes.NONE, false, 0, 0);

    String text = MetricsText.of(totals);

    assertThat(text).contains("capability=\"x\\\"} 1\\ncapaudit_engine_up{a=\\\"\\\\\"");
    assertThat(text.lines().filter(l -> l.startsWith("capaudit_engine_up"))).containsExactly("capaudit_engine_up 0");
  }
}
