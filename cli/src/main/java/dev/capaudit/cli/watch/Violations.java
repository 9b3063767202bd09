package dev.capaudit.cli.watch;

import dev.capaudit.rules.engine.Severity;
import dev.capaudit.scanner.watch.FindingId;
import dev.capaudit.scanner.watch.WatchChange;

/**
 * Which changes are violations for {@code --on-violation}: a target that gained a finding of at least the threshold
 * (a new target with one counts), or an exec session that holds one. A change that only fixes findings is none.
 */
public final class Violations {
  private final Severity threshold;

  public Violations(Severity threshold) {
    this.threshold = threshold;
  }

  public boolean in(WatchChange change) {
    if (change instanceof WatchChange.Audited audited) {
      return audited.added().stream().anyMatch(this::counts);
    }
    if (change instanceof WatchChange.ExecOpened opened) {
      return opened.result().findings().stream().anyMatch(f -> f.severity().compareTo(threshold) <= 0);
    }
    return false;
  }

  private boolean counts(FindingId finding) {
    return Severity.fromId(finding.severity()).map(s -> s.compareTo(threshold) <= 0).orElse(false);
  }
}
