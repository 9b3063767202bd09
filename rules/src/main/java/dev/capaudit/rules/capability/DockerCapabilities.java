package dev.capaudit.rules.capability;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How Docker turns privileged, CapAdd and CapDrop into a container's bounding set, following moby's
 * {@code oci/caps}: the engine's 14 defaults, plus CapAdd, minus CapDrop, where {@code ALL} in CapAdd means every
 * capability and {@code ALL} in CapDrop starts from nothing.
 */
public final class DockerCapabilities {
  /** Docker's default set (moby oci/caps/defaults.go): {@code 0xa80425fb}. */
  public static final CapabilityMask DEFAULT_SET = CapabilityMask.of(
      Capability.CHOWN, Capability.DAC_OVERRIDE, Capability.FSETID, Capability.FOWNER, Capability.MKNOD,
      Capability.NET_RAW, Capability.SETGID, Capability.SETUID, Capability.SETFCAP, Capability.SETPCAP,
      Capability.NET_BIND_SERVICE, Capability.SYS_CHROOT, Capability.KILL, Capability.AUDIT_WRITE);

  private DockerCapabilities() {}

  /**
   * The bounding set Docker gives a container's processes.
   *
   * @param kernelCapabilities every capability the engine's kernel knows (what {@code ALL} and privileged expand to)
   */
  public static ConfiguredBoundingSet boundingSet(
      boolean privileged, List<String> capAdd, List<String> capDrop, CapabilityMask kernelCapabilities) {
    List<String> unknown = new ArrayList<>();
    if (privileged) {
      return new ConfiguredBoundingSet(kernelCapabilities, unknown);
    }
    boolean addAll = capAdd.stream().anyMatch(CapabilityNames::isAll);
    boolean dropAll = capDrop.stream().anyMatch(CapabilityNames::isAll);
    CapabilityMask added = resolve(capAdd, unknown);
    CapabilityMask dropped = resolve(capDrop, unknown);
    // moby: with ALL in CapAdd everything is kept (minus explicit drops); with ALL in CapDrop only the adds remain.
    CapabilityMask base = addAll ? kernelCapabilities : dropAll ? CapabilityMask.EMPTY : DEFAULT_SET;
    CapabilityMask result = addAll ? base.minus(dropped) : base.minus(dropped).union(added);
    return new ConfiguredBoundingSet(result.intersect(kernelCapabilities), unknown);
  }

  private static CapabilityMask resolve(List<String> names, List<String> unknown) {
    CapabilityMask mask = CapabilityMask.EMPTY;
    for (String name : names) {
      if (CapabilityNames.isAll(name)) {
        continue;
      }
      Optional<Capability> capability = Capability.parse(name);
      if (capability.isPresent()) {
        mask = mask.union(CapabilityMask.of(capability.get()));
      } else {
        unknown.add(name);
      }
    }
    return mask;
  }

  /** The computed set and the CapAdd/CapDrop names it could not resolve (kept as raw strings, never a crash). */
  public record ConfiguredBoundingSet(CapabilityMask mask, List<String> unknownNames) {
    public ConfiguredBoundingSet {
      unknownNames = List.copyOf(unknownNames);
    }
  }
}
