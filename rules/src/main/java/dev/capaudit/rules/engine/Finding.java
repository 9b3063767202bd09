package dev.capaudit.rules.engine;

import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.policy.AuditContext;
import java.util.Comparator;
import java.util.Optional;

/**
 * One violation or warning: one capability, in one set, of one process or exec view or configuration.
 *
 * @param capability the capability's name ({@code CAP_SYS_ADMIN}, {@code CAP_41}, or {@code ALL} for CapAdd)
 * @param pid the pid inside the container for process findings, empty otherwise
 * @param tid the thread inside that process, for a thread whose sets differ from its leader's
 * @param subject who holds it, for messages: {@code pid 1 (sleep, uid 1000)}, {@code exec as 0}; attacker-controlled
 * @param mask the whole observed set the capability was found in ({@code 0x200100}), empty for config rules
 */
public record Finding(
    Rule rule,
    Severity severity,
    String capability,
    FindingContext context,
    AuditContext policyContext,
    Optional<Integer> pid,
    Optional<Integer> tid,
    Optional<String> execUser,
    Optional<CapabilitySetKind> set,
    Optional<String> mask,
    String subject,
    String message) {

  /**
   * The order findings are shown in: highest severity; among equals a process (the kernel's truth), then exec,
   * then config; and the bounding set first, as it bounds everything a process could ever regain.
   */
  public static final Comparator<Finding> WORST_FIRST = Comparator.comparing(Finding::severity)
      .thenComparing(Finding::context)
      .thenComparing(f -> f.set().map(s -> s == CapabilitySetKind.BOUNDING ? 0 : 1 + s.ordinal()).orElse(0));

  public boolean failsTarget() {
    return severity.failsTarget();
  }
}
