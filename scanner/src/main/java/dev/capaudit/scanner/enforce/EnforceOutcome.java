package dev.capaudit.scanner.enforce;

import dev.capaudit.rules.model.TargetSnapshot;
import java.util.List;
import java.util.Optional;

/**
 * What {@code enforce --apply} did to one container.
 *
 * @param steps the run, step by step, as logged
 * @param backupName the original, kept under this name; empty when it was removed or removed itself (AutoRemove)
 * @param failure why the replacement was not kept
 * @param replacementAudit the audit the replacement passed (applied) or failed (rolled back), when it got that far
 */
public record EnforceOutcome(String target, Result result, List<String> steps, Optional<String> backupName,
    Optional<String> failure, Optional<TargetSnapshot> replacementAudit) {
  public EnforceOutcome {
    steps = List.copyOf(steps);
  }

  /** How the run ended. */
  public enum Result {
    /** The container already complied; nothing was touched. */
    UNCHANGED,
    /** The new container runs under the original name and passed the re-audit. */
    APPLIED,
    /** The new container failed; the original runs again under its name. */
    ROLLED_BACK
  }
}
