package dev.capaudit.rules.baseline;

import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.model.TargetOrigin;
import dev.capaudit.rules.model.TargetSnapshot;

/**
 * A target as it is recognised across runs: its kind and name where it runs (node, engine, runtime). Containers are
 * matched by name, not id, because a recreated container keeps its name but gets a new id; the same name on two
 * engines or nodes is two targets.
 */
public record TargetKey(TargetKind kind, String name, String node, String engine, String runtime) {
  public static TargetKey of(TargetSnapshot target) {
    TargetOrigin origin = target.origin();
    return new TargetKey(target.kind(), target.name(), origin.node(), origin.engine(), origin.runtime());
  }

  /** Whether anything is known of where it runs: reports of schema version 1 know nothing. */
  public boolean hasOrigin() {
    return !node.isEmpty() || !engine.isEmpty() || !runtime.isEmpty();
  }

  /** The key as a report that knew no origin recorded it. */
  public TargetKey withoutOrigin() {
    return new TargetKey(kind, name, "", "", "");
  }

  /** {@code container:sandbox-7}, then {@code @node/engine/runtime} when the origin is known. */
  @Override
  public String toString() {
    String base = kind.id() + ":" + name;
    return hasOrigin() ? base + "@" + node + "/" + engine + "/" + runtime : base;
  }
}
