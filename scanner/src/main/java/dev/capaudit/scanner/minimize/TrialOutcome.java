package dev.capaudit.scanner.minimize;

import dev.capaudit.rules.model.TargetSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How one trial went, with its evidence.
 *
 * @param reason why it failed or was cancelled; empty for a pass
 * @param state the container's state when the trial ended ({@code running}, {@code exited with code 127})
 * @param logTail the last lines of its log (container-supplied text)
 * @param log its log from the start, capped, for the report of the trial that decides the outcome
 * @param audit the live audit of a trial that passed readiness
 */
public record TrialOutcome(TrialRequest request, Verdict verdict, String reason, Optional<Long> exitCode,
    String state, List<String> logTail, String log, Duration took, Optional<TargetSnapshot> audit) {

  /** A trial's verdict. */
  public enum Verdict { PASS, FAIL, CANCELLED }

  public TrialOutcome {
    logTail = List.copyOf(logTail);
  }

  public boolean passed() {
    return verdict == Verdict.PASS;
  }

  /** The same trial, failed for a reason found after it ran (it held more than the baseline). */
  TrialOutcome failed(String why) {
    return new TrialOutcome(request, Verdict.FAIL, why, exitCode, state, logTail, log, took, audit);
  }

  /** One line of evidence: why it failed and how its log ends. */
  public String evidence() {
    String last = logTail.isEmpty() ? "" : logTail.get(logTail.size() - 1);
    return "trial " + request.number() + " " + reason + (last.isEmpty() || reason.contains(last) ? ""
        : "; its log ends: " + last);
  }
}
