package dev.capaudit.rules.engine;

import java.util.List;

/** The results of one audit run under one policy. */
public record AuditResult(String policyName, List<TargetResult> targets) {
  public AuditResult {
    targets = List.copyOf(targets);
  }

  public long count(Verdict verdict) {
    return targets.stream().filter(t -> t.verdict() == verdict).count();
  }
}
