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
