package dev.capaudit.scanner.watch;

import dev.capaudit.rules.engine.Verdict;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The watch's state in numbers, as the metrics endpoint serves them: taken whole by the loop after each change and
 * read by any thread.
 *
 * @param targets running containers (and, from runtime state, the host) by the verdict of their last audit
 * @param findings for each finding, how many of those targets have it
 * @param execSessions exec sessions audited since the watch began, by verdict
 * @param engineUp whether the event stream (or the runtime's state) answers now
 * @param reconnects how many times the engine came back after it went away
 */
public record WatchTotals(Map<Verdict, Integer> targets, Map<FindingId, Integer> findings,
    Map<Verdict, Long> execSessions, AuditTimes auditTimes, boolean engineUp, long reconnects, long eventsMissed) {
  public static final WatchTotals NONE = new WatchTotals(Map.of(), Map.of(), Map.of(), AuditTimes.NONE, false, 0,
      0);

  public WatchTotals {
    targets = Map.copyOf(targets);
    findings = Map.copyOf(findings);
    execSessions = Map.copyOf(execSessions);
  }

  /** The targets' verdicts and findings counted from what the watch remembers. */
  static WatchTotals count(ContainerStates states, Map<Verdict, Long> execSessions, AuditTimes times,
      boolean engineUp, long reconnects, long eventsMissed) {
    Map<Verdict, Integer> targets = new EnumMap<>(Verdict.class);
    Map<FindingId, Integer> findings = new TreeMap<>();
    for (ContainerStates.Entry entry : states.entries()) {
      entry.last().ifPresent(summary -> {
        targets.merge(summary.verdict(), 1, Integer::sum);
        summary.findings().forEach(id -> findings.merge(id, 1, Integer::sum));
      });
    }
    return new WatchTotals(targets, findings, execSessions, times, engineUp, reconnects, eventsMissed);
  }
}
