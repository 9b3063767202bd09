package dev.capaudit.rules.model;

import dev.capaudit.rules.capability.CapabilityMask;
import java.util.List;
import java.util.Optional;

/**
 * What the runtime was asked for: privileged, CapAdd and CapDrop as written (raw strings: lower-case, {@code ALL}
 * and unknown names are data, not errors), the user, security options, and the bounding set that follows.
 */
public record ContainerConfig(
    boolean privileged,
    List<String> capAdd,
    List<String> capDrop,
    CapabilityMask boundingSet,
    String user,
    boolean noNewPrivileges,
    Optional<String> seccompProfile,
    List<String> securityOptions) {

  public ContainerConfig {
    capAdd = List.copyOf(capAdd);
    capDrop = List.copyOf(capDrop);
    securityOptions = List.copyOf(securityOptions);
  }
}
