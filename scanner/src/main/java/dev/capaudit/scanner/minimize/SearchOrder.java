package dev.capaudit.scanner.minimize;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The order the search takes a starting set's capabilities in. Needed capabilities that share a group cost fewer
 * trials than needed ones spread over many groups, so the ones entrypoints most often need (the set-id and ownership
 * capabilities a step-down to a user uses, SETPCAP for the bounding-set drop) come first and Docker's other
 * defaults, which workloads rarely need, last; every other capability follows in bit order. The order changes how
 * many trials the search takes, never which set it finds.
 */
final class SearchOrder {
  private static final List<Capability> LIKELY_NEEDED_FIRST = List.of(
      Capability.SETPCAP, Capability.SETUID, Capability.SETGID,
      Capability.CHOWN, Capability.FOWNER, Capability.DAC_OVERRIDE, Capability.KILL,
      Capability.NET_BIND_SERVICE, Capability.FSETID, Capability.SYS_CHROOT, Capability.MKNOD,
      Capability.AUDIT_WRITE, Capability.NET_RAW, Capability.SETFCAP);

  private SearchOrder() {}

  static List<Capability> of(CapabilityMask start) {
    Set<Capability> ordered = new LinkedHashSet<>(LIKELY_NEEDED_FIRST);
    ordered.addAll(List.of(Capability.values()));
    List<Capability> result = new ArrayList<>();
    for (Capability capability : ordered) {
      if (start.contains(capability)) {
        result.add(capability);
      }
    }
    return result;
  }
}
