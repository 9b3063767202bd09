package dev.capaudit.cli;

import dev.capaudit.reports.console.Printable;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.scanner.minimize.KeptCapability;
import dev.capaudit.scanner.minimize.MinimizeResult;
import dev.capaudit.scanner.minimize.Phase;
import dev.capaudit.scanner.minimize.TrialOutcome;
import dev.capaudit.scanner.minimize.TrialTemplate;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * What minimize prints as it goes: each trial once decided, then the set, who holds each capability and the
 * evidence. Logs, names and holders come from the workload: every line goes through {@link Printable}.
 */
final class MinimizeConsole {
  private final boolean quiet;
  private final PrintWriter out;
  private final PrintWriter err;

  MinimizeConsole(boolean quiet, PrintWriter out, PrintWriter err) {
    this.quiet = quiet;
    this.out = out;
    this.err = err;
  }

  void starting(TrialTemplate template) {
    line("minimize " + template.target() + (template.fromContainer() ? " (trials from the container's configuration)"
        : ""));
  }

  void trial(TrialOutcome trial) {
    String what = switch (trial.request().phase()) {
      case BASELINE, CONFIRM -> "with " + names(trial.request().set());
      case GROUP, VERIFY, SEQUENTIAL -> "without " + names(trial.request().removed());
    };
    line(String.format(Locale.ROOT, "  trial %2d %-10s %-4s %5.1f s  %s%s", trial.request().number(),
        trial.request().phase().id(), trial.verdict().name().toLowerCase(Locale.ROOT),
        trial.took().toMillis() / 1000.0, what, trial.passed() ? "" : ": " + trial.evidence()
            .replaceFirst("^trial \\d+ ", "")));
  }

  void result(MinimizeResult result) {
    if (result.status() != MinimizeResult.Status.MINIMAL) {
      // Why there is no minimal set is an error, said even under --quiet, with how the workload's log ends.
      err.println(Printable.of("capaudit: " + result.template().target() + ": " + result.reason()));
      result.decisive().filter(t -> !t.passed()).ifPresent(t -> t.logTail().forEach(l -> err.println("  log: "
          + Printable.of(l))));
      err.flush();
    }
    if (result.status() == MinimizeResult.Status.MINIMAL || result.status() == MinimizeResult.Status.INCOMPLETE) {
      line((result.status() == MinimizeResult.Status.MINIMAL ? "minimal set: " : "best set proven so far: ")
          + names(result.set()) + " (" + result.set() + "), from " + result.from() + " (" + result.start() + ")"
          + result.decisive().map(t -> ", " + (t.request().phase() == Phase.BASELINE ? "the baseline, trial "
              : "confirmed by trial ") + t.request().number()).orElse("") + "; " + result.trials().size()
          + " trials in " + String.format(Locale.ROOT, "%.1f", result.took().toMillis() / 1000.0) + " s");
      result.kept().forEach(this::kept);
      result.warnings().forEach(k -> line("WARNING: " + k.capability().canonicalName() + ": "
          + k.need().description()));
    }
  }

  private void kept(KeptCapability kept) {
    line(String.format(Locale.ROOT, "  %-22s %s", kept.capability().canonicalName(), kept.need().description()));
    if (!kept.holders().isEmpty()) {
      line("  " + " ".repeat(22) + " held by " + String.join("; ", kept.holders()));
    }
    line("  " + " ".repeat(22) + " " + kept.without().map(t -> "without it, " + t.evidence())
        .orElse("not tried without it: the search was cut short"));
  }

  /** A fix as the user asked for it: copied as it is into a Dockerfile or a manifest. */
  void fix(String text) {
    out.print(text);
    out.flush();
  }

  void line(String text) {
    if (!quiet) {
      out.println(Printable.of(text));
      out.flush();
    }
  }

  private static String names(CapabilityMask set) {
    return set.isEmpty() ? "nothing" : String.join(", ", set.names());
  }
}
