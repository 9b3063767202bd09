package dev.capaudit.scanner.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What enforce reads of a container's raw inspect JSON: who it is, whether it runs, how it stops, its labels. The
 * whole JSON stays at hand, since a replacement is built from it.
 *
 * @param name without Docker's leading slash
 * @param stopTimeout {@code Config.StopTimeout}: how long the container asked to be given on SIGTERM
 */
record ContainerFacts(String id, String name, String image, boolean running, boolean autoRemove,
    Optional<Duration> stopTimeout, Map<String, String> labels, JsonNode inspect) {
  private static final ObjectMapper JSON = new ObjectMapper();

  ContainerFacts {
    labels = Map.copyOf(labels);
  }

  static ContainerFacts parse(String inspectJson) throws IOException {
    JsonNode root = JSON.readTree(inspectJson);
    String id = root.path("Id").asText("");
    if (id.isEmpty()) {
      throw new IOException("the engine's inspect answer has no Id");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    root.path("Config").path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    JsonNode timeout = root.path("Config").path("StopTimeout");
    return new ContainerFacts(id, root.path("Name").asText("").replaceFirst("^/", ""), root.path("Image").asText(""),
        root.path("State").path("Running").asBoolean(false), root.path("HostConfig").path("AutoRemove").asBoolean(false),
        timeout.isIntegralNumber() ? Optional.of(Duration.ofSeconds(timeout.asLong())) : Optional.empty(), labels,
        root);
  }

  String role() {
    return labels.getOrDefault(RunRecord.ROLE, "");
  }

  String shortId() {
    return shortIdOf(id);
  }

  static String shortIdOf(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
