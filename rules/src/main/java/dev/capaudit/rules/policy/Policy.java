package dev.capaudit.rules.policy;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A capability policy: what must be dropped everywhere, what is load-bearing and where, what happens to the rest,
 * and which of the five sets are checked.
 */
public record Policy(
    String name,
    String description,
    Set<Capability> mustDrop,
    Map<Capability, LoadBearing> loadBearing,
    UnlistedAction unlisted,
    Set<CapabilitySetKind> checkedSets) {

  public Policy {
    mustDrop = mustDrop.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(mustDrop));
    EnumMap<Capability, LoadBearing> lb = new EnumMap<>(Capability.class);
    lb.putAll(loadBearing);
    loadBearing = Collections.unmodifiableMap(lb);
    checkedSets = checkedSets.isEmpty()
        ? Collections.unmodifiableSet(EnumSet.allOf(CapabilitySetKind.class))
        : Collections.unmodifiableSet(EnumSet.copyOf(checkedSets));
    for (Capability c : mustDrop) {
      if (loadBearing.containsKey(c)) {
        throw new PolicyViolationException(c.canonicalName() + " is both must-drop and load-bearing");
      }
    }
  }

  public Judgement judge(Capability capability, AuditContext context) {
    if (mustDrop.contains(capability)) {
      return Judgement.MUST_DROP;
    }
    LoadBearing lb = loadBearing.get(capability);
    if (lb != null) {
      return lb.allowedIn(context) ? Judgement.ALLOWED : Judgement.OUTSIDE_ALLOWED_CONTEXTS;
    }
    return unlistedJudgement();
  }

  /** What the policy makes of a capability it lists nowhere, including bits newer than capaudit's model. */
  public Judgement unlistedJudgement() {
    return switch (unlisted) {
      case FAIL -> Judgement.UNLISTED_FAIL;
      case WARN -> Judgement.UNLISTED_WARN;
      case ALLOW -> Judgement.UNLISTED_ALLOWED;
    };
  }

  public Optional<LoadBearing> loadBearing(Capability capability) {
    return Optional.ofNullable(loadBearing.get(capability));
  }

  /** The capabilities that may remain in a context: the mask a compliant process stays within. */
  public CapabilityMask allowedIn(AuditContext context) {
    List<Capability> allowed = new ArrayList<>();
    for (Capability c : Capability.values()) {
      if (!judge(c, context).isFinding()) {
        allowed.add(c);
      }
    }
    return CapabilityMask.of(allowed);
  }

  public CapabilityMask mustDropMask() {
    return CapabilityMask.of(mustDrop);
  }
}
