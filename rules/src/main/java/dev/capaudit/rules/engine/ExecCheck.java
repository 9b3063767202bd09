package dev.capaudit.rules.engine;

import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.capability.CapabilitySets;
import dev.capaudit.rules.model.ExecView;
import dev.capaudit.rules.model.ObservationSource;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.policy.AuditContext;
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
      FindingCollector.Holder holder = new FindingCollector.Holder(FindingContext.EXEC,
          AuditContext.forExec(view.root()), Optional.empty(), Optional.empty(), Optional.of(view.user()),
          "an exec shell as " + view.user() + (view.root() ? " (root)" : " (non-root)")
              + (view.source() == ObservationSource.DERIVED ? ", derived" : ""));
      SetJudging.judgeAll(policy, findings, holder, view.capabilities(), !view.root(), view.noNewPrivs());
      if (view.disagreesWithPrediction()) {
        disagreement(findings, holder, view);
      }
    }
  }

  /** One finding per set in which the probe and the runtime's spec disagree. */
  private static void disagreement(FindingCollector findings, FindingCollector.Holder holder, ExecView view) {
    CapabilitySets predicted = view.predicted().orElseThrow();
    for (CapabilitySetKind kind : CapabilitySetKind.values()) {
      Optional<CapabilityMask> probed = view.capabilities().get(kind);
      Optional<CapabilityMask> expected = predicted.get(kind);
      if (probed.isPresent() && expected.isPresent() && !probed.equals(expected)) {
        CapabilityMask differing = probed.get().minus(expected.get()).union(expected.get().minus(probed.get()));
        findings.add(holder, Rules.EXEC_VIEW_MISMATCH, Severity.MEDIUM, differing.names().get(0), kind,
            probed.get(), "the exec probe as " + view.user() + " reported " + kind.procField() + "=" + probed.get()
                + " but the runtime's spec predicts " + expected.get() + " (differing: "
                + String.join(", ", differing.names()) + "): the container's own binaries or the engine do not"
                + " behave as the spec says");
      }
    }
  }
}
