package dev.capaudit.rules.engine;

import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.model.ThreadSnapshot;
import dev.capaudit.rules.policy.AuditContext;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.rules.proc.ProcStatus;
import java.util.Optional;

/**
 * Judges every set of every process, and of every thread whose sets differ from its leader's, in the root or
 * non-root process context its effective uid puts it in.
 */
final class ProcessCheck implements Check {
  @Override
  public void check(TargetSnapshot target, Policy policy, FindingCollector findings) {
    for (ProcessSnapshot process : target.processes()) {
      judge(policy, findings, process, Optional.empty(), process.status());
      for (ThreadSnapshot thread : process.threads()) {
        judge(policy, findings, process, Optional.of(thread.tid()), thread.status());
      }
    }
  }

  private static void judge(Policy policy, FindingCollector findings, ProcessSnapshot process, Optional<Integer> tid,
      ProcStatus status) {
    String uid = Integer.toUnsignedString(status.effectiveUid());
    String subject = tid.map(t -> "thread " + t + " (" + status.name() + ", uid " + uid + ") of pid "
        + process.pidInContainer()).orElse("pid " + process.pidInContainer() + " (" + status.name() + ", uid " + uid
            + ")");
    FindingCollector.Holder holder = new FindingCollector.Holder(FindingContext.PROCESS,
        AuditContext.forProcess(status.runsAsRoot()), Optional.of(process.pidInContainer()), tid, Optional.empty(),
        subject);
    SetJudging.judgeAll(policy, findings, holder, status.capabilities(), !status.runsAsRoot(), status.noNewPrivs());
  }
}
