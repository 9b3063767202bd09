package dev.capaudit.cli;

import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.scanner.snapshot.SnapshotFileException;
import dev.capaudit.scanner.snapshot.SnapshotFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Audits targets against a policy. */
@Command(name = "scan", mixinStandardHelpOptions = true,
    description = "Audit targets against a capability policy and print a summary; write reports on request.")
final class ScanCommand extends AbstractCommand {
  @Option(names = "--policy", paramLabel = "FILE", defaultValue = PolicySource.DEFAULT,
      description = "Policy file, or a built-in policy (cis-docker, k8s-restricted, nemoclaw-sandbox)."
          + " Default: ${DEFAULT-VALUE}.")
  String policy;

  @Option(names = "--snapshot", paramLabel = "FILE", required = true,
      description = "Audit a captured snapshot file instead of live containers (repeatable).")
  List<Path> snapshots = new ArrayList<>();

  @Mixin
  ReportOptions reports = new ReportOptions();

  @Override
  protected ExitCode execute() throws CliProblem {
    Policy loaded = PolicySource.load(policy);
    List<TargetSnapshot> targets = new ArrayList<>();
    for (Path snapshot : snapshots) {
      try {
        targets.addAll(SnapshotFiles.load(snapshot));
      } catch (SnapshotFileException e) {
        throw CliProblem.usage(e.getMessage());
      }
    }
    return AuditRun.judgeAndReport(loaded, targets, reports, out());
  }
}
