package dev.capaudit.scanner.minimize;

import dev.capaudit.rules.model.TargetSnapshot;

/** Audits a running trial: the live scan in production, snapshots in tests. */
@FunctionalInterface
public interface TrialObserver {
  TargetSnapshot observe(String containerId);
}
