package dev.capaudit.scanner.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capaudit.rules.enforce.EnforcementPlan;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The create request for the replacement container: the old container's own configuration, taken whole from its
 * raw inspect JSON (image, entrypoint, command, env, user, working dir, labels, hostname, mounts, ports, restart
 * policy, resources, devices, security options, log config, network mode), with only the capability settings
 * changed. Anonymous volumes come over through {@code VolumesFrom}: the replacement then owns them as the original
 * did, with the same modes, instead of naming them like named volumes.
 */
final class RecreateRequest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RecreateRequest() {}

  /**
   * The replacement: the enforced capability settings, the run's labels in place of any earlier run's.
   *
   * @param autoRemove off until the replacement has verified: one that removed itself on a failed start would take
   *     the only remaining hold on an AutoRemove original's volumes with it
   */
  static ObjectNode replacement(JsonNode inspect, EnforcementPlan plan, Map<String, String> runLabels,
      boolean autoRemove) {
    ObjectNode body = ((ObjectNode) inspect.path("Config")).deepCopy();
    ObjectNode host = hostConfig(inspect);
    host.put("Privileged", false);
    ArrayNode drop = host.putArray("CapDrop");
    drop.add("ALL");
    ArrayNode add = host.putArray("CapAdd");
    plan.capAddNames().forEach(add::add);
    if (plan.noNewPrivileges()) {
      securityOptions(host).add("no-new-privileges:true");
    }
    host.put("AutoRemove", autoRemove);
    if (needsVolumesFrom(inspect)) {
      host.putArray("VolumesFrom").add(inspect.path("Id").asText());
    }
    ObjectNode labels = body.putObject("Labels");
    inspect.path("Config").path("Labels").fields().forEachRemaining(e -> {
      if (!e.getKey().startsWith(RunRecord.PREFIX)) {
        labels.set(e.getKey(), e.getValue());
      }
    });
    runLabels.forEach(labels::put);
    body.set("HostConfig", host);
    primaryNetwork(inspect, host).ifPresent(endpoints -> body.set("NetworkingConfig", endpoints));
    return body;
  }

  /**
   * The original's host configuration as a create request takes it. Podman's inspect names ulimits as the kernel
   * does ({@code RLIMIT_NOFILE}) and its create takes only Docker's names ({@code nofile}): both engines take those.
   */
  private static ObjectNode hostConfig(JsonNode inspect) {
    ObjectNode host = ((ObjectNode) inspect.path("HostConfig")).deepCopy();
    JsonNode ulimits = host.path("Ulimits");
    if (ulimits.isArray()) {
      for (JsonNode ulimit : ulimits) {
        String name = ulimit.path("Name").asText("");
        if (ulimit instanceof ObjectNode object && name.toUpperCase(Locale.ROOT).startsWith("RLIMIT_")) {
          object.put("Name", name.substring("RLIMIT_".length()).toLowerCase(Locale.ROOT));
        }
      }
    }
    return host;
  }

  /**
   * The original again, as it was, for an AutoRemove original that removed itself when stopped.
   *
   * @param volumesHolder a container of the run that still holds the original's volumes
   */
  static ObjectNode restore(JsonNode inspect, Optional<String> volumesHolder) {
    ObjectNode body = ((ObjectNode) inspect.path("Config")).deepCopy();
    ObjectNode host = hostConfig(inspect);
    if (needsVolumesFrom(inspect) && volumesHolder.isPresent()) {
      host.putArray("VolumesFrom").add(volumesHolder.get());
    }
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
   * Whether the container has volumes that only {@code VolumesFrom} can carry over: anonymous ones (no bind or mount
   * names their destination) and whatever it got through its own {@code VolumesFrom}. VolumesFrom copies each mount
   * point as it is, so an anonymous volume stays anonymous: removed with the container that owns it, kept while
   * another uses it, and shown with the mode it had. Binds and mounts of the same destination win over it.
   */
  private static boolean needsVolumesFrom(JsonNode inspect) {
    JsonNode host = inspect.path("HostConfig");
    if (host.path("VolumesFrom").size() > 0) {
      return true;
    }
    Set<String> covered = new HashSet<>();
    host.path("Binds").forEach(bind -> covered.add(destination(bind.asText())));
    host.path("Mounts").forEach(mount -> covered.add(mount.path("Target").asText()));
    for (Iterator<JsonNode> it = inspect.path("Mounts").elements(); it.hasNext();) {
      JsonNode mount = it.next();
      if ("volume".equals(mount.path("Type").asText()) && !covered.contains(mount.path("Destination").asText())) {
        return true;
      }
    }
    return false;
  }

  private static String destination(String bind) {
    String[] parts = bind.split(":");
    return parts.length >= 2 ? parts[1] : parts[0];
  }
}
