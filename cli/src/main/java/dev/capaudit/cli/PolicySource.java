package dev.capaudit.cli;

import dev.capaudit.rules.policy.Policy;
import dev.capaudit.scanner.policy.PolicyFileException;
import dev.capaudit.scanner.policy.PolicyFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Resolves {@code --policy}: a file path, or the name of a built-in policy (the files of samples/policies, shipped
 * inside the jar).
 */
final class PolicySource {
  static final String DEFAULT = "cis-docker";
  static final List<String> BUILT_IN = List.of("cis-docker", "k8s-restricted", "nemoclaw-sandbox");

  private PolicySource() {}

  static Policy load(String reference) throws CliProblem {
    try {
      Path file = Path.of(reference);
      if (Files.exists(file)) {
        return PolicyFiles.load(file);
      }
      if (BUILT_IN.contains(reference)) {
        return PolicyFiles.parse(builtIn(reference), "built-in:" + reference);
      }
    } catch (PolicyFileException e) {
      throw CliProblem.usage(e.getMessage());
    }
    throw CliProblem.usage("no policy file '" + reference + "' (built-in policies: " + String.join(", ", BUILT_IN)
        + ")");
  }

  private static String builtIn(String name) throws CliProblem {
    try (InputStream in = PolicySource.class.getResourceAsStream("policies/" + name + ".yaml")) {
      if (in == null) {
        throw CliProblem.tool("built-in policy '" + name + "' is missing from this build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CliProblem.tool("cannot read built-in policy '" + name + "': " + e.getMessage());
    }
  }
}
