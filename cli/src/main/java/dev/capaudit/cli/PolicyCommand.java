package dev.capaudit.cli;

import dev.capaudit.reports.console.Printable;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.rules.policy.PolicyDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Policy tools. */
@Command(name = "policy", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
    description = "Work with capability policies.",
    subcommands = PolicyCommand.Check.class)
final class PolicyCommand {

  /** Validates a policy and says what it means. */
  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Validate a policy file (or a built-in policy name) and print what it means in words.")
  static final class Check extends AbstractCommand {
    @Parameters(paramLabel = "FILE", description = "The policy file, or a built-in policy: cis-docker,"
        + " k8s-restricted, nemoclaw-sandbox.")
    String file;

    @Override
    protected ExitCode execute() throws CliProblem {
      Policy policy = PolicySource.load(file);
      // The file name and the policy's name, description and reasons are whatever its author wrote.
      out().println(Printable.of(file) + ": valid");
      PolicyDescription.lines(policy).forEach(line -> out().println(Printable.of(line)));
      return ExitCode.PASS;
    }
  }
}
