package dev.capaudit.cli;

import dev.capaudit.rules.text.AsciiCase;
import dev.capaudit.reports.console.Printable;
import dev.capaudit.reports.fix.FixFormat;
import dev.capaudit.reports.fix.Fixes;
import dev.capaudit.rules.enforce.EnforcementPlan;
import dev.capaudit.rules.enforce.Planner;
import dev.capaudit.rules.engine.Auditor;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.enforce.EnforceOutcome;
import dev.capaudit.scanner.enforce.EnforceRefused;
import dev.capaudit.scanner.enforce.EnforceRun;
import dev.capaudit.scanner.enforce.EnforceSettings;
import dev.capaudit.scanner.enforce.PendingRecovery;
import dev.capaudit.scanner.enforce.Recreator;
import dev.capaudit.scanner.enforce.StopHandling;
import dev.capaudit.scanner.live.LiveScanner;
import dev.capaudit.scanner.live.ScanSettings;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Makes the policy true: plans the runtime settings, recreates the container on --apply, emits fixes. */
@Command(name = "enforce", mixinStandardHelpOptions = true,
    description = {"Plan (default, changes nothing) the settings that make the policy true for each container:"
        + " CapDrop ALL, CapAdd exactly the load-bearing capabilities its root context may keep, optionally"
        + " no-new-privileges, and what would disappear.",
        "--apply recreates the container with them (everything else kept, anonymous volumes carried over), keeps the"
            + " original as <name>.capaudit-backup-<time>, verifies the new one and rolls back if it fails. One run"
            + " per container at a time (the lock <name>.capaudit-lock); an interrupted run is rolled back by the"
            + " signal's shutdown hook, or after a crash by the next --apply.",
        "--emit prints the fix for runtimes capaudit does not drive."})
final class EnforceCommand extends AbstractCommand {
  @Parameters(paramLabel = "NAME|ID", arity = "1..*", description = "Containers to enforce the policy on.")
  List<String> targets = new ArrayList<>();

  @Option(names = "--apply", description = "Recreate the containers with the planned settings.")
  boolean apply;

  @Option(names = "--remove-backup", description = "Remove the original once the new container verified"
      + " (default: keep it as a backup).")
  boolean removeBackup;

  @Option(names = "--keep-backup", description = "Keep the original as a backup (the default).")
  boolean keepBackup;

  @Option(names = "--no-new-privileges", description = "Also set no-new-privileges.")
  boolean noNewPrivileges;

  @Option(names = "--emit", paramLabel = "compose|k8s|run|entrypoint", description = "Print the fix in this"
      + " form (repeatable).")
  List<FixFormat> emit = new ArrayList<>();

