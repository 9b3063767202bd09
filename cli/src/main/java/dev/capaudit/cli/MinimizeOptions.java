package dev.capaudit.cli;

import dev.capaudit.scanner.minimize.ReadyChecks;
import dev.capaudit.scanner.minimize.TrialSettings;
import dev.capaudit.scanner.minimize.VolumeMode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Option;

/** How each trial of minimize runs, and the bounds of the whole run; each value checked before any engine is asked. */
final class MinimizeOptions {
  @Option(names = "--hold", paramLabel = "SECONDS", defaultValue = "5", description = "How long a ready workload"
      + " must keep running. Default: ${DEFAULT-VALUE}.")
  int hold;

  @Option(names = "--ready-cmd", paramLabel = "CMD", description = "Also run this with sh -c in the trial (by"
      + " exec, as its user) once it settled and after the hold; it must exit 0.")
  String readyCmd;

  @Option(names = "--ready-log", paramLabel = "REGEX", description = "Also wait until the trial's log matches"
      + " this.")
  String readyLog;

  @Option(names = "--parallel", paramLabel = "N", defaultValue = "4", description = "Trials run at once, 1 to 16."
      + " Default: ${DEFAULT-VALUE}.")
  int parallel;

  @Option(names = "--budget", paramLabel = "SECONDS", description = "The longest the whole run may take; then the"
      + " best set proven so far is reported (exit 5).")
  Integer budget;

  @Option(names = "--volumes", paramLabel = "empty|read-only", defaultValue = "empty", description = "For a"
      + " container: its volumes and binds in a trial are fresh anonymous volumes (empty, the default) or its own,"
      + " read-only. Never writable.")
  String volumes;

  TrialSettings settings(EntrypointOptions run) throws CliProblem {
    if (hold < 0 || hold > 3600) {
      throw CliProblem.usage("--hold must be 0 to 3600 seconds, not " + hold);
    }
    if (readyCmd != null && readyCmd.isBlank()) {
      throw CliProblem.usage("--ready-cmd needs a command");
    }
    if (parallel < 1 || parallel > 16) {
      throw CliProblem.usage("--parallel must be 1 to 16, not " + parallel);
    }
    volumeMode();
    return new TrialSettings(Duration.ofSeconds(hold), run.timeout(), run.settle(), new ReadyChecks(Optional.ofNullable(readyCmd)
            .map(c -> List.of("sh", "-c", c)), pattern()), Duration.ofSeconds(15));
  }

  int parallel() {
    return parallel;
  }

  Optional<Duration> budget() throws CliProblem {
    if (budget != null && (budget < 1 || budget > 86_400)) {
      throw CliProblem.usage("--budget must be 1 to 86400 seconds, not " + budget);
    }
    return Optional.ofNullable(budget).map(Duration::ofSeconds);
  }

  VolumeMode volumeMode() throws CliProblem {
    return VolumeMode.fromId(volumes).orElseThrow(() -> CliProblem.usage("--volumes must be empty or read-only,"
        + " not '" + volumes + "'"));
  }

  private Optional<Pattern> pattern() throws CliProblem {
    if (readyLog == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Pattern.compile(readyLog));
    } catch (PatternSyntaxException e) {
      throw CliProblem.usage("--ready-log is not a regular expression: " + e.getDescription() + " near index "
          + e.getIndex());
    }
  }
}
