package dev.capaudit.rules.engine;

import dev.capaudit.rules.model.TargetSnapshot;
import java.util.List;
import java.util.Optional;

/** A target, the findings the policy produced for it, and its verdict. */
public record TargetResult(TargetSnapshot target, Verdict verdict, List<Finding> findings) {
  public TargetResult {
    findings = List.copyOf(findings);
  }

  /** The finding to show first, in {@link Finding#WORST_FIRST} order. */
  public Optional<Finding> worstFinding() {
    return findings.stream().min(Finding.WORST_FIRST);
  }
}
