package dev.capaudit.rules.engine;

import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.policy.AuditContext;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.rules.proc.ProcStatus;
import java.util.Optional;

/** Judges every set of every process, in the root or non-root process context its effective uid puts it in. */
final class ProcessCheck implements Check {
  @Override
  public void check(TargetSnapshot target, Policy policy, FindingCollector findings) {
    for (ProcessSnapshot process : target.processes()) {
      ProcStatus status = process.status();
      FindingCollector.Holder holder = new FindingCollector.Holder(FindingContext.PROCESS,
          AuditContext.forProcess(status.runsAsRoot()), Optional.of(process.pidInContainer()), Optional.empty(),
          "pid " + process.pidInContainer() + " (" + status.name() + ", uid " + Integer.toUnsignedString(
              status.effectiveUid()) + ")");
      SetJudging.judgeAll(policy, findings, holder, status.capabilities(), !status.runsAsRoot(),
          status.noNewPrivs());
    }
  }
}
