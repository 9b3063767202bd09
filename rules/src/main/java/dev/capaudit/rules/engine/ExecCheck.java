package dev.capaudit.rules.engine;

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
          AuditContext.forExec(view.root()), Optional.empty(), Optional.of(view.user()),
          "an exec shell as " + view.user() + (view.root() ? " (root)" : " (non-root)")
              + (view.source() == ObservationSource.DERIVED ? ", derived" : ""));
      SetJudging.judgeAll(policy, findings, holder, view.capabilities(), !view.root(), view.noNewPrivs());
    }
  }
}
