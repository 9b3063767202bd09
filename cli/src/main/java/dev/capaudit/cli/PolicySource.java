package dev.capaudit.cli;

import dev.capaudit.rules.policy.Policy;
import dev.capaudit.scanner.io.BoundedFiles;
import dev.capaudit.scanner.io.InputFileException;
import dev.capaudit.scanner.policy.PolicyFileException;
import dev.capaudit.scanner.policy.PolicyFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * Resolves {@code --policy}: a file path, or the name of a built-in policy (the files of samples/policies, shipped
 * inside the jar). A file of that name wins over the built-in one.
 */
final class PolicySource {
  static final String DEFAULT = "cis-docker";
  static final List<String> BUILT_IN = List.of("cis-docker", "k8s-restricted", "nemoclaw-sandbox");

  private PolicySource() {}

  static Policy load(String reference) throws CliProblem {
    if (reference == null || reference.isEmpty()) {
      throw CliProblem.usage("no policy given: name a policy file or a built-in policy (" + builtIns() + ")");
    }
    Path file;
    try {
      file = Path.of(reference);
    } catch (InvalidPathException e) {
      throw CliProblem.usage("no policy file '" + reference + "': " + e.getReason());
    }
    try {
      // Only a file known to be absent falls back: one that cannot be looked at (a directory without search
      // permission) is loaded, so the message says why it cannot be read.
      if (Files.notExists(file)) {
        if (BUILT_IN.contains(reference)) {
          return PolicyFiles.parse(builtIn(reference), "built-in:" + reference);
        }
        throw CliProblem.usage("no policy file '" + reference + "': No such file or directory (built-in"
            + " policies: " + builtIns() + ")");
      }
      return PolicyFiles.load(file);
    } catch (PolicyFileException e) {
      throw CliProblem.usage(e.getMessage());
    }
  }

  private static String builtIns() {
    return String.join(", ", BUILT_IN);
  }

  private static String builtIn(String name) throws CliProblem {
    try (InputStream in = PolicySource.class.getResourceAsStream("policies/" + name + ".yaml")) {
      if (in == null) {
        throw CliProblem.tool("built-in policy '" + name + "' is missing from this build");
      }
      byte[] bytes = in.readNBytes(BoundedFiles.DOCUMENT_LIMIT + 1);
      if (bytes.length > BoundedFiles.DOCUMENT_LIMIT) {
        throw CliProblem.tool("built-in policy '" + name + "' is larger than any policy may be");
      }
      return BoundedFiles.decode(bytes, "built-in policy " + name);
    } catch (IOException | InputFileException e) {
      throw CliProblem.tool("cannot read built-in policy '" + name + "': " + e.getMessage());
    }
  }
}
