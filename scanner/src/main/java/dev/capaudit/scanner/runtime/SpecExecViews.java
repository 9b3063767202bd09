package dev.capaudit.scanner.runtime;

import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.capability.CapabilitySets;
import java.util.Optional;

/**
 * What an exec process gets, computed from the container's OCI spec as the kernel applies it. The runtime starts
 * the exec with the spec's five sets and the exec user, then executes its shell, and {@code execve} transforms the
 * sets (capabilities(7)):
 * <ul>
 *   <li>as root: permitted = effective = the bounding set (with the inheritable and ambient sets);
 *   <li>as a non-root user: permitted = effective = the ambient set (empty unless the spec raises ambient
 *       capabilities); the bounding set stays the spec's;
 *   <li>unless no_new_privs is set, a setuid-root shell makes a non-root exec root, and a shell with file
 *       capabilities gives (inheritable &amp; file inheritable) | (file permitted &amp; bounding), effective only with the
 *       file's effective bit; either clears the ambient set.
 * </ul>
 */
public final class SpecExecViews {
  private SpecExecViews() {}

  /**
   * The sets an exec as this user gets.
   *
   * @param shell the privileges of the shell the exec runs, when it has any
   */
  public static CapabilitySets predict(CapabilitySets spec, boolean root, boolean noNewPrivs,
      Optional<ContainerFiles.Privileges> shell) {
    CapabilityMask bounding = spec.getOrEmpty(CapabilitySetKind.BOUNDING);
    CapabilityMask inheritable = spec.getOrEmpty(CapabilitySetKind.INHERITABLE);
    CapabilityMask ambient = spec.getOrEmpty(CapabilitySetKind.AMBIENT);
    if (root) {
      CapabilityMask held = bounding.union(inheritable).union(ambient);
      return CapabilitySets.of(inheritable, held, held, bounding, ambient);
    }
    if (!noNewPrivs && shell.isPresent() && shell.get().setuidRoot()) {
      CapabilityMask held = bounding.union(inheritable);
      return CapabilitySets.of(inheritable, held, held, bounding, CapabilityMask.EMPTY);
    }
    if (!noNewPrivs && shell.isPresent() && !shell.get().capabilities().isEmpty()) {
      FileCapabilities file = shell.get().capabilities();
      CapabilityMask permitted = inheritable.intersect(file.inheritable()).union(file.permitted().intersect(bounding));
      return CapabilitySets.of(inheritable, permitted, file.effective() ? permitted : CapabilityMask.EMPTY, bounding,
          CapabilityMask.EMPTY);
    }
    return CapabilitySets.of(inheritable, ambient, ambient, bounding, ambient);
  }
}
