package dev.capaudit.rules.engine;

import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.model.TargetSnapshot;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** A target, the findings the policy produced for it, and its verdict. */
public record TargetResult(TargetSnapshot target, Verdict verdict, List<Finding> findings) {
  public TargetResult {
    findings = List.copyOf(findings);
  }

  /** The bounding set first: it bounds everything a process could ever regain. */
  private static int setPreference(CapabilitySetKind kind) {
    return kind == CapabilitySetKind.BOUNDING ? 0 : 1 + kind.ordinal();
  }

  /** The finding to show first: highest severity; among equals a process (the kernel's truth), then exec, then config. */
  public Optional<Finding> worstFinding() {
    return findings.stream().min(Comparator.comparing(Finding::severity).thenComparing(Finding::context)
        .thenComparing(f -> f.set().map(TargetResult::setPreference).orElse(0)));
  }
}
