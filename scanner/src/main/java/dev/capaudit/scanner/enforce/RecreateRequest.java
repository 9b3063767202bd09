package dev.capaudit.scanner.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capaudit.rules.enforce.EnforcementPlan;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The create request for the replacement container: the old container's own configuration, taken whole from its
 * raw inspect JSON (image, entrypoint, command, env, user, working dir, labels, hostname, mounts, ports, restart
 * policy, resources, devices, security options, log config, network mode), with only the capability settings
 * changed. Anonymous volumes are re-attached by name, never recreated empty.
 */
final class RecreateRequest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RecreateRequest() {}

  static ObjectNode create(JsonNode inspect, EnforcementPlan plan) {
    ObjectNode body = ((ObjectNode) inspect.path("Config")).deepCopy();
    ObjectNode host = ((ObjectNode) inspect.path("HostConfig")).deepCopy();
    host.put("Privileged", false);
    ArrayNode drop = host.putArray("CapDrop");
    drop.add("ALL");
    ArrayNode add = host.putArray("CapAdd");
    plan.capAddNames().forEach(add::add);
    if (plan.noNewPrivileges()) {
      securityOptions(host).add("no-new-privileges:true");
    }
    reattachAnonymousVolumes(inspect, host);
    body.set("HostConfig", host);
    primaryNetwork(inspect, host).ifPresent(endpoints -> body.set("NetworkingConfig", endpoints));
    return body;
  }

  /** Networks beyond the primary one, to connect after create (the engine takes one network at create time). */
  static Map<String, JsonNode> extraNetworks(JsonNode inspect) {
    Map<String, JsonNode> extra = new LinkedHashMap<>();
    String primary = inspect.path("HostConfig").path("NetworkMode").asText("");
    inspect.path("NetworkSettings").path("Networks").fields().forEachRemaining(e -> {
      if (!e.getKey().equals(primary) && !isBuiltIn(e.getKey())) {
        extra.put(e.getKey(), endpoint(e.getValue()));
      }
    });
    return extra;
  }

  private static Optional<ObjectNode> primaryNetwork(JsonNode inspect, ObjectNode host) {
    String mode = host.path("NetworkMode").asText("");
    JsonNode settings = inspect.path("NetworkSettings").path("Networks").path(mode);
    if (mode.isEmpty() || isBuiltIn(mode) || settings.isMissingNode()) {
      return Optional.empty();
    }
    ObjectNode networking = JSON.createObjectNode();
    networking.putObject("EndpointsConfig").set(mode, endpoint(settings));
    return Optional.of(networking);
  }

  private static boolean isBuiltIn(String network) {
    return network.equals("default") || network.equals("bridge") || network.equals("host")
        || network.equals("none") || network.startsWith("container:");
  }

  /** What a user configured on an endpoint; the engine fills in addresses and ids itself. */
  private static ObjectNode endpoint(JsonNode settings) {
    ObjectNode endpoint = JSON.createObjectNode();
    for (String field : new String[] {"IPAMConfig", "Links", "Aliases", "DriverOpts"}) {
      if (settings.hasNonNull(field)) {
        endpoint.set(field, settings.get(field));
      }
    }
    return endpoint;
  }

  private static ArrayNode securityOptions(ObjectNode host) {
    JsonNode existing = host.path("SecurityOpt");
    ArrayNode options = JSON.createArrayNode();
    if (existing.isArray()) {
      existing.forEach(option -> {
        if (!option.asText().startsWith("no-new-privileges")) {
          options.add(option);
        }
      });
    }
    host.set("SecurityOpt", options);
    return options;
  }

  /**
   * An anonymous volume (declared by the image, no name given) would be created afresh and empty by a new
   * container; binding the old volume by name keeps its data.
   */
  private static void reattachAnonymousVolumes(JsonNode inspect, ObjectNode host) {
    Set<String> covered = new HashSet<>();
    host.path("Binds").forEach(bind -> covered.add(destination(bind.asText())));
    host.path("Mounts").forEach(mount -> covered.add(mount.path("Target").asText()));
    ArrayNode binds = host.path("Binds").isArray() ? (ArrayNode) host.get("Binds") : host.putArray("Binds");
    for (Iterator<JsonNode> it = inspect.path("Mounts").elements(); it.hasNext();) {
      JsonNode mount = it.next();
      String target = mount.path("Destination").asText();
      if ("volume".equals(mount.path("Type").asText()) && !covered.contains(target)) {
        binds.add(mount.path("Name").asText() + ":" + target + (mount.path("RW").asBoolean(true) ? "" : ":ro"));
      }
    }
  }

  private static String destination(String bind) {
    String[] parts = bind.split(":");
    return parts.length >= 2 ? parts[1] : parts[0];
  }
}
