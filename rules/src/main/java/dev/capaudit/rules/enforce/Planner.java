package dev.capaudit.rules.enforce;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilityNames;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.engine.Verdict;
import dev.capaudit.rules.model.ContainerConfig;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.policy.AuditContext;
import dev.capaudit.rules.policy.LoadBearing;
import dev.capaudit.rules.policy.Policy;
import java.util.ArrayList;
import java.util.List;

/**
 * Works out the settings that make a policy true at the runtime level: drop everything, add back exactly the
 * load-bearing capabilities the container's root context may keep, or, for a non-root workload, only the allowed
 * ones it actually uses.
 */
public final class Planner {
  private Planner() {}

  public static EnforcementPlan plan(Policy policy, TargetResult audited, boolean noNewPrivileges) {
    TargetSnapshot target = audited.target();
    ContainerConfig config = target.config().orElseThrow(() -> new IllegalArgumentException(
        "no configuration for " + target.name() + ": only containers can be enforced"));
    // The user the container starts as decides, not who runs later: an entrypoint that steps down to a non-root
    // agent still needs the root-only capabilities to do so.
    // Enforcing only ever takes away: a load-bearing capability the container does not have today is not added.
    List<Capability> add = (config.startsAsRoot() ? rootKeeps(policy) : nonRootUses(policy, target)).stream()
        .filter(c -> config.boundingSet().contains(c)).toList();
    CapabilityMask desired = CapabilityMask.of(add);
    CapabilityMask removed = config.boundingSet().minus(desired);
    List<String> warnings = new ArrayList<>();
    for (ProcessSnapshot process : target.processes()) {
      CapabilityMask lost = process.status().capabilities().getOrEmpty(CapabilitySetKind.EFFECTIVE).intersect(removed);
      for (String name : lost.names()) {
        warnings.add("pid " + process.pidInContainer() + " (" + process.status().name() + ") holds " + name
            + " in its effective set now; the new settings remove it");
      }
    }
    boolean complies = audited.verdict() == Verdict.PASS && hasSettings(config, desired, noNewPrivileges);
    return new EnforcementPlan(target.name(), config.boundingSet(), add, noNewPrivileges, removed, warnings,
        complies);
  }

  /** The explicitly load-bearing capabilities allowed in a root process and in the configuration. */
  private static List<Capability> rootKeeps(Policy policy) {
    List<Capability> keep = new ArrayList<>();
    for (LoadBearing lb : policy.loadBearing().values()) {
      if (lb.allowedIn(AuditContext.ROOT_PROCESS) && lb.allowedIn(AuditContext.CONFIG)) {
        keep.add(lb.capability());
      }
    }
    keep.sort(null);
    return keep;
  }

  /** For a non-root workload: allowed capabilities it holds in its effective set (granted by file caps, say). */
  private static List<Capability> nonRootUses(Policy policy, TargetSnapshot target) {
    CapabilityMask used = CapabilityMask.EMPTY;
    for (ProcessSnapshot process : target.processes()) {
      used = used.union(process.status().capabilities().getOrEmpty(CapabilitySetKind.EFFECTIVE));
    }
    CapabilityMask allowed = policy.allowedIn(AuditContext.NONROOT_PROCESS).intersect(policy.allowedIn(
        AuditContext.CONFIG));
    return used.intersect(allowed).capabilities();
  }

  private static boolean hasSettings(ContainerConfig config, CapabilityMask desired, boolean noNewPrivileges) {
    boolean dropsAll = config.capDrop().stream().anyMatch(CapabilityNames::isAll);
    return dropsAll && !config.privileged() && config.boundingSet().equals(desired)
        && (!noNewPrivileges || config.noNewPrivileges());
  }

}
