package dev.capaudit.scanner.enforce;

import dev.capaudit.rules.model.TargetSnapshot;
import java.util.List;
import java.util.Optional;

/**
 * What {@code enforce --apply} did to one container.
 *
 * @param steps the operation, step by step, as logged
 * @param verified the new container's audit, when it got that far
 */
public record EnforceOutcome(String target, Result result, List<String> steps, Optional<String> backupName,
    Optional<TargetSnapshot> verified) {
  public EnforceOutcome {
    steps = List.copyOf(steps);
  }

  /** How the operation ended. */
  public enum Result {
    /** The container already complied; nothing was touched. */
    UNCHANGED,
    /** The new container runs under the original name and passed the re-audit. */
    APPLIED,
    /** The new container failed; the original runs again under its name. */
    ROLLED_BACK
  }
}
