package dev.capaudit.rules.engine;

import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.model.ThreadSnapshot;
import dev.capaudit.rules.policy.AuditContext;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.rules.proc.ProcStatus;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Judges every set of every process, and of every thread whose sets differ from its leader's, in the root or
 * non-root process context its effective uid puts it in.
 */
final class ProcessCheck implements Check {
  @Override
  public void check(TargetSnapshot target, Policy policy, FindingCollector findings) {
    for (ProcessSnapshot process : target.processes()) {
      ProcStatus status = process.status();
      judge(policy, findings, site(Holder.Kind.PROCESS, status, Holder.Member.process(process.pidInContainer())),
          status);
      for (ThreadSnapshot thread : process.threads()) {
        judge(policy, findings, site(Holder.Kind.THREAD, thread.status(),
            Holder.Member.thread(process.pidInContainer(), thread.tid())), thread.status());
      }
    }
  }

  /** The holder a process or thread is judged as: its name, effective uid and the context they put it in. */
  static FindingCollector.Site site(Holder.Kind kind, ProcStatus status, Holder.Member member) {
    return new FindingCollector.Site(AuditContext.forProcess(status.runsAsRoot()), kind, status.name(),
        OptionalLong.of(Integer.toUnsignedLong(status.effectiveUid())), Optional.of(member));
  }

  private static void judge(Policy policy, FindingCollector findings, FindingCollector.Site site, ProcStatus status) {
    SetJudging.judgeAll(policy, findings, site, status.capabilities(), !status.runsAsRoot(), status.noNewPrivs());
  }
}
