package dev.capaudit.rules.policy;

import dev.capaudit.rules.capability.Capability;
import java.util.EnumSet;
import java.util.Set;

/** A capability a workload needs, why, and the contexts where it may remain. */
public record LoadBearing(Capability capability, String reason, Set<AuditContext> contexts) {
  public LoadBearing {
    contexts = contexts.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(contexts));
  }

  public boolean allowedIn(AuditContext context) {
    return contexts.contains(context);
  }
}
