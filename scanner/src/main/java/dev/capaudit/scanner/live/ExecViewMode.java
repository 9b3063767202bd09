package dev.capaudit.scanner.live;

import java.util.Locale;

/** How the view of an exec shell is obtained. */
public enum ExecViewMode {
  /** From the runtime's OCI spec where it can be read, else by an exec probe, else derived: the default. */
  AUTO,
  /** By an exec probe ({@code cat /proc/self/status} as each user): the container's own binaries answer. */
  PROBE,
  /** Never an exec: from the runtime's spec where it can be read, else derived from the configuration. */
  DERIVE,
  /** From the spec and by a probe, reporting every difference between the two. */
  VERIFY;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether this mode runs exec probes when the spec can be read. */
  boolean probesWithSpec() {
    return this == PROBE || this == VERIFY;
  }

  /** Whether this mode may run exec probes at all. */
  boolean mayProbe() {
    return this != DERIVE;
  }
}
