package dev.capaudit.rules.engine;

import dev.capaudit.rules.model.TargetSnapshot;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** A target, the findings the policy produced for it, and its verdict. */
public record TargetResult(TargetSnapshot target, Verdict verdict, List<Finding> findings) {
  public TargetResult {
    findings = List.copyOf(findings);
  }

  /** The finding to show first: highest severity; among equals a process (the kernel's truth), then exec, then config. */
  public Optional<Finding> worstFinding() {
    return findings.stream().min(Comparator.comparing(Finding::severity).thenComparing(Finding::context));
  }
}
