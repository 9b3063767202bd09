package dev.capaudit.rules.baseline;

import java.util.Locale;

/** A finding's standing against a baseline run. */
public enum FindingStatus {
  /** Not in the baseline: a regression. */
  NEW,
  /** Already in the baseline: known debt. */
  EXISTING,
  /** In the baseline, gone now. */
  FIXED;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
