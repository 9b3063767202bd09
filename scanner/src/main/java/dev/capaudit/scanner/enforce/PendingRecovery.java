package dev.capaudit.scanner.enforce;

import java.util.List;

/**
 * An enforce run of a container that has not finished, as the read-only plan reports it.
 *
 * @param run the run and its holder, as its record names them
 * @param actions what {@code --apply} would do to roll the run back (once it may)
 */
public record PendingRecovery(String run, Holder holder, List<String> actions) {
  public PendingRecovery {
    actions = List.copyOf(actions);
  }

  /** Whether the run's process is still at it. */
  public enum Holder {
    /** The run is in progress: nothing is pending, --apply refuses. */
    RUNNING,
    /** The run was interrupted: --apply rolls it back first. */
    GONE,
    /** Another machine, boot or pid namespace: --apply refuses unless --break-lock. */
    UNCHECKABLE
  }
}
