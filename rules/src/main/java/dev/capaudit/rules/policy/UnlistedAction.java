package dev.capaudit.rules.policy;

import java.util.Locale;

/** What a policy does with a capability it lists neither as must-drop nor as load-bearing. */
public enum UnlistedAction {
  /** A violation: the target fails. */
  FAIL,
  /** A warning: reported, the target does not fail on it. */
  WARN,
  /** Accepted silently. */
  ALLOW;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
