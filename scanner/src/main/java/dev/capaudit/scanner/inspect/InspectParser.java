package dev.capaudit.scanner.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.DockerCapabilities;
import dev.capaudit.rules.model.ContainerConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads capability settings from the raw JSON of {@code docker inspect}. It deliberately avoids docker-java's typed
 * {@code HostConfig}: its {@code Capability} enum rejects lower-case names, {@code ALL} and unknown names, and one such
 * value would fail the whole response.
 */
public final class InspectParser {
  private static final ObjectMapper JSON = new ObjectMapper();

  private InspectParser() {}

  /** Parses the output of {@code docker inspect} (an array) or one container object. */
  public static List<InspectedContainer> parse(String json, CapabilityMask kernelCapabilities) throws IOException {
    JsonNode root = JSON.readTree(json);
    List<InspectedContainer> result = new ArrayList<>();
    if (root != null && root.isArray()) {
      for (JsonNode node : root) {
        result.add(parse(node, kernelCapabilities));
      }
    } else if (root != null && root.isObject()) {
      result.add(parse(root, kernelCapabilities));
    } else {
      throw new IOException("not docker inspect output: expected a JSON array or object");
    }
    return result;
  }

  public static InspectedContainer parse(JsonNode container, CapabilityMask kernelCapabilities) {
    JsonNode host = container.path("HostConfig");
    JsonNode config = container.path("Config");
    JsonNode state = container.path("State");
    boolean privileged = host.path("Privileged").asBoolean(false);
    List<String> capAdd = strings(host.path("CapAdd"));
    List<String> capDrop = strings(host.path("CapDrop"));
    List<String> securityOptions = strings(host.path("SecurityOpt"));
    ContainerConfig containerConfig = new ContainerConfig(
        privileged,
        capAdd,
        capDrop,
        boundingSet(container, privileged, capAdd, capDrop, kernelCapabilities),
        config.path("User").asText(""),
        securityOptions.stream().anyMatch(InspectParser::isNoNewPrivileges),
        seccompProfile(securityOptions),
        securityOptions,
        host.path("PidMode").asText(""));
    String name = container.path("Name").asText("");
    return new InspectedContainer(
        container.path("Id").asText(""),
        name.startsWith("/") ? name.substring(1) : name,
        config.path("Image").asText(""),
        labels(config.path("Labels")),
        containerConfig,
        state.path("Pid").asInt(0),
        state.path("Status").asText(""),
        state.path("Running").asBoolean(false),
        state.path("Paused").asBoolean(false),
        state.path("ExitCode").asLong(0));
  }

  /**
   * Podman's inspect says the bounding set its spec holds ({@code BoundingCaps}): its own defaults (11), its
   * {@code ALL}, the image's {@code io.containers.capabilities} label are all in it. Docker's inspect does not, so
   * the set is computed from the settings as moby does.
   */
  private static CapabilityMask boundingSet(JsonNode container, boolean privileged, List<String> capAdd,
      List<String> capDrop, CapabilityMask all) {
    JsonNode reported = container.path("BoundingCaps");
    if (reported.isArray()) {
      CapabilityMask mask = CapabilityMask.EMPTY;
      for (JsonNode name : reported) {
        Optional<Capability> capability = Capability.parse(name.asText());
        if (capability.isEmpty()) {
          return DockerCapabilities.boundingSet(privileged, capAdd, capDrop, all).mask();
        }
        mask = mask.union(CapabilityMask.of(capability.get()));
      }
      return mask;
    }
    return DockerCapabilities.boundingSet(privileged, capAdd, capDrop, all).mask();
  }

  /** Docker accepts {@code no-new-privileges}, {@code no-new-privileges:true} and {@code =true}. */
  static boolean isNoNewPrivileges(String option) {
    String normalized = option.trim().toLowerCase(Locale.ROOT);
    return normalized.equals("no-new-privileges") || normalized.equals("no-new-privileges:true")
        || normalized.equals("no-new-privileges=true");
  }

  private static Optional<String> seccompProfile(List<String> securityOptions) {
    for (String option : securityOptions) {
      String lower = option.toLowerCase(Locale.ROOT);
      if (lower.startsWith("seccomp=") || lower.startsWith("seccomp:")) {
        String value = option.substring("seccomp=".length());
        // Docker stores a custom profile's whole JSON in the option; keep the report short.
        return Optional.of(value.trim().startsWith("{") ? "custom" : value);
      }
    }
    return Optional.empty();
  }

  private static List<String> strings(JsonNode array) {
    List<String> result = new ArrayList<>();
    if (array.isArray()) {
      array.forEach(node -> result.add(node.asText()));
    }
    return result;
  }

  private static Map<String, String> labels(JsonNode labels) {
    Map<String, String> result = new LinkedHashMap<>();
    if (labels.isObject()) {
      labels.fields().forEachRemaining(e -> result.put(e.getKey(), e.getValue().asText()));
    }
    return result;
  }
}
