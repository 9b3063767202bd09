package dev.capaudit.scanner.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Stream;

/**
 * The engine's create-container request for the gate, built as JSON so capability names go to the engine as
 * written (docker-java's typed HostConfig would force them through its Capability enum).
 */
final class CreateRequest {
  static final String LABEL = "capaudit.gate";
  private static final ObjectMapper JSON = new ObjectMapper();

  private CreateRequest() {}

  static String json(GateSettings settings, String runId) {
    ObjectNode root = JSON.createObjectNode();
    root.put("Image", settings.image());
    if (!settings.command().isEmpty()) {
      strings(root.putArray("Cmd"), settings.command());
    }
    settings.user().ifPresent(user -> root.put("User", user));
    strings(root.putArray("Env"), settings.env());
    root.putObject("Labels").put(LABEL, runId);
    // The gate judges capabilities, not networking: the image runs with no network at all.
    root.put("NetworkDisabled", true);
    ObjectNode host = root.putObject("HostConfig");
    strings(host.putArray("CapAdd"), concat(settings.profile().capAdd(), settings.capAdd()));
    strings(host.putArray("CapDrop"), settings.profile().capDrop());
    host.put("NetworkMode", "none");
    return root.toString();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return Stream.concat(a.stream(), b.stream()).toList();
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
