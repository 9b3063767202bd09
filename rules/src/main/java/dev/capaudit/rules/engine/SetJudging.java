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

  static void judgeAll(Policy policy, FindingCollector findings, FindingCollector.Site site, CapabilitySets sets,
      boolean nonRoot, Optional<Boolean> noNewPrivs) {
    for (CapabilitySetKind kind : policy.checkedSets()) {
      sets.get(kind).ifPresent(mask -> findings.judgeSet(policy, site, kind, mask));
    }
    if (nonRoot) {
      ambient(findings, site, sets);
      regainPath(policy, findings, site, sets, noNewPrivs);
    }
  }

  private static void ambient(FindingCollector findings, FindingCollector.Site site, CapabilitySets sets) {
    CapabilityMask ambient = sets.getOrEmpty(CapabilitySetKind.AMBIENT);
    for (int bit = 0; bit < Long.SIZE; bit++) {
      if (ambient.hasBit(bit)) {
        findings.add(site, Rules.AMBIENT_ON_NON_ROOT, CapabilityRef.ofBit(bit), CapabilitySetKind.AMBIENT, ambient,
            "", "every program it executes keeps it");
      }
    }
  }

  /**
   * A non-root process with an empty effective set looks harmless, but with the capability still in its bounding
   * set and no_new_privs off, exec of a setuid-root or file-capability binary raises it again.
   */
  private static void regainPath(Policy policy, FindingCollector findings, FindingCollector.Site site,
      CapabilitySets sets, Optional<Boolean> noNewPrivs) {
    Optional<CapabilityMask> effective = sets.get(CapabilitySetKind.EFFECTIVE);
    Optional<CapabilityMask> bounding = sets.get(CapabilitySetKind.BOUNDING);
    if (effective.isEmpty() || !effective.get().isEmpty() || bounding.isEmpty() || noNewPrivs.orElse(false)) {
      return;
    }
    String nnp = noNewPrivs.isPresent() ? "NoNewPrivs=0" : "NoNewPrivs not reported by this kernel";
    for (Capability capability : bounding.get().intersect(policy.mustDropMask()).capabilities()) {
      findings.add(site, Rules.REGAIN_PATH, CapabilityRef.of(capability), CapabilitySetKind.BOUNDING,
          bounding.get(), "empty effective set, " + nnp, "a setuid or file-capability binary can raise it again");
    }
  }
}
