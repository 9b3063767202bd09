package dev.capaudit.cli;

import dev.capaudit.rules.engine.Rule;
import dev.capaudit.rules.engine.Rules;
import picocli.CommandLine.Command;

/** Lists the registered rules with their documentation. */
@Command(name = "rules", mixinStandardHelpOptions = true,
    description = "List every rule capaudit checks: id, severity, CIS reference, rationale and remediation.")
final class RulesCommand extends AbstractCommand {
  @Override
  protected ExitCode execute() {
    for (Rule rule : Rules.all()) {
      out().printf("%s [%s] %s%n  CIS: %s%n  Why: %s%n  Fix: %s%n%n", rule.id(), rule.severity().id(), rule.title(),
          String.join(", ", rule.cisReferences()), rule.rationale(), rule.remediation());
    }
    return ExitCode.PASS;
  }
}
