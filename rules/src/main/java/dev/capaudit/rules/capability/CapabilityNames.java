package dev.capaudit.rules.capability;

import dev.capaudit.rules.text.AsciiCase;

/** Normalizes capability names the way Docker does: trimmed, upper-case (ASCII letters only), without the {@code CAP_} prefix. */
public final class CapabilityNames {
  /** Docker's word for every capability, accepted in CapAdd and CapDrop in any case. */
  public static final String ALL = "ALL";

  private CapabilityNames() {}

  public static String normalize(String name) {
    return Capability.stripPrefix(AsciiCase.upper(name.trim()));
  }

  public static boolean isAll(String name) {
    return ALL.equals(normalize(name));
  }
}
