package dev.capaudit.rules.engine;

import dev.capaudit.rules.policy.Policy;
import java.util.ArrayList;
import java.util.List;

/**
 * The results of one audit run under one policy (kept whole, so reports can say what the policy allows). Targets
 * are kept worst first ({@link TargetResult#WORST_FIRST}), so every format leads with what needs attention.
 */
public record AuditResult(Policy policy, List<TargetResult> targets) {
  public AuditResult {
    List<TargetResult> sorted = new ArrayList<>(targets);
    sorted.sort(TargetResult.WORST_FIRST);
    targets = List.copyOf(sorted);
  }

  public String policyName() {
    return policy.name();
  }

  public long count(Verdict verdict) {
    return targets.stream().filter(t -> t.verdict() == verdict).count();
  }

  /** Findings over all targets. */
  public int findingCount() {
    return targets.stream().mapToInt(t -> t.findings().size()).sum();
  }
}
