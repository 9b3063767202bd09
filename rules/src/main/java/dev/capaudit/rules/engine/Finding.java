package dev.capaudit.rules.engine;

import java.util.Comparator;
import java.util.List;

/**
 * One problem: one rule broken by one capability in one target, with every place it was seen. Severity,
 * rationale and remediation are the rule's; the occurrences say who holds it, in which context and sets.
 *
 * @param downgraded the policy made this a warning ({@code unlisted: warn}): shown as low, it does not fail the
 *     target
 * @param reason why the rule objects, in words ({@code policy 'x' says it must be dropped everywhere})
 * @param occurrences in the order process, exec, config; never empty
 */
public record Finding(Rule rule, CapabilityRef capability, boolean downgraded, String reason,
    List<Occurrence> occurrences) {

  /**
   * The order findings are shown in: highest severity, then the capability's risk rank, then the rules' registry
   * order, then where it was first seen (a process, the kernel's truth, before an exec view and the config).
   */
  public static final Comparator<Finding> WORST_FIRST = Comparator.comparing(Finding::severity)
      .thenComparingInt(f -> f.capability().rank())
      .thenComparingInt(f -> Rules.position(f.rule()))
      .thenComparing(f -> f.first().where())
      .thenComparing(f -> f.capability().name());

  public Finding {
    occurrences = List.copyOf(occurrences);
    if (occurrences.isEmpty()) {
      throw new IllegalArgumentException("a finding needs at least one occurrence");
    }
  }

  /** The rule's severity, or low when the policy downgraded it to a warning. */
  public Severity severity() {
    return downgraded ? Severity.LOW : rule.severity();
  }

  public boolean failsTarget() {
    return severity().failsTarget();
  }

  public Occurrence first() {
    return occurrences.get(0);
  }

  /** Processes, threads, exec shells and configurations holding it, counted one by one. */
  public int holderCount() {
    return occurrences.stream().mapToInt(o -> o.holder().count()).sum();
  }

  /**
   * One line: {@code CAP_SYS_ADMIN in CapBnd of pid 1 (sleep, uid 1000) (CapBnd=0x200100); policy 'x' says it must
   * be dropped everywhere}, naming the first holder and how many more there are.
   */
  public String message() {
    Occurrence first = first();
    StringBuilder text = new StringBuilder(capability.name()).append(" in ");
    if (!first.sets().isEmpty()) {
      text.append(first.setNames()).append(" of ");
    }
    text.append(first.holder().describe());
    if (!first.sets().isEmpty()) {
      text.append(" (").append(first.masks()).append(')');
    }
    int more = holderCount() - first.holder().count();
    if (more > 0) {
      text.append(" and ").append(more).append(more == 1 ? " more holder" : " more holders");
    }
    text.append("; ").append(reason);
    if (!first.note().isEmpty()) {
      text.append(" (").append(first.note()).append(')');
    }
    return text.toString();
  }
}
