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
  /** After a failed confirmation: the proven set without one group, one trial at a time. */
  SEQUENTIAL,
  /** The set the sequential phase ended with, tried once more. */
  RECONFIRM;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
