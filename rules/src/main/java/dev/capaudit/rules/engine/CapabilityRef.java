package dev.capaudit.rules.engine;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilityNames;
import java.util.Objects;
import java.util.Optional;

/**
 * What a finding is about: a capability capaudit knows, a bit from a newer kernel ({@code CAP_41}), Docker's
 * {@code ALL}, or a CapAdd entry that names no capability (kept verbatim: it is container configuration, and
 * attacker-controlled).
 */
public final class CapabilityRef {
  /** What kind of reference this is; also how it ranks among findings of the same severity. */
  public enum Kind { ALL, KNOWN, UNKNOWN_BIT, UNRECOGNISED }

  private static final CapabilityRef ALL = new CapabilityRef(Kind.ALL, null, -1, CapabilityNames.ALL);
  /** Ranks after every known capability: a newer kernel's capability is real, but capaudit cannot say how bad. */
  private static final int UNKNOWN_BIT_RANK = 50;
  private static final int UNRECOGNISED_RANK = 100;

  private final Kind kind;
  private final Capability capability;
  private final int bit;
  private final String name;

  private CapabilityRef(Kind kind, Capability capability, int bit, String name) {
    this.kind = kind;
    this.capability = capability;
    this.bit = bit;
    this.name = name;
  }

  public static CapabilityRef of(Capability capability) {
    return new CapabilityRef(Kind.KNOWN, capability, capability.bit(), capability.canonicalName());
  }

  /** A bit of a mask: the capability when capaudit knows it, {@code CAP_<bit>} otherwise. */
  public static CapabilityRef ofBit(int bit) {
    return Capability.ofBit(bit).map(CapabilityRef::of)
        .orElseGet(() -> new CapabilityRef(Kind.UNKNOWN_BIT, null, bit, CapabilityMask.unknownName(bit)));
  }

  public static CapabilityRef all() {
    return ALL;
  }

  /** A name as written in a configuration or a report: {@code net_raw}, {@code CAP_41}, {@code ALL}, anything. */
  public static CapabilityRef parse(String text) {
    if (CapabilityNames.isAll(text)) {
      return ALL;
    }
    Optional<Capability> known = Capability.parse(text);
    if (known.isPresent()) {
      return of(known.get());
    }
    // Only CAP_41 is a bit: a bare number in a CapAdd list names nothing.
    if (text.matches("CAP_[0-9]{1,2}") && Integer.parseInt(text.substring(4)) < Long.SIZE) {
      return ofBit(Integer.parseInt(text.substring(4)));
    }
    return unrecognised(text);
  }

  /** A CapAdd entry that names no capability, kept as written. */
  public static CapabilityRef unrecognised(String text) {
    return new CapabilityRef(Kind.UNRECOGNISED, null, -1, text);
  }

  public Kind kind() {
    return kind;
  }

  public Optional<Capability> capability() {
    return Optional.ofNullable(capability);
  }

  /** {@code CAP_SYS_ADMIN}, {@code CAP_41}, {@code ALL}, or the unrecognised text as written. */
  public String name() {
    return name;
  }

  /** 0 for ALL, then {@link Capability#riskRank()}, then unknown bits, then names that are no capability. */
  public int rank() {
    return switch (kind) {
      case ALL -> 0;
      case KNOWN -> capability.riskRank();
      case UNKNOWN_BIT -> UNKNOWN_BIT_RANK + bit;
      case UNRECOGNISED -> UNRECOGNISED_RANK;
    };
  }

  /** One line on what it allows, for reports. */
  public String risk() {
    return switch (kind) {
      case ALL -> "every capability the kernel knows";
      case KNOWN -> capability.risk();
      case UNKNOWN_BIT -> "unknown to capaudit (a newer kernel's capability)";
      case UNRECOGNISED -> "not a capability capaudit knows; it cannot be judged";
    };
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CapabilityRef ref && ref.kind == kind && ref.name.equals(name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, name);
  }

  @Override
  public String toString() {
    return name;
  }
}
