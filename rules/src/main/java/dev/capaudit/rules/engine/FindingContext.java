package dev.capaudit.rules.engine;

import java.util.Locale;

/** Where a finding was observed: a container process, an exec-shell view, or the configuration. */
public enum FindingContext {
  PROCESS,
  EXEC,
  CONFIG;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
