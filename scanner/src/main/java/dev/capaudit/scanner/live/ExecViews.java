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
import java.util.OptionalLong;
import java.util.Set;

/** Who the exec-shell view is read as, and what it is when neither the runtime's spec nor a probe can say. */
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
   * What docker exec gives when neither the spec nor a probe is available: moby starts an exec from the container's
   * process spec, so a root exec gets the whole configured bounding set as permitted and effective, a non-root one
   * only the bounding set.
   */
  static ExecView derived(String user, boolean root, ContainerConfig config) {
    CapabilityMask bounding = config.boundingSet();
    CapabilityMask held = root ? bounding : CapabilityMask.EMPTY;
    return new ExecView(user, root, CapabilitySets.of(CapabilityMask.EMPTY, held, held, bounding,
        CapabilityMask.EMPTY), Optional.of(config.noNewPrivileges()), ObservationSource.DERIVED);
  }

  /** The uid in a Docker user spec ({@code 1000}, {@code 1000:1000}, {@code root}); empty for a name. */
  static OptionalLong numericUid(String user) {
    String name = user.split(":", 2)[0].trim();
    if (name.isEmpty() || name.equals("root")) {
      return OptionalLong.of(0);
    }
    try {
      return OptionalLong.of(Long.parseLong(name));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** The user name part of a user spec ({@code sandbox} of {@code sandbox:sandbox}). */
  static String userName(String user) {
    return user.split(":", 2)[0].trim();
  }

  private static String normalize(String user) {
    String trimmed = user == null ? "" : user.trim();
    return trimmed.isEmpty() || trimmed.toLowerCase(Locale.ROOT).equals("root") ? "0" : trimmed;
  }
}
