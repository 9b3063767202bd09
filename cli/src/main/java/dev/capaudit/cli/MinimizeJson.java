package dev.capaudit.cli;

import dev.capaudit.reports.json.JsonReport;
import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.engine.Auditor;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.policy.AuditContext;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.scanner.minimize.KeptCapability;
import dev.capaudit.scanner.minimize.MinimizeResult;
import dev.capaudit.scanner.minimize.TrialOutcome;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The minimize run as the JSON report carries it: a top-level {@code minimize} object with every trial. */
final class MinimizeJson {
  private MinimizeJson() {}

  /** Judges the run's report target and writes every report asked for, the run in the JSON one. */
  static ExitCode judgeAndReport(Policy policy, TargetSnapshot target, MinimizeResult result, ReportOptions reports,
      PrintWriter out) throws CliProblem {
    return AuditRun.report(new Auditor(policy).audit(List.of(target)), reports, out, RunStreams.err(),
        Optional.of(doc(result)));
  }

  static JsonReport.Minimize doc(MinimizeResult result) {
    // A set only where a trial proved it: a workload that never ran has no set, not an empty one.
    boolean proven = result.decisive().map(TrialOutcome::passed).orElse(false);
    return new JsonReport.Minimize(result.template().target(), result.template().fromContainer() ? "container" : "image",
        result.from(), result.start().toString(), id(result.status().name()),
        result.reason().isEmpty() ? null : result.reason(), proven ? result.set().toString() : null,
        proven ? result.set().names() : null,
        result.decisive().map(t -> t.request().number()).orElse(null), result.trials().size(),
        result.took().toMillis() / 1000.0, result.kept().stream().map(MinimizeJson::kept).toList(),
        result.trials().stream().map(MinimizeJson::trial).toList(), result.notes());
  }

  private static JsonReport.MinimizeKept kept(KeptCapability k) {
    return new JsonReport.MinimizeKept(k.capability().canonicalName(), id(k.need().name()),
        k.need().description(), k.need().warning(), k.without().map(t -> t.request().number()).orElse(null),
        k.without().map(TrialOutcome::evidence).orElse(null), k.holders(),
        k.contexts().stream().sorted().map(AuditContext::id).toList());
  }

  private static String id(String constant) {
    return constant.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static JsonReport.MinimizeTrial trial(TrialOutcome t) {
    return new JsonReport.MinimizeTrial(t.request().number(), t.request().phase().id(), t.request().set().toString(),
        t.request().removed().capabilities().stream().map(Capability::canonicalName).toList(),
        t.verdict().name().toLowerCase(Locale.ROOT), t.reason().isEmpty() ? null : t.reason(),
        t.exitCode().orElse(null), t.state(), t.logTail(), t.took().toMillis() / 1000.0);
  }
}
