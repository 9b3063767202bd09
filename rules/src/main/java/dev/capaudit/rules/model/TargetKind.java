package dev.capaudit.rules.model;

import java.util.Locale;

/**
 * What kind of thing a target is: a live container, this host, an image run by the gate, a captured snapshot, or an
 * engine that could not be read at all (so that one engine's failure is a target of its own, not the run's).
 */
public enum TargetKind {
  CONTAINER,
  HOST,
  IMAGE,
  SNAPSHOT,
  ENGINE;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
