package dev.capaudit.cli;

import dev.capaudit.reports.json.JsonReport;
import dev.capaudit.reports.json.JsonReportException;
import dev.capaudit.reports.json.JsonReports;
import dev.capaudit.reports.json.JsonSnapshots;
import dev.capaudit.reports.console.Printable;
import dev.capaudit.rules.engine.Auditor;
import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.policy.Policy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Combines the JSON reports of several nodes into one fleet report. Each report is read back into the snapshots and
 * policy it was judged from and judged again, so the merged findings, headlines and exit code follow the usual rules
 * over every target; a target keeps its node, and the same name on two nodes stays two targets.
 */
@Command(name = "merge", mixinStandardHelpOptions = true,
    description = {"Combine node reports (JSON schema version 2, from 'capaudit scan' or 'capaudit host' on each node)"
        + " into one fleet report in any format, with exit codes as for scan.",
        "Each target keeps its node: the report's own, else the name of its host target, else the file name (a note"
            + " says which). Reports judged by different policies are refused unless --policy re-judges them all."})
final class MergeCommand extends AbstractCommand {
  @Parameters(paramLabel = "REPORT.json", arity = "1..*", description = "Node reports to merge.")
  List<Path> reports = new ArrayList<>();

  @Option(names = "--policy", paramLabel = "FILE", description = "Judge every target again under this policy file"
      + " or built-in policy, instead of the one the reports share.")
  String policy;

  @Mixin
  ReportOptions options = new ReportOptions();

  @Override
  protected ExitCode execute() throws CliProblem {
    Optional<Policy> chosen = policy == null ? Optional.empty() : Optional.of(PolicySource.load(policy));
    Policy shared = null;
    Path sharedFrom = null;
    List<TargetSnapshot> targets = new ArrayList<>();
    for (Path file : reports) {
      JsonReport report;
      Policy judgedBy;
      try {
        report = JsonReports.v2(ReportFiles.text(file, "report"), file.toString());
        judgedBy = JsonSnapshots.policy(report);
        targets.addAll(withNodes(JsonSnapshots.targets(report), file));
      } catch (JsonReportException e) {
        throw CliProblem.usage("cannot merge " + file + ": " + e.getMessage());
      }
      if (shared == null) {
        shared = judgedBy;
        sharedFrom = file;
      } else if (chosen.isEmpty() && !shared.equals(judgedBy)) {
        throw CliProblem.usage(file + " was judged by policy '" + Printable.of(judgedBy.name()) + "', " + sharedFrom
            + " by " + (shared.name().equals(judgedBy.name()) ? "another policy of that name" : "'"
                + Printable.of(shared.name()) + "'") + "; pass --policy to judge every target under one policy");
      }
    }
    return AuditRun.report(new Auditor(chosen.orElse(shared)).audit(targets), options, out(), err());
  }

  /**
   * Every target of one node report with its node set: a report written before nodes were known names none, and
   * targets of two such nodes must still never merge into one.
   */
  static List<TargetSnapshot> withNodes(List<TargetSnapshot> targets, Path file) {
    boolean known = targets.stream().allMatch(t -> !t.origin().node().isEmpty());
    if (known) {
      return targets;
    }
    Optional<String> host = targets.stream().filter(t -> t.kind() == TargetKind.HOST).map(TargetSnapshot::name)
        .filter(n -> !n.isBlank()).findFirst();
    String node = host.orElseGet(() -> file.getFileName().toString().replaceFirst("\\.json$", ""));
    String note = "node '" + node + "' taken from " + (host.isPresent() ? "the report's host target" : "the report's"
        + " file name " + file.getFileName()) + ": the report names no node";
    List<TargetSnapshot> named = new ArrayList<>();
    for (TargetSnapshot t : targets) {
      named.add(t.origin().node().isEmpty() ? t.withOrigin(t.origin().withNode(node)).withMore(List.of(),
          List.of(note)) : t);
    }
    return named;
  }
}
