package dev.capaudit.rules.engine;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.capability.CapabilitySets;
import dev.capaudit.rules.policy.Policy;
import java.util.Optional;

/** The checks shared by container processes and exec views: the five sets, ambient on non-root, regain paths. */
final class SetJudging {
  private SetJudging() {}

  static void judgeAll(Policy policy, FindingCollector findings, FindingCollector.Holder holder, CapabilitySets sets,
      boolean nonRoot, Optional<Boolean> noNewPrivs) {
    for (CapabilitySetKind kind : policy.checkedSets()) {
      sets.get(kind).ifPresent(mask -> findings.judgeSet(policy, holder, kind, mask));
    }
    if (nonRoot) {
      ambient(findings, holder, sets);
      regainPath(policy, findings, holder, sets, noNewPrivs);
    }
  }

  private static void ambient(FindingCollector findings, FindingCollector.Holder holder, CapabilitySets sets) {
    CapabilityMask ambient = sets.getOrEmpty(CapabilitySetKind.AMBIENT);
    for (String name : ambient.names()) {
      findings.add(holder, Rules.AMBIENT_ON_NON_ROOT, Severity.MEDIUM, name, CapabilitySetKind.AMBIENT, ambient,
          name + " is in the ambient set of " + holder.subject() + " (CapAmb=" + ambient
              + "): every program it executes keeps it");
    }
  }

  /**
   * A non-root process with an empty effective set looks harmless, but with the capability still in its bounding
   * set and no_new_privs off, exec of a setuid-root or file-capability binary raises it again.
   */
  private static void regainPath(Policy policy, FindingCollector findings, FindingCollector.Holder holder,
      CapabilitySets sets, Optional<Boolean> noNewPrivs) {
    Optional<CapabilityMask> effective = sets.get(CapabilitySetKind.EFFECTIVE);
    Optional<CapabilityMask> bounding = sets.get(CapabilitySetKind.BOUNDING);
    if (effective.isEmpty() || !effective.get().isEmpty() || bounding.isEmpty() || noNewPrivs.orElse(false)) {
      return;
    }
    String nnp = noNewPrivs.isPresent() ? "NoNewPrivs=0" : "NoNewPrivs not reported by this kernel";
    for (Capability capability : bounding.get().intersect(policy.mustDropMask()).capabilities()) {
      findings.add(holder, Rules.REGAIN_PATH, Severity.HIGH, capability.canonicalName(), CapabilitySetKind.BOUNDING,
          bounding.get(), holder.subject() + " has an empty effective set but keeps " + capability.canonicalName()
              + " in CapBnd=" + bounding.get() + " with " + nnp
              + ": a setuid or file-capability binary can raise it again");
    }
  }
}
