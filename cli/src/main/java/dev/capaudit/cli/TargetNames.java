package dev.capaudit.cli;

import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.inspect.InspectParser;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves a container named on the command line to exactly one container, as Docker does (an exact name, else a
 * unique id prefix); an ambiguous prefix is a usage error that says which containers it matched, never an audit of
 * whichever the engine picked.
 */
final class TargetNames {

  private TargetNames() {}

  static String resolve(DockerEngine engine, String target) throws CliProblem {
    if (target.isBlank()) {
      throw CliProblem.usage("an empty container name matches nothing; name a container or use --all");
    }
    if (!target.matches("[0-9a-f]{1,63}")) {
      return target; // a name, or a whole id: the engine matches it exactly
    }
    List<String> ids;
    boolean exactName;
    try {
      ids = engine.containers(DockerEngine.EVERY_STATE, Map.of()).stream().filter(id -> id.startsWith(target))
          .toList();
      exactName = ids.size() > 1 && engine.containersNamed(target).stream().anyMatch(id -> named(engine, id, target));
    } catch (IOException e) {
      throw CliProblem.tool("cannot list containers at " + engine.host() + ": " + e.getMessage());
    }
    if (ids.size() > 1 && !exactName) {
      throw CliProblem.usage("'" + target + "' is ambiguous: it is the start of " + ids.size() + " container ids ("
          + String.join(", ", ids.stream().map(id -> id.substring(0, Math.min(12, id.length()))).toList())
          + "); give more of the id or the container's name");
    }
    return target;
  }

  /** Whether the container's name is exactly the target (Docker prefers an exact name to an id prefix). */
  private static boolean named(DockerEngine engine, String id, String target) {
    try {
      Optional<String> json = engine.inspectRaw(id);
      return json.isPresent() && InspectParser.parse(json.get(), CapabilityMask.ALL_KNOWN).stream()
          .anyMatch(container -> container.name().equals(target));
    } catch (IOException e) {
      return false;
    }
  }
}
