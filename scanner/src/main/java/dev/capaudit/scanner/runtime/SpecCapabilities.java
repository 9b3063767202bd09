package dev.capaudit.scanner.runtime;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.capability.CapabilitySets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The capability sets an OCI spec names, as masks. A name capaudit does not know would leave a set incomplete, so
 * such a spec is not used for capabilities at all: the caller falls back and says why.
 */
public final class SpecCapabilities {
  private SpecCapabilities() {}

  /** The five sets the spec gives the container's process, or empty (with the reason) when they cannot be read. */
  public static Optional<CapabilitySets> of(OciSpec spec, List<String> problems) {
    if (spec.process() == null) {
      problems.add("the OCI spec has no process");
      return Optional.empty();
    }
    OciSpec.Capabilities caps = spec.process().capabilities();
    Map<CapabilitySetKind, CapabilityMask> masks = new EnumMap<>(CapabilitySetKind.class);
    List<String> unknown = new ArrayList<>();
    masks.put(CapabilitySetKind.BOUNDING, mask(caps == null ? null : caps.bounding(), unknown));
    masks.put(CapabilitySetKind.EFFECTIVE, mask(caps == null ? null : caps.effective(), unknown));
    masks.put(CapabilitySetKind.PERMITTED, mask(caps == null ? null : caps.permitted(), unknown));
    masks.put(CapabilitySetKind.INHERITABLE, mask(caps == null ? null : caps.inheritable(), unknown));
    masks.put(CapabilitySetKind.AMBIENT, mask(caps == null ? null : caps.ambient(), unknown));
    if (!unknown.isEmpty()) {
      problems.add("the OCI spec names capabilities capaudit does not know: " + String.join(", ", unknown));
      return Optional.empty();
    }
    return Optional.of(new CapabilitySets(masks));
  }

  private static CapabilityMask mask(List<String> names, List<String> unknown) {
    CapabilityMask mask = CapabilityMask.EMPTY;
    if (names == null) {
      return mask;
    }
    for (String name : names) {
      Optional<Capability> capability = name == null ? Optional.empty() : Capability.parse(name);
      if (capability.isPresent()) {
        mask = mask.union(CapabilityMask.of(capability.get()));
      } else {
        unknown.add(String.valueOf(name));
      }
    }
    return mask;
  }
}
