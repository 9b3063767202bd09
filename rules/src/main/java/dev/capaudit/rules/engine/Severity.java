package dev.capaudit.rules.engine;

import dev.capaudit.rules.text.AsciiCase;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How bad a finding is. High and medium findings fail a target; low and info findings are warnings. */
public enum Severity {
  /** A capability that allows container escape or host compromise is reachable. */
  HIGH,
  /** The policy is broken in a way that widens what the workload can do. */
  MEDIUM,
  /** Worth a look; does not fail the target (for example an unlisted capability under {@code unlisted: warn}). */
  LOW,
  /** For the record only. */
  INFO;

  public boolean failsTarget() {
    return this == HIGH || this == MEDIUM;
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code high}, {@code medium}, ... in any case; empty for anything else. */
  public static Optional<Severity> fromId(String id) {
    return Arrays.stream(values()).filter(s -> AsciiCase.equalsIgnoreCase(s.id(), id == null ? "" : id.trim())).findFirst();
  }
}
