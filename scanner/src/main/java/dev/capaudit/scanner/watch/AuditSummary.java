package dev.capaudit.scanner.watch;

import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.engine.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the watch keeps of a target's last audit: its verdict and its findings, no more. A whole result holds every
 * process's status; a long watch of many containers keeps only this.
 */
record AuditSummary(Verdict verdict, Set<FindingId> findings) {
  AuditSummary {
    findings = Set.copyOf(findings);
  }

  static AuditSummary of(TargetResult result) {
    Set<FindingId> ids = new TreeSet<>();
    result.findings().forEach(f -> ids.add(FindingId.of(f)));
    return new AuditSummary(result.verdict(), ids);
  }

  /** The findings this one has and the earlier one had not, in rule and capability order. */
  List<FindingId> addedSince(AuditSummary earlier) {
    List<FindingId> added = new ArrayList<>(new TreeSet<>(findings));
    added.removeAll(earlier.findings);
    return added;
  }
}