  @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "10", description = "How long a new container"
      + " has to settle before it is re-audited. Default: ${DEFAULT-VALUE}.")
  int grace;

  @Option(names = "--stop-timeout", paramLabel = "SECONDS", description = "Seconds a container gets between SIGTERM"
      + " and SIGKILL when it is stopped. Default: its own StopTimeout (docker run --stop-timeout), else 10.")
  Integer stopTimeout;

  @Option(names = "--allow-autoremove", description = "Also enforce containers that remove themselves when stopped"
      + " (docker run --rm). They cannot be kept as a backup: a rollback recreates them from their configuration,"
      + " with their volumes; what they wrote outside volumes is lost when they stop.")
  boolean allowAutoRemove;

  @Option(names = "--break-lock", description = "Take over the lock of a run whose process cannot be checked from"
      + " here (another machine), and roll that run back. Only when you know it no longer runs.")
  boolean breakLock;

  @Mixin
  AuditOptions options = new AuditOptions();

  @Override
  protected ExitCode execute() throws CliProblem {
    if (removeBackup && keepBackup) {
      throw CliProblem.usage("--keep-backup and --remove-backup exclude each other");
    }
    if (grace < 0 || grace > 3600) {
      throw CliProblem.usage("--grace must be 0 to 3600 seconds, not " + grace);
    }
    if (stopTimeout != null && (stopTimeout < 0 || stopTimeout > 3600)) {
      throw CliProblem.usage("--stop-timeout must be 0 to 3600 seconds, not " + stopTimeout);
    }
    Policy loaded = options.policy.load();
    Auditor auditor = new Auditor(loaded);
    List<TargetSnapshot> after = new ArrayList<>();
    boolean rolledBack = false;
    try (DockerEngine docker = options.engine.connect()) {
      LiveScanner scanner = new LiveScanner(docker, options.engine.hostProc(), ScanSettings.defaults(List.of()));
      Recreator recreator = new Recreator(docker, options.engine.hostProc(), ScanSettings.defaults(List.of()), auditor,
          settings(), Clock.systemUTC());
      Planning planning = new Planning(loaded, auditor, scanner, recreator);
      for (String target : targets) {
        if (!apply) {
          after.add(planning.planOnly(target));
          continue;
        }
        Applied applied = planning.apply(target);
        rolledBack |= applied.rolledBack();
        after.add(applied.snapshot());
      }
    } catch (IOException e) {
      throw CliProblem.tool("enforce failed: " + Printable.of(e.getMessage()));
    } catch (EnforceRefused e) {
      throw new CliProblem(e.reason() == EnforceRefused.Reason.AUTO_REMOVE
          || e.reason() == EnforceRefused.Reason.ARTIFACT ? ExitCode.USAGE_ERROR : ExitCode.TOOL_ERROR,
          Printable.of(e.getMessage()));
    }
    ExitCode audit = AuditRun.judgeAndReport(loaded, after, options.reports, out());
    return rolledBack ? ExitCode.VIOLATIONS : audit;
  }

  private EnforceSettings settings() {
    return new EnforceSettings(Duration.ofSeconds(grace), Optional.ofNullable(stopTimeout).map(Duration::ofSeconds),
        removeBackup, allowAutoRemove, breakLock);
  }

  /** A container's snapshot for the report, and whether its replacement was rolled back. */
  private record Applied(TargetSnapshot snapshot, boolean rolledBack) {}

  /** Scans, plans and prints for one container at a time; applies under the container's lock. */
  private final class Planning {
    private final Policy policy;
    private final Auditor auditor;
    private final LiveScanner scanner;
    private final Recreator recreator;

    Planning(Policy policy, Auditor auditor, LiveScanner scanner, Recreator recreator) {
      this.policy = policy;
      this.auditor = auditor;
      this.scanner = scanner;
      this.recreator = recreator;
    }

    /** Reads only: the plan, and an interrupted run's pending recovery. */
    TargetSnapshot planOnly(String target) throws IOException {
      List<String> notes = new ArrayList<>();
      recreator.pendingRecovery(target).ifPresent(pending -> notes.add(printPending(target, pending)));
      return plan(target).snapshot().withMore(List.of(), notes);
    }

    Applied apply(String target) throws IOException, EnforceRefused {
      try (EnforceRun run = recreator.begin(target, line -> out().println("  " + Printable.of(line)))) {
        List<String> notes = new ArrayList<>(run.recovered().stream().map(line -> "enforce " + line).toList());
        Planned planned = plan(run.target());
        if (planned.plan().isEmpty()) {
          return new Applied(planned.snapshot().withMore(List.of(), notes), false);
        }
        EnforceOutcome outcome = run.apply(planned.plan().get());
        out().println(Printable.of(outcome.target()) + ": " + AsciiCase.lower(outcome.result().name()).replace('_', ' ')
            + outcome.backupName().map(b -> "; the original is kept as " + Printable.of(b)).orElse("")
            + outcome.failure().map(f -> "; " + Printable.of(f)).orElse(""));
        notes.add(summary(outcome));
        outcome.steps().forEach(step -> notes.add("enforce " + step));
        // An applied container's report is the audit it just passed; otherwise what runs now, the original.
        TargetSnapshot now = outcome.result() == EnforceOutcome.Result.APPLIED
            ? outcome.replacementAudit().orElseGet(() -> scanner.scanOne(outcome.target()))
            : scanner.scanOne(outcome.target());
        return new Applied(now.withMore(List.of(), notes), outcome.result() == EnforceOutcome.Result.ROLLED_BACK);
      }
    }

    /** The container's audit, and the plan for it when it can be planned (a container with a configuration). */
    private Planned plan(String target) throws IOException {
      TargetSnapshot before = scanner.scanOne(target);
      if (before.config().isEmpty()) {
        err().println("capaudit: " + Printable.of(target) + ": " + Printable.of(String.join("; ", before.errors())));
        return new Planned(before, Optional.empty());
      }
      TargetResult audited = auditor.audit(before);
      EnforcementPlan plan = Planner.plan(policy, audited, noNewPrivileges);
      printPlan(plan, audited, recreator.stopHandling(target));
      for (FixFormat format : emit) {
        out().print(Fixes.render(format, plan, policy, before.labels()));
      }
      return new Planned(before, Optional.of(plan));
    }
  }

  private record Planned(TargetSnapshot snapshot, Optional<EnforcementPlan> plan) {}

  private static String summary(EnforceOutcome outcome) {
    return switch (outcome.result()) {
      case UNCHANGED -> "enforce: already complies, nothing changed";
      case APPLIED -> "enforce: applied: the replacement passed the re-audit"
          + outcome.backupName().map(b -> "; the original is kept as " + b).orElse("; no backup is kept");
      case ROLLED_BACK -> "enforce: rolled back: " + outcome.failure().orElse("the replacement failed")
          + "; the original runs again";
    };
  }

  /** Prints a pending recovery and returns it as a note for the report. */
  private String printPending(String target, PendingRecovery pending) {
    String line = switch (pending.holder()) {
      case RUNNING -> "an enforce is in progress: " + pending.run() + "; --apply refuses until it has finished";
      case GONE -> "a recovery is pending: " + pending.run() + " was interrupted; --apply will first:";
      case UNCHECKABLE -> "an enforce has not finished: " + pending.run() + ", whose process cannot be checked from"
          + " here; --apply --break-lock will first:";
    };
    out().println(Printable.of(target) + ": " + Printable.of(line));
    pending.actions().forEach(action -> out().println("  - " + Printable.of(action)));
    return "enforce: " + line + (pending.actions().isEmpty() ? "" : " " + String.join("; ", pending.actions()));
  }

  private void printPlan(EnforcementPlan plan, TargetResult audited, Optional<StopHandling> stop) {
    out().printf("%s: %s; plan: CapDrop [ALL], CapAdd %s%s%n", Printable.of(plan.target()), audited.verdict().id(),
        plan.capAddNames(), plan.noNewPrivileges() ? ", no-new-privileges" : "");
    out().printf("  bounding set %s -> %s; removed: %s%n", plan.currentBoundingSet(), plan.newBoundingSet(),
        plan.removed().names().isEmpty() ? "nothing" : String.join(", ", plan.removed().names()));
    plan.warnings().forEach(w -> out().println("  WARNING: " + Printable.of(w)));
    if (plan.alreadyComplies()) {
      out().println("  already complies: nothing to change");
      return;
    }
    stop.ifPresent(s -> {
      out().printf("  stopped with SIGTERM, then %d s before SIGKILL (%s)%n", s.stopTimeout().toSeconds(),
          s.ownTimeout() ? "its own StopTimeout" : stopTimeout != null ? "--stop-timeout" : "the engine's default");
      if (s.autoRemove()) {
        out().println(allowAutoRemove
            ? "  AutoRemove: it removes itself when stopped; no backup is kept, its configuration and volumes are"
            : "  AutoRemove: it removes itself when stopped; --apply refuses it without --allow-autoremove");
      }
    });
  }
}
