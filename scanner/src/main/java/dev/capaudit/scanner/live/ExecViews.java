package dev.capaudit.scanner.live;

import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySets;
import dev.capaudit.rules.model.ContainerConfig;
import dev.capaudit.rules.model.ExecView;
import dev.capaudit.rules.model.ObservationSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Who the exec-shell view is probed as, and what it is when no probe can run. */
final class ExecViews {
  static final List<String> PROBE_COMMAND = List.of("cat", "/proc/self/status");

  private ExecViews() {}

  /** The configured user (root when unset), root, then any extra users, without repeats. */
  static List<String> users(String configuredUser, List<String> extra) {
    Set<String> users = new LinkedHashSet<>();
    users.add(normalize(configuredUser));
    users.add("0");
    extra.forEach(u -> users.add(normalize(u)));
    return List.copyOf(users);
  }

  /**
   * What docker exec gives when it cannot be probed: moby starts an exec from the container's process spec, so a
   * root exec gets the whole configured bounding set as permitted and effective, a non-root one only the bounding
   * set. A user name cannot be resolved without the container's files; only {@code root} is taken as root.
   */
  static ExecView derived(String user, ContainerConfig config) {
    boolean root = isRoot(user);
    CapabilityMask bounding = config.boundingSet();
    CapabilityMask held = root ? bounding : CapabilityMask.EMPTY;
    return new ExecView(user, root, CapabilitySets.of(CapabilityMask.EMPTY, held, held, bounding,
        CapabilityMask.EMPTY), Optional.of(config.noNewPrivileges()), ObservationSource.DERIVED);
  }

  static boolean isRoot(String user) {
    return ContainerConfig.isRootUser(user);
  }

  private static String normalize(String user) {
    String trimmed = user == null ? "" : user.trim();
    return trimmed.isEmpty() || trimmed.toLowerCase(Locale.ROOT).equals("root") ? "0" : trimmed;
  }
}
