package dev.capaudit.cli.watch;

import dev.capaudit.rules.engine.Verdict;
import dev.capaudit.scanner.watch.AuditTimes;
import dev.capaudit.scanner.watch.FindingId;
import dev.capaudit.scanner.watch.WatchTotals;
import java.util.Locale;
import java.util.Map;

/** The watch's totals in Prometheus' text exposition format (version 0.0.4). */
final class MetricsText {
  private MetricsText() {}

  static String of(WatchTotals totals) {
    StringBuilder text = new StringBuilder();
    header(text, "capaudit_targets", "gauge", "Targets being watched, by the verdict of their last audit.");
    for (Verdict verdict : Verdict.values()) {
      sample(text, "capaudit_targets{verdict=\"" + verdict.id() + "\"}", totals.targets().getOrDefault(verdict, 0));
    }
    header(text, "capaudit_findings", "gauge", "Findings of the targets being watched: how many targets have each.");
    for (Map.Entry<FindingId, Integer> finding : totals.findings().entrySet()) {
      FindingId id = finding.getKey();
      sample(text, "capaudit_findings{rule=\"" + label(id.rule()) + "\",capability=\"" + label(id.capability())
          + "\",severity=\"" + label(id.severity()) + "\"}", finding.getValue());
    }
    header(text, "capaudit_exec_sessions_total", "counter", "Exec sessions audited since the watch began, by"
        + " verdict.");
    for (Verdict verdict : Verdict.values()) {
      sample(text, "capaudit_exec_sessions_total{verdict=\"" + verdict.id() + "\"}",
          totals.execSessions().getOrDefault(verdict, 0L));
    }
    histogram(text, totals.auditTimes());
    header(text, "capaudit_engine_up", "gauge", "1 while the engine's event stream (or the runtime's state) answers.");
    sample(text, "capaudit_engine_up", totals.engineUp() ? 1 : 0);
    header(text, "capaudit_engine_reconnects_total", "counter", "Times the engine came back after it went away.");
    sample(text, "capaudit_engine_reconnects_total", totals.reconnects());
    header(text, "capaudit_events_dropped_total", "counter", "Events dropped because they came faster than they"
        + " could be audited (a rescan followed).");
    sample(text, "capaudit_events_dropped_total", totals.eventsMissed());
    return text.toString();
  }

  private static void histogram(StringBuilder text, AuditTimes times) {
    header(text, "capaudit_audit_seconds", "histogram", "How long audits took: a container's, once settled, or an"
        + " exec session's.");
    for (int i = 0; i < times.bounds().size(); i++) {
      sample(text, "capaudit_audit_seconds_bucket{le=\"" + number(times.bounds().get(i)) + "\"}",
          times.counts().get(i));
    }
    sample(text, "capaudit_audit_seconds_bucket{le=\"+Inf\"}", times.count());
    text.append("capaudit_audit_seconds_sum ").append(number(times.sumSeconds())).append('\n');
    sample(text, "capaudit_audit_seconds_count", times.count());
  }

  private static void header(StringBuilder text, String name, String type, String help) {
    text.append("# HELP ").append(name).append(' ').append(help).append('\n');
    text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(StringBuilder text, String series, long value) {
    text.append(series).append(' ').append(value).append('\n');
  }

  private static String number(double value) {
    return String.format(Locale.ROOT, "%s", value);
  }

  /** A label value as the format escapes it: backslash, double quote and line feed. */
  static String label(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
