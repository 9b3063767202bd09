package dev.capaudit.rules.model;

import dev.capaudit.rules.capability.CapabilityMask;
import java.util.List;
import java.util.Optional;

/**
 * What the runtime was asked for: privileged, CapAdd and CapDrop as written (raw strings: lower-case, {@code ALL}
 * and unknown names are data, not errors), the user, security options, and the bounding set that follows.
 *
 * @param boundingSet the bounding set the runtime applied: its own OCI spec's where that could be read, otherwise
 *     computed from the settings as the engine computes it
 * @param pidMode {@code ""} (own namespace), {@code host} or {@code container:ID}
 */
public record ContainerConfig(
    boolean privileged,
    List<String> capAdd,
    List<String> capDrop,
    CapabilityMask boundingSet,
    String user,
    boolean noNewPrivileges,
    Optional<String> seccompProfile,
    List<String> securityOptions,
    String pidMode) {

  public ContainerConfig {
    capAdd = List.copyOf(capAdd);
    capDrop = List.copyOf(capDrop);
    securityOptions = List.copyOf(securityOptions);
  }

  /** A container with its own pid namespace. */
  public ContainerConfig(boolean privileged, List<String> capAdd, List<String> capDrop, CapabilityMask boundingSet,
      String user, boolean noNewPrivileges, Optional<String> seccompProfile, List<String> securityOptions) {
    this(privileged, capAdd, capDrop, boundingSet, user, noNewPrivileges, seccompProfile, securityOptions, "");
  }

  /** Whether the container shares the host's pid namespace ({@code --pid=host}): it sees every host process. */
  public boolean sharesHostPids() {
    return "host".equals(pidMode);
  }

  /** Whether the container joins another container's pid namespace ({@code --pid=container:X}). */
  public boolean sharesContainerPids() {
    return pidMode.startsWith("container:");
  }

  /** The same configuration with another bounding set (the one the runtime's own spec shows). */
  public ContainerConfig withBoundingSet(CapabilityMask mask) {
    return new ContainerConfig(privileged, capAdd, capDrop, mask, user, noNewPrivileges, seccompProfile,
        securityOptions, pidMode);
  }

  /** Whether the container's processes start as root: no user configured, or user 0 / root (any group). */
  public boolean startsAsRoot() {
    return isRootUser(user);
  }

  /** Whether a Docker user spec ({@code ""}, {@code 0}, {@code root:wheel}, {@code 1000:1000}) means root. */
  public static boolean isRootUser(String user) {
    String name = user.split(":", 2)[0];
    return name.isEmpty() || name.equals("0") || name.equals("root");
  }
}
