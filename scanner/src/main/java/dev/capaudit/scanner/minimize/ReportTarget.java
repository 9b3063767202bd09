package dev.capaudit.scanner.minimize;

import dev.capaudit.rules.model.ImageFacts;
import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.model.TargetSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The target a minimize run reports, as the image gate reports its container: the live audit of the trial that
 * stands for the result (the confirmation of the minimal set, or the best set so far), or, when no set was proven,
 * an error target with the failed trial's exit code and log. Never a pass without a trial that passed.
 */
public final class ReportTarget {
  private ReportTarget() {}

  public static TargetSnapshot of(MinimizeResult result) {
    TrialTemplate template = result.template();
    TargetKind kind = template.fromContainer() ? TargetKind.CONTAINER : TargetKind.IMAGE;
    List<String> errors = new ArrayList<>();
    if (result.status() != MinimizeResult.Status.MINIMAL) {
      errors.add("minimize: " + result.reason());
    }
    List<String> notes = new ArrayList<>(List.of(summary(result)));
    result.notes().forEach(note -> notes.add("minimize: " + note));
    Optional<TrialOutcome> decisive = result.decisive();
    ImageFacts facts = new ImageFacts("minimize from " + result.from(), result.set(),
        decisive.map(TrialOutcome::log).orElse(""), false, decisive.flatMap(TrialOutcome::exitCode), List.of());
    Optional<TargetSnapshot> audit = decisive.filter(TrialOutcome::passed).flatMap(TrialOutcome::audit);
    if (audit.isEmpty()) {
      return new TargetSnapshot(kind, "", template.target(), template.image(), Map.of(), Optional.empty(),
          List.of(), List.of(), errors, notes, Optional.of(facts));
    }
    TargetSnapshot seen = audit.get().withMore(errors, notes);
    return new TargetSnapshot(kind, seen.id(), template.target(), template.image(), seen.labels(), seen.config(),
        seen.processes(), seen.exec(), seen.errors(), seen.notes(), Optional.of(facts), seen.origin());
  }

  private static String summary(MinimizeResult result) {
    return "minimize: " + result.trials().size() + " trials in " + result.took().toMillis() / 100 / 10.0 + " s from "
        + result.from() + " (" + result.start() + "); set " + result.set() + " " + result.set().names()
        + result.decisive().map(t -> ", trial " + t.request().number()).orElse("");
  }
}
