package dev.capaudit.cli;

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
import dev.capaudit.scanner.enforce.Recreator;
import dev.capaudit.scanner.live.LiveScanner;
import dev.capaudit.scanner.live.ScanSettings;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Makes the policy true: plans the runtime settings, recreates the container on --apply, emits fixes. */
@Command(name = "enforce", mixinStandardHelpOptions = true,
    description = {"Plan (default, changes nothing) the settings that make the policy true for each container:"
        + " CapDrop ALL, CapAdd exactly the load-bearing capabilities its root context may keep, optionally"
        + " no-new-privileges, and what would disappear.",
        "--apply recreates the container with them (everything else kept, anonymous volumes re-attached), keeps the"
            + " original as <name>.capaudit-backup-<time>, verifies the new one and rolls back if it fails.",
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

  @Mixin
  AuditOptions options = new AuditOptions();

  @Override
  protected ExitCode execute() throws CliProblem {
    if (removeBackup && keepBackup) {
      throw CliProblem.usage("--keep-backup and --remove-backup exclude each other");
    }
    Policy loaded = options.policy.load();
    Auditor auditor = new Auditor(loaded);
    List<TargetSnapshot> after = new ArrayList<>();
    boolean rolledBack = false;
    try (DockerEngine docker = options.engine.connect()) {
      LiveScanner scanner = new LiveScanner(docker, options.engine.hostProc(), ScanSettings.defaults(List.of()));
      Recreator recreator = new Recreator(docker, options.engine.hostProc(), ScanSettings.defaults(List.of()), auditor,
          Duration.ofSeconds(grace), Clock.systemUTC());
      for (String target : targets) {
        recreator.recover(target).ifPresent(message -> out().println(target + ": " + message));
        TargetSnapshot before = scanner.scanOne(target);
        if (before.config().isEmpty()) {
          after.add(before);
          err().println("capaudit: " + Printable.of(target) + ": " + String.join("; ", before.errors()));
          continue;
        }
        TargetResult audited = auditor.audit(before);
        EnforcementPlan plan = Planner.plan(loaded, audited, noNewPrivileges);
        printPlan(plan, audited);
        for (FixFormat format : emit) {
          out().print(Fixes.render(format, plan, loaded, before.labels()));
        }
        if (!apply) {
          after.add(before);
          continue;
        }
        EnforceOutcome outcome = recreator.apply(plan, removeBackup, line -> out().println("  " + line));
        rolledBack |= outcome.result() == EnforceOutcome.Result.ROLLED_BACK;
        after.add(scanner.scanOne(target));
        out().println(Printable.of(target) + ": " + outcome.result().name().toLowerCase().replace('_', ' '));
      }
    } catch (IOException e) {
      throw CliProblem.tool("enforce failed: " + e.getMessage());
    }
    ExitCode audit = AuditRun.judgeAndReport(loaded, after, options.reports, out());
    return rolledBack ? ExitCode.VIOLATIONS : audit;
  }

  private void printPlan(EnforcementPlan plan, TargetResult audited) {
    out().printf("%s: %s; plan: CapDrop [ALL], CapAdd %s%s%n", Printable.of(plan.target()), audited.verdict().id(),
        plan.capAddNames(), plan.noNewPrivileges() ? ", no-new-privileges" : "");
    out().printf("  bounding set %s -> %s; removed: %s%n", plan.currentBoundingSet(), plan.newBoundingSet(),
        plan.removed().names().isEmpty() ? "nothing" : String.join(", ", plan.removed().names()));
    plan.warnings().forEach(w -> out().println("  WARNING: " + Printable.of(w)));
    if (plan.alreadyComplies()) {
      out().println("  already complies: nothing to change");
    }
  }
}
