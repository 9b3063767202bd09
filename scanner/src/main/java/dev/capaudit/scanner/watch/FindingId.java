package dev.capaudit.scanner.watch;

import dev.capaudit.rules.engine.Finding;

/**
 * A finding as the watch compares audits of one target: its rule and capability, as reports match findings across
 * runs; the severity goes with it for the metrics.
 */
public record FindingId(String rule, String capability, String severity) implements Comparable<FindingId> {
  public static FindingId of(Finding finding) {
    return new FindingId(finding.rule().id(), finding.capability().name(), finding.severity().id());
  }

  @Override
  public int compareTo(FindingId other) {
    int byRule = rule.compareTo(other.rule);
    int byCapability = capability.compareTo(other.capability);
    return byRule != 0 ? byRule : byCapability != 0 ? byCapability : severity.compareTo(other.severity);
  }

  /** {@code must-drop-present CAP_SYS_ADMIN}. */
  @Override
  public String toString() {
    return rule + " " + capability;
  }
}
