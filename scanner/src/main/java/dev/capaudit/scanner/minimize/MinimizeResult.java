package dev.capaudit.scanner.minimize;

import dev.capaudit.rules.capability.CapabilityMask;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a minimize run found.
 *
 * @param from where the starting set came from: a profile's id, or the container's or image's own
 * @param set the minimal set (MINIMAL), the best set proven so far (INCOMPLETE), or the starting set
 * @param decisive the trial that stands for the result: the confirmation, the best so far, or the failed baseline
 * @param trials every trial, in the order the search asked for them
 * @param notes how the trials differ from the workload's own runs
 */
public record MinimizeResult(TrialTemplate template, String from, CapabilityMask start, Status status, String reason,
    CapabilityMask set, List<KeptCapability> kept, Optional<TrialOutcome> decisive, List<TrialOutcome> trials,
    Duration took, List<String> notes) {

  /** How the search ended. */
  public enum Status {
    /** The minimal set, confirmed by a trial of its own. */
    MINIMAL,
    /** The workload fails even with the starting set: there is nothing to minimize. */
    BASELINE_FAILED,
    /** The workload passed with a set once and failed with it again: it does not behave the same twice. */
    NOT_REPRODUCIBLE,
    /** The budget ran out or the run was interrupted: the set is proven to work, not proven minimal. */
    INCOMPLETE
  }

  public MinimizeResult {
    kept = List.copyOf(kept);
    trials = List.copyOf(trials);
    notes = List.copyOf(notes);
  }

  /** Whether some kept capability reaches a non-root process: worth a warning. */
  public List<KeptCapability> warnings() {
    return kept.stream().filter(k -> k.need().warning()).toList();
  }
}
