package dev.capaudit.scanner.minimize;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.capability.CapabilitySets;
import dev.capaudit.rules.model.ExecView;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.model.ThreadSnapshot;
import dev.capaudit.rules.policy.AuditContext;
import dev.capaudit.rules.proc.ProcStatus;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Tells who needs a kept capability from the live audits of the passing trials: a non-root process that holds it
 * (ambient or file capabilities), a root process that holds it, or nobody once the workload runs (the entrypoint used
 * it at start-up), and in which contexts it was held.
 */
final class NeedAnalysis {
  private static final Set<CapabilitySetKind> USED = EnumSet.of(CapabilitySetKind.PERMITTED,
      CapabilitySetKind.EFFECTIVE, CapabilitySetKind.AMBIENT);

  private final Capability capability;
  private final Set<String> holders = new LinkedHashSet<>();
  private final Set<AuditContext> contexts = EnumSet.of(AuditContext.CONFIG);
  private boolean usedByRoot;
  private boolean usedByNonRoot;

  private NeedAnalysis(Capability capability) {
    this.capability = capability;
  }

  static KeptCapability of(Capability capability, List<TargetSnapshot> passing, boolean startsAsRoot,
      Optional<TrialOutcome> without) {
    NeedAnalysis analysis = new NeedAnalysis(capability);
    passing.forEach(analysis::read);
    Need need = analysis.usedByNonRoot ? Need.NON_ROOT : analysis.usedByRoot ? Need.ROOT_PROCESS
        : startsAsRoot ? Need.ROOT_START_UP : Need.NON_ROOT_START_UP;
    if (need == Need.ROOT_START_UP) {
      analysis.contexts.add(AuditContext.ROOT_PROCESS);
    }
    return new KeptCapability(capability, need, without, List.copyOf(analysis.holders), analysis.contexts);
  }

  private void read(TargetSnapshot snapshot) {
    for (ProcessSnapshot process : snapshot.processes()) {
      read(process.status(), "pid " + process.pidInContainer());
      for (ThreadSnapshot thread : process.threads()) {
        read(thread.status(), "tid " + thread.tid() + " of pid " + process.pidInContainer());
      }
    }
    for (ExecView view : snapshot.exec()) {
      List<String> sets = setsHolding(view.capabilities());
      if (!sets.isEmpty()) {
        contexts.add(AuditContext.forExec(view.root()));
        holders.add("docker exec as " + view.user() + ": " + String.join(", ", sets));
      }
    }
  }

  private void read(ProcStatus status, String who) {
    List<String> sets = setsHolding(status.capabilities());
    if (sets.isEmpty()) {
      return;
    }
    boolean root = status.runsAsRoot();
    contexts.add(AuditContext.forProcess(root));
    boolean used = USED.stream().anyMatch(kind -> status.capabilities().getOrEmpty(kind).contains(capability));
    usedByRoot |= root && used;
    usedByNonRoot |= !root && used;
    holders.add(who + " (" + status.name() + ", uid " + Integer.toUnsignedLong(status.effectiveUid()) + "): "
        + String.join(", ", sets));
  }

  private List<String> setsHolding(CapabilitySets sets) {
    List<String> holding = new ArrayList<>();
    sets.masks().forEach((kind, mask) -> {
      if (mask.contains(capability)) {
        holding.add(kind.id());
      }
    });
    return holding;
  }
}
