package dev.capaudit.cli;

import dev.capaudit.reports.fix.FixFormat;
import dev.capaudit.reports.fix.Fixes;
import dev.capaudit.rules.enforce.EnforcementPlan;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.scanner.io.BoundedFiles;
import dev.capaudit.scanner.minimize.MinimizeResult;
import dev.capaudit.scanner.policy.PolicyWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What minimize writes besides its reports: the proven policy and the fixes for the set. */
final class MinimizeOutputs {
  private MinimizeOutputs() {}

  /** Refuses a --policy-out that cannot be written before a trial runs, not after minutes of them. */
  static void checkWritable(Path file) throws CliProblem {
    if (file == null) {
      return;
    }
    Path parent = file.toAbsolutePath().getParent();
    if (Files.isDirectory(file)) {
      throw CliProblem.usage("--policy-out " + file + " is a directory");
    }
    if (parent != null && !Files.isDirectory(parent)) {
      throw CliProblem.usage("--policy-out " + file + ": No such directory " + parent);
    }
  }

  static void write(MinimizeResult result, Policy proven, Path policyOut, List<FixFormat> emit,
      MinimizeConsole console) throws CliProblem {
    if (policyOut != null) {
      String text = PolicyWriter.write(proven, List.of("capaudit minimize " + result.template().target() + ": "
          + result.set() + " " + result.set().names(), "the reason of each load-bearing capability is the trial"
          + " without it; every other capability is must-drop"));
      try {
        Files.writeString(policyOut, text, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw CliProblem.tool("cannot write the policy " + policyOut + ": " + BoundedFiles.reason(e));
      }
      console.line("policy written to " + policyOut);
    }
    EnforcementPlan plan = new EnforcementPlan(result.template().target(), result.start(), result.set()
        .capabilities(), false, result.start().minus(result.set()), List.of(), false);
    Map<String, String> labels = result.template().fromContainer() ? result.template().labels()
        : Map.of(Fixes.COMPOSE_SERVICE, Fixes.serviceName(result.template().target()));
    for (FixFormat format : emit) {
      try {
        console.fix(Fixes.render(format, plan, proven, labels));
      } catch (IOException e) {
        throw CliProblem.tool("cannot render the " + format.id() + " fix: " + e.getMessage());
      }
    }
  }
}
