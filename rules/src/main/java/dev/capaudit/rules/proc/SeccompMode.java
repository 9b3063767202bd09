package dev.capaudit.rules.proc;

import java.util.Locale;
import java.util.Optional;

/** The {@code Seccomp:} field of /proc/N/status: 0 disabled, 1 strict, 2 filter. */
public enum SeccompMode {
  DISABLED,
  STRICT,
  FILTER;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<SeccompMode> fromProcValue(int value) {
    return value >= 0 && value < values().length ? Optional.of(values()[value]) : Optional.empty();
  }
}
