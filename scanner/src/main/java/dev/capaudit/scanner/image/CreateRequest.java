package dev.capaudit.scanner.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The engine's create-container request for a throwaway container of an image (the gate's, minimize's trials),
 * built as JSON so capability names go to the engine as written (docker-java's typed HostConfig would force them
 * through its Capability enum).
 */
public final class CreateRequest {
  static final String LABEL = "capaudit.gate";
  /** The most a throwaway container's log may take on disk: its log is evidence, never a disk filler. */
  private static final String LOG_SIZE = "10m";
  private static final ObjectMapper JSON = new ObjectMapper();

  private CreateRequest() {}

  static String json(GateSettings settings, String runId) {
    return json(settings, Map.of(LABEL, runId));
  }

  /** The request with these labels, which find the container again whatever happens to the caller. */
  public static String json(GateSettings settings, Map<String, String> labels) {
    ObjectNode root = JSON.createObjectNode();
    root.put("Image", settings.image());
    if (!settings.command().isEmpty()) {
      strings(root.putArray("Cmd"), settings.command());
    }
    settings.user().ifPresent(user -> root.put("User", user));
    strings(root.putArray("Env"), settings.env());
    ObjectNode labelNode = root.putObject("Labels");
    labels.forEach(labelNode::put);
    // The gate judges capabilities, not networking: the image runs with no network at all.
    root.put("NetworkDisabled", true);
    ObjectNode host = root.putObject("HostConfig");
    strings(host.putArray("CapAdd"), concat(settings.profile().capAdd(), settings.capAdd()));
    strings(host.putArray("CapDrop"), settings.profile().capDrop());
    host.put("NetworkMode", "none");
    host.set("LogConfig", jsonFileLog());
    return root.toString();
  }

  /**
   * A log the engine can hand back whatever its default driver (syslog, none, a remote collector would leave the
   * entrypoint's log unreadable, or ship a throwaway container's output to someone else's logs), capped in size.
   */
  public static ObjectNode jsonFileLog() {
    ObjectNode log = JSON.createObjectNode();
    log.put("Type", "json-file");
    log.putObject("Config").put("max-size", LOG_SIZE);
    return log;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return Stream.concat(a.stream(), b.stream()).toList();
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
