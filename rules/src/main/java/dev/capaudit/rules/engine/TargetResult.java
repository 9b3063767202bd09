package dev.capaudit.rules.engine;

import dev.capaudit.rules.model.TargetSnapshot;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A target, the findings the policy produced for it (worst first), its verdict, and why it was not read completely.
 *
 * @param incomplete why the target could not be read completely (a read error, an entrypoint that exited, nothing
 *     observed), or empty when it was; with no violation this makes it {@code error}, never {@code pass}
 */
public record TargetResult(TargetSnapshot target, Verdict verdict, List<Finding> findings,
    Optional<String> incomplete) {

  /**
   * Targets in the order reports show them: those with a failing finding by their worst finding, then unreadable
   * ones, then those with warnings only, then clean passes.
   */
  public static final Comparator<TargetResult> WORST_FIRST = Comparator
      .comparingInt(TargetResult::standing)
      .thenComparing((a, b) -> a.worstFinding().isPresent() && b.worstFinding().isPresent()
          ? Finding.WORST_FIRST.compare(a.worstFinding().get(), b.worstFinding().get()) : 0);

  public TargetResult {
    findings = List.copyOf(findings);
  }

  /** The finding to show first, in {@link Finding#WORST_FIRST} order. */
  public Optional<Finding> worstFinding() {
    return findings.isEmpty() ? Optional.empty() : Optional.of(findings.get(0));
  }

  /** One line for the target: why it is an error, or its worst finding, or that nothing was found. */
  public String headline() {
    if (verdict == Verdict.ERROR) {
      return "error: " + incomplete.orElse("the target could not be judged");
    }
    return worstFinding().map(f -> f.severity().id() + " " + f.rule().id() + ": " + f.message())
        .orElse("no finding");
  }

  private int standing() {
    if (verdict == Verdict.FAIL) {
      return 0;
    }
    if (verdict == Verdict.ERROR) {
      return 1;
    }
    return findings.isEmpty() ? 3 : 2;
  }
}
