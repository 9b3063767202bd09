package dev.capaudit.rules.engine;

import java.util.Locale;

/** The outcome for one target. {@code ERROR} means it could not be read well enough to pass. */
public enum Verdict {
  PASS,
  FAIL,
  ERROR;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
