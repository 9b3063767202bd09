package dev.capaudit.rules.baseline;

import dev.capaudit.rules.engine.CapabilityRef;
import dev.capaudit.rules.engine.Finding;
import dev.capaudit.rules.model.TargetSnapshot;

/**
 * What makes a finding "the same" across two runs: the target, the rule and the capability. Who held it is matched
 * separately ({@link HolderKey}), so a finding that spreads to a new holder is new again.
 *
 * @param rule the rule's id, kept as text so a baseline from another version of capaudit still compares
 */
public record FindingKey(TargetKey target, String rule, CapabilityRef capability) {
  public static FindingKey of(TargetSnapshot target, Finding finding) {
    return new FindingKey(TargetKey.of(target), finding.rule().id(), finding.capability());
  }

  FindingKey withoutOrigin() {
    return new FindingKey(target.withoutOrigin(), rule, capability);
  }

  /** A stable one-line form, also SARIF's partial fingerprint: {@code container:sandbox-7|must-drop-present|CAP_SYS_ADMIN}. */
  @Override
  public String toString() {
    return String.join("|", target.toString(), rule, capability.name());
  }
}
