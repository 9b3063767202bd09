package dev.capaudit.scanner.watch;

import dev.capaudit.rules.engine.TargetResult;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** Compares a target's audit with its last one and remembers it: what changed, or nothing. */
final class AuditDiff {
  private AuditDiff() {}

  /**
   * The change this audit makes, or empty when its result is the last one's, or when it is older than what is
   * known (it began before the container died, or before a later audit of it that finished first).
   *
   * @param started when the audit began, on the loop's clock (nanoTime)
   */
  static Optional<WatchChange.Audited> apply(ContainerStates states, String id, TargetResult result, String trigger,
      long started, Instant now) {
    if (states.outdated(id, started)) {
      return Optional.empty();
    }
    ContainerStates.Entry entry = states.known(id, result.target().name(), started);
    if (!entry.newerThanLast(started)) {
      return Optional.empty();
    }
    AuditSummary summary = AuditSummary.of(result);
    Optional<AuditSummary> last = entry.last();
    entry.audited(result.target().name(), summary, started);
    if (last.isPresent() && last.get().equals(summary)) {
      return Optional.empty();
    }
    AuditSummary before = last.orElse(new AuditSummary(summary.verdict(), Set.of()));
    return Optional.of(new WatchChange.Audited(now, trigger, result, last.isEmpty(), summary.addedSince(before),
        before.addedSince(summary)));
  }
}
