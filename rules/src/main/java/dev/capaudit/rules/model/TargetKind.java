package dev.capaudit.rules.model;

import java.util.Locale;

/** What kind of thing a target is: a live container, this host, an image run by the gate, or a captured snapshot. */
public enum TargetKind {
  CONTAINER,
  HOST,
  IMAGE,
  SNAPSHOT;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
