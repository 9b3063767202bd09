package dev.capaudit.scanner.minimize;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.policy.AuditContext;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A capability of the minimal set, with the evidence that it is needed and who holds it.
 *
 * @param without the failed trial without it; empty when a search cut short never tried that
 * @param holders the processes, threads and exec views that held it in the passing trials, with the sets
 * @param contexts where it was held: the policy's load-bearing contexts for it
 */
public record KeptCapability(Capability capability, Need need, Optional<TrialOutcome> without, List<String> holders,
    Set<AuditContext> contexts) {
  public KeptCapability {
    holders = List.copyOf(holders);
    contexts = Set.copyOf(contexts);
  }
}
