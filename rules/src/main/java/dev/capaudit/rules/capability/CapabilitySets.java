package dev.capaudit.rules.capability;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The capability sets read for one process or exec view. A set the source did not report (older kernels lack
 * CapAmb) is absent, not empty.
 */
public record CapabilitySets(Map<CapabilitySetKind, CapabilityMask> masks) {
  public CapabilitySets {
    EnumMap<CapabilitySetKind, CapabilityMask> copy = new EnumMap<>(CapabilitySetKind.class);
    copy.putAll(masks);
    masks = Collections.unmodifiableMap(copy);
  }

  public Optional<CapabilityMask> get(CapabilitySetKind kind) {
    return Optional.ofNullable(masks.get(kind));
  }

  /** The set, or empty when the source did not report it. */
  public CapabilityMask getOrEmpty(CapabilitySetKind kind) {
    return masks.getOrDefault(kind, CapabilityMask.EMPTY);
  }

  /** What a process gets when all five sets equal one mask but for ambient (a root exec shell). */
  public static CapabilitySets of(
      CapabilityMask inheritable,
      CapabilityMask permitted,
      CapabilityMask effective,
      CapabilityMask bounding,
      CapabilityMask ambient) {
    EnumMap<CapabilitySetKind, CapabilityMask> map = new EnumMap<>(CapabilitySetKind.class);
    map.put(CapabilitySetKind.INHERITABLE, inheritable);
    map.put(CapabilitySetKind.PERMITTED, permitted);
    map.put(CapabilitySetKind.EFFECTIVE, effective);
    map.put(CapabilitySetKind.BOUNDING, bounding);
    map.put(CapabilitySetKind.AMBIENT, ambient);
    return new CapabilitySets(map);
  }
}
