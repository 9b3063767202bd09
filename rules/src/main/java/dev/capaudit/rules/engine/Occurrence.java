package dev.capaudit.rules.engine;

import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.policy.AuditContext;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where one finding was seen: in which context, by which holder, in which sets.
 *
 * @param sets each set the capability was found in, with the whole mask observed there; empty for findings on the
 *     configuration's settings (privileged, CapAdd)
 * @param note what this occurrence adds to the rule's reason (the files to regain through, NoNewPrivs, the spec's
 *     prediction); empty when nothing
 */
public record Occurrence(AuditContext context, Holder holder, Map<CapabilitySetKind, CapabilityMask> sets,
    String note) {
  public Occurrence {
    EnumMap<CapabilitySetKind, CapabilityMask> copy = new EnumMap<>(CapabilitySetKind.class);
    copy.putAll(sets);
    sets = Collections.unmodifiableMap(copy);
  }

  /** Process, exec or config: follows from the policy context. */
  public FindingContext where() {
    return switch (context) {
      case ROOT_PROCESS, NONROOT_PROCESS -> FindingContext.PROCESS;
      case ROOT_EXEC, NONROOT_EXEC -> FindingContext.EXEC;
      case CONFIG -> FindingContext.CONFIG;
    };
  }

  /** {@code CapBnd, CapEff}: the sets' /proc field names, in the kernel's order. */
  public String setNames() {
    return sets.keySet().stream().map(CapabilitySetKind::procField).collect(Collectors.joining(", "));
  }

  /** {@code CapBnd=0x200100, CapEff=0x0}. */
  public String masks() {
    return sets.entrySet().stream().map(e -> e.getKey().procField() + "=" + e.getValue())
        .collect(Collectors.joining(", "));
  }
}
