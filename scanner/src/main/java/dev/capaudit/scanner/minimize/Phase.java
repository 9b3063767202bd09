package dev.capaudit.scanner.minimize;

import java.util.Locale;

/** Why a trial runs. */
public enum Phase {
  /** The starting set: the workload must pass with it, or there is nothing to minimize. */
  BASELINE,
  /** The starting set without one group of capabilities, to learn whether any of them is needed. */
  GROUP,
  /** The candidate minimal set, tried once more as a whole. */
  CONFIRM,
  /** The candidate without one of its capabilities: it must fail, or the capability goes too. */
  VERIFY,
  /** After a failed confirmation: the proven set without one group, one trial at a time. */
  SEQUENTIAL;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
