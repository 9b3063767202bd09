package dev.capaudit.rules.baseline;

import dev.capaudit.rules.engine.Finding;
import dev.capaudit.rules.model.TargetSnapshot;

/**
 * What makes a finding "the same" across two runs: target, rule, capability, where it was held and in which set.
 * Containers are matched by name, not id, because a recreated container keeps its name but gets a new id.
 *
 * @param holder {@code pid=1}, {@code user=0} or {@code config}
 */
public record FindingKey(String target, String rule, String capability, String context, String holder, String set) {

  public static FindingKey of(TargetSnapshot target, Finding finding) {
    String holder = finding.pid().map(pid -> "pid=" + pid)
        .or(() -> finding.execUser().map(user -> "user=" + user))
        .orElse("config");
    return new FindingKey(target.kind().id() + ":" + target.name(), finding.rule().id(), finding.capability(),
        finding.context().id(), holder, finding.set().map(s -> s.id()).orElse("-"));
  }

  /** A stable one-line form, also used as the SARIF fingerprint. */
  @Override
  public String toString() {
    return String.join("|", target, rule, capability, context, holder, set);
  }
}
