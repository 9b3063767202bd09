package dev.capaudit.rules.enforce;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import java.util.List;

/**
 * The runtime settings that make a policy true for one container, and what changing to them costs.
 *
 * @param capAdd exactly what the new container adds after {@code CapDrop: [ALL]}
 * @param removed capabilities the configured bounding set loses
 * @param warnings capabilities a process holds in its effective set today that the new settings take away: the
 *     workload may need them (rollback catches it if it does)
 * @param alreadyComplies the container passes the policy and has these settings: enforcing changes nothing
 */
public record EnforcementPlan(String target, CapabilityMask currentBoundingSet, List<Capability> capAdd,
    boolean noNewPrivileges, CapabilityMask removed, List<String> warnings, boolean alreadyComplies) {
  public EnforcementPlan {
    capAdd = List.copyOf(capAdd);
    warnings = List.copyOf(warnings);
  }

  /** The new bounding set: nothing but the added capabilities. */
  public CapabilityMask newBoundingSet() {
    return CapabilityMask.of(capAdd);
  }

  /** {@code SETUID, SETGID}: names as Docker's CapAdd takes them. */
  public List<String> capAddNames() {
    return capAdd.stream().map(Capability::name).toList();
  }
}
