package dev.capaudit.cli;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.engine.Rule;
import dev.capaudit.rules.engine.Rules;
import picocli.CommandLine.Command;

/** Lists the registered rules with their documentation, and the capabilities' risk rank. */
@Command(name = "rules", mixinStandardHelpOptions = true,
    description = {"List every rule capaudit checks (id, severity, CIS reference, rationale and remediation), then the"
        + " capabilities from most to least dangerous: the order findings of one severity are shown in."})
final class RulesCommand extends AbstractCommand {
  @Override
  protected ExitCode execute() {
    for (Rule rule : Rules.all()) {
      out().printf("%s [%s] %s%n  CIS: %s%n  Why: %s%n  Fix: %s%n%n", rule.id(), rule.severity().id(), rule.title(),
          String.join(", ", rule.cisReferences()), rule.rationale(), rule.remediation());
    }
    out().println("Risk rank (1 = most dangerous; ALL ranks before every capability, CAP_41 and newer after):");
    for (Capability capability : Capability.byRisk()) {
      out().printf("  %2d  %-24s %s%n", capability.riskRank(), capability.canonicalName(), capability.risk());
    }
    return ExitCode.PASS;
  }
}
