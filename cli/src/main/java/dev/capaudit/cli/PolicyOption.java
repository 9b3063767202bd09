package dev.capaudit.cli;

import dev.capaudit.rules.policy.Policy;
import picocli.CommandLine.Option;

/** The {@code --policy} option every auditing command takes. */
final class PolicyOption {
  @Option(names = "--policy", paramLabel = "FILE", defaultValue = PolicySource.DEFAULT,
      description = "Policy file, or a built-in policy (cis-docker, k8s-restricted, nemoclaw-sandbox)."
          + " Default: ${DEFAULT-VALUE}.")
  String reference;

  Policy load() throws CliProblem {
    return PolicySource.load(reference);
  }
}
