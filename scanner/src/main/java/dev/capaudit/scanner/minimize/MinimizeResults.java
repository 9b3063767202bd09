package dev.capaudit.scanner.minimize;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.model.TargetSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns a finished run into its result: the set, each kept capability with its evidence and who holds it. */
final class MinimizeResults {
  private MinimizeResults() {}

  static MinimizeResult of(MinimizeRun run, String from) {
    Search search = run.search();
    List<TrialOutcome> trials = List.copyOf(run.outcomes().values());
    return switch (search.status()) {
      case MINIMAL -> result(run, from, MinimizeResult.Status.MINIMAL, "", outcome(run, search.result()));
      case BASELINE_FAILED -> result(run, from, MinimizeResult.Status.BASELINE_FAILED, "the workload fails even with"
          + " the starting set " + run.start() + ": " + run.baseline().map(TrialOutcome::evidence).orElse(""),
          run.baseline());
      case NOT_REPRODUCIBLE -> result(run, from, MinimizeResult.Status.NOT_REPRODUCIBLE, "the workload passed with a"
          + " set and failed with the same set again: it does not behave the same twice, so trials cannot tell"
          + " what it needs", trials.isEmpty() ? Optional.empty() : Optional.of(trials.get(trials.size() - 1)));
      case RUNNING -> result(run, from, MinimizeResult.Status.INCOMPLETE, run.cutShort() + " after "
          + trials.size() + " trials: " + (search.best().isPresent() ? "the set is proven to work, not proven"
          + " minimal" : "no trial had passed yet"), outcome(run, search.best()));
    };
  }

  private static Optional<TrialOutcome> outcome(MinimizeRun run, Optional<TrialRequest> request) {
    return request.map(r -> run.outcomes().get(r.number()));
  }

  private static MinimizeResult result(MinimizeRun run, String from, MinimizeResult.Status status, String reason,
      Optional<TrialOutcome> decisive) {
    CapabilityMask set = status == MinimizeResult.Status.MINIMAL || status == MinimizeResult.Status.INCOMPLETE
        ? decisive.map(o -> o.request().set()).orElse(run.start()) : run.start();
    List<KeptCapability> kept = new ArrayList<>();
    if (decisive.isPresent() && decisive.get().passed()) {
      List<TargetSnapshot> passing = new ArrayList<>();
      decisive.flatMap(TrialOutcome::audit).ifPresent(passing::add);
      run.outcomes().values().stream().filter(TrialOutcome::passed).filter(o -> o != decisive.get())
          .flatMap(o -> o.audit().stream()).forEach(passing::add);
      Map<Capability, Integer> evidence = run.search().evidence();
      for (Capability capability : set.capabilities()) {
        kept.add(NeedAnalysis.of(capability, passing, run.startsAsRoot(),
            Optional.ofNullable(evidence.get(capability)).map(n -> run.outcomes().get(n))));
      }
    }
    return new MinimizeResult(run.template(), from, run.start(), status, reason, set, kept, decisive,
        List.copyOf(run.outcomes().values()), run.took(), run.template().notes());
  }
}
