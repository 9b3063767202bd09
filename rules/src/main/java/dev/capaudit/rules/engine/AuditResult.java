package dev.capaudit.rules.engine;

import dev.capaudit.rules.policy.Policy;
import java.util.List;

/** The results of one audit run under one policy (kept whole, so reports can say what the policy allows). */
public record AuditResult(Policy policy, List<TargetResult> targets) {
  public AuditResult {
    targets = List.copyOf(targets);
  }

  public String policyName() {
    return policy.name();
  }

  public long count(Verdict verdict) {
    return targets.stream().filter(t -> t.verdict() == verdict).count();
  }
}
