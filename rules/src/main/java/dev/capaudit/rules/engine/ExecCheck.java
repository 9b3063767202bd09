package dev.capaudit.rules.engine;

import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.capability.CapabilitySets;
import dev.capaudit.rules.model.ExecView;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.policy.Policy;
import java.util.Optional;

/**
 * Judges what a {@code docker exec} / "sandbox connect" shell gets. It never passes through the entrypoint, so it
 * keeps the container's configured bounding set however well the entrypoint drops.
 */
final class ExecCheck implements Check {
  @Override
  public void check(TargetSnapshot target, Policy policy, FindingCollector findings) {
    for (ExecView view : target.exec()) {
      FindingCollector.Site site = FindingCollector.Site.exec(view.user(), view.root());
      SetJudging.judgeAll(policy, findings, site, view.capabilities(), !view.root(), view.noNewPrivs());
      if (view.disagreesWithPrediction()) {
        disagreement(findings, site, view);
      }
    }
  }

  /** One finding per capability on which the probe and the runtime's spec disagree, with the set it differs in. */
  private static void disagreement(FindingCollector findings, FindingCollector.Site site, ExecView view) {
    CapabilitySets predicted = view.predicted().orElseThrow();
    for (CapabilitySetKind kind : CapabilitySetKind.values()) {
      Optional<CapabilityMask> probed = view.capabilities().get(kind);
      Optional<CapabilityMask> expected = predicted.get(kind);
      if (probed.isEmpty() || expected.isEmpty() || probed.equals(expected)) {
        continue;
      }
      CapabilityMask differing = probed.get().minus(expected.get()).union(expected.get().minus(probed.get()));
      for (int bit = 0; bit < Long.SIZE; bit++) {
        if (differing.hasBit(bit)) {
          findings.add(site, Rules.EXEC_VIEW_MISMATCH, CapabilityRef.ofBit(bit), kind, probed.get(),
              kind.procField() + " predicted " + expected.get() + (probed.get().hasBit(bit) ? ", probe holds it"
                  : ", probe lacks it"),
              "the exec probe and the runtime's spec disagree: the container's own binaries or the engine do not"
                  + " behave as the spec says");
        }
      }
    }
  }
}
