package dev.capaudit.rules.policy;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilitySetKind;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Says in words what a policy means, for {@code capaudit policy check}. */
public final class PolicyDescription {
  private PolicyDescription() {}

  public static List<String> lines(Policy policy) {
    List<String> lines = new ArrayList<>();
    lines.add("Policy '" + policy.name() + "'" + (policy.description().isBlank() ? "" : ": " + policy.description()));
    lines.add("Sets checked: " + policy.checkedSets().stream().map(CapabilitySetKind::id)
        .collect(Collectors.joining(", ")) + ".");
    lines.add("Must be dropped in every set and context (" + policy.mustDrop().size() + "): "
        + names(policy.mustDrop()) + ".");
    for (LoadBearing lb : policy.loadBearing().values()) {
      String where = lb.contexts().size() == AuditContext.values().length
          ? "anywhere"
          : "only in " + lb.contexts().stream().sorted().map(AuditContext::id).collect(Collectors.joining(", "));
      lines.add("Load-bearing " + lb.capability().canonicalName() + ", allowed " + where + ": " + lb.reason());
    }
    lines.add("Any other capability: " + switch (policy.unlisted()) {
      case FAIL -> "not allowed anywhere (a violation).";
      case WARN -> "reported as a warning.";
      case ALLOW -> "allowed.";
    });
    for (AuditContext context : AuditContext.values()) {
      lines.add("  " + context.id() + " may hold " + policy.allowedIn(context) + " "
          + policy.allowedIn(context).names());
    }
    return lines;
  }

  private static String names(Iterable<Capability> capabilities) {
    List<String> names = new ArrayList<>();
    capabilities.forEach(c -> names.add(c.canonicalName()));
    return names.isEmpty() ? "none" : String.join(", ", names);
  }
}
