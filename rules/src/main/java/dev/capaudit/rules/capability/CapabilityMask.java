package dev.capaudit.rules.capability;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * A 64-bit capability set as the kernel prints it in /proc/N/status. Bits above {@link Capability#LAST_KNOWN_BIT}
 * are kept and shown as {@code CAP_41}..., never dropped: a newer kernel's capability is still a capability.
 */
public record CapabilityMask(long bits) {
  public static final CapabilityMask EMPTY = new CapabilityMask(0L);

  /** Every capability this model knows: {@code 0x1ffffffffff}. */
  public static final CapabilityMask ALL_KNOWN = new CapabilityMask((1L << (Capability.LAST_KNOWN_BIT + 1)) - 1);

  /**
   * Parses a mask as /proc prints it (16 hex digits, e.g. {@code 00000000a80425fb}) or as people write it
   * ({@code 0xa80425fb}).
   *
   * @throws IllegalArgumentException if the text is not at most 16 hex digits
   */
  public static CapabilityMask parse(String text) {
    String hex = text.trim();
    if (hex.startsWith("0x") || hex.startsWith("0X")) {
      hex = hex.substring(2);
    }
    if (hex.isEmpty() || hex.length() > 16 || !hex.chars().allMatch(CapabilityMask::isHexDigit)) {
      throw new IllegalArgumentException("not a capability mask (at most 16 hex digits): '" + text + "'");
    }
    return new CapabilityMask(Long.parseUnsignedLong(hex, 16));
  }

  public static CapabilityMask of(Collection<Capability> capabilities) {
    long bits = 0;
    for (Capability c : capabilities) {
      bits |= c.maskBit();
    }
    return new CapabilityMask(bits);
  }

  public static CapabilityMask of(Capability... capabilities) {
    return of(List.of(capabilities));
  }

  public boolean contains(Capability capability) {
    return (bits & capability.maskBit()) != 0;
  }

  public boolean hasBit(int bit) {
    return ((bits >>> bit) & 1L) != 0;
  }

  public boolean isEmpty() {
    return bits == 0;
  }

  public CapabilityMask union(CapabilityMask other) {
    return new CapabilityMask(bits | other.bits);
  }

  public CapabilityMask intersect(CapabilityMask other) {
    return new CapabilityMask(bits & other.bits);
  }

  public CapabilityMask minus(CapabilityMask other) {
    return new CapabilityMask(bits & ~other.bits);
  }

  /** The known capabilities in this mask, in bit order. */
  public List<Capability> capabilities() {
    List<Capability> result = new ArrayList<>();
    for (Capability c : Capability.values()) {
      if (contains(c)) {
        result.add(c);
      }
    }
    return result;
  }

  /** Bit numbers set above the highest capability this model knows. */
  public List<Integer> unknownBits() {
    List<Integer> result = new ArrayList<>();
    for (int bit = Capability.LAST_KNOWN_BIT + 1; bit < Long.SIZE; bit++) {
      if (hasBit(bit)) {
        result.add(bit);
      }
    }
    return result;
  }

  /** Every set bit as a name: {@code CAP_CHOWN}, ..., and {@code CAP_41} for bits the model does not know. */
  public List<String> names() {
    List<String> result = new ArrayList<>();
    capabilities().forEach(c -> result.add(c.canonicalName()));
    unknownBits().forEach(bit -> result.add(unknownName(bit)));
    return result;
  }

  public int size() {
    return Long.bitCount(bits);
  }

  /** The name shown for a bit the model does not know. */
  public static String unknownName(int bit) {
    return "CAP_" + bit;
  }

  /** {@code 0x} and lower-case hex without leading zeros; {@code 0x0} when empty. */
  @Override
  public String toString() {
    return "0x" + Long.toHexString(bits).toLowerCase(Locale.ROOT);
  }

  /** ASCII only: Character.digit would also accept Arabic-Indic or full-width digits, which no kernel prints. */
  private static boolean isHexDigit(int ch) {
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
  }
}
