package dev.capaudit.reports.html;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.capability.DockerCapabilities;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a target runs with, in the words a reader recognises a population by: {@code Docker's defaults as root},
 * {@code Docker's defaults + SYS_ADMIN, SYS_PTRACE as root}, {@code bounding set SYS_ADMIN, SETPCAP as non-root},
 * {@code privileged as root}. The bounding set is the configured one, else what the processes hold.
 */
record TargetProfile(String bounding, String user) {
  /** Up to this many capabilities are named; beyond it the mask itself is shown. */
  private static final int NAMED = 6;

  static Optional<TargetProfile> of(TargetSnapshot target) {
    if (!target.hasObservations()) {
      return Optional.empty();
    }
    boolean privileged = target.config().map(c -> c.privileged()).orElse(false);
    CapabilityMask bounding = target.config().map(c -> c.boundingSet()).orElseGet(() -> processBounding(target));
    return Optional.of(new TargetProfile(privileged ? "privileged" : describe(bounding), user(target)));
  }

  /** The profile all targets share, or empty when they differ. */
  static Optional<TargetProfile> common(List<TargetSnapshot> targets) {
    Optional<TargetProfile> first = of(targets.get(0));
    for (TargetSnapshot target : targets) {
      if (!of(target).equals(first)) {
        return Optional.empty();
      }
    }
    return first;
  }

  @Override
  public String toString() {
    return user.isEmpty() ? bounding : bounding + " as " + user;
  }

  /** The bounding set against Docker's 14 defaults, which most containers start from. */
  static String describe(CapabilityMask mask) {
    CapabilityMask defaults = DockerCapabilities.DEFAULT_SET;
    CapabilityMask added = mask.minus(defaults);
    CapabilityMask removed = defaults.minus(mask);
    if (mask.isEmpty()) {
      return "no capabilities";
    }
    if (added.size() + removed.size() <= NAMED && removed.size() < defaults.size() / 2) {
      return "Docker's defaults" + (added.isEmpty() ? "" : " + " + named(added)) + (removed.isEmpty() ? ""
          : " \u2212 " + named(removed));
    }
    return "bounding set " + (mask.size() <= NAMED ? named(mask) : mask + " (" + mask.size() + " capabilities)");
  }

  /** The capabilities, most dangerous first: {@code SYS_ADMIN, SYS_PTRACE, NET_ADMIN}. */
  private static String named(CapabilityMask mask) {
    List<Capability> known = new ArrayList<>(mask.capabilities());
    known.sort(Comparator.comparingInt(Capability::riskRank));
    List<String> names = new ArrayList<>();
    known.forEach(c -> names.add(c.name()));
    mask.unknownBits().forEach(bit -> names.add(CapabilityMask.unknownName(bit)));
    return String.join(", ", names);
  }

  private static CapabilityMask processBounding(TargetSnapshot target) {
    CapabilityMask all = CapabilityMask.EMPTY;
    for (ProcessSnapshot p : target.processes()) {
      all = all.union(p.status().capabilities().getOrEmpty(CapabilitySetKind.BOUNDING));
    }
    return all;
  }

  /** Who the processes run as: {@code root}, {@code non-root}, both, or empty with no process. */
  private static String user(TargetSnapshot target) {
    boolean root = target.processes().stream().anyMatch(p -> p.status().runsAsRoot());
    boolean other = target.processes().stream().anyMatch(p -> !p.status().runsAsRoot());
    return root && other ? "root and non-root" : root ? "root" : other ? "non-root" : "";
  }
}
