package dev.capaudit.scanner.minimize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.scanner.image.CreateRequest;
import dev.capaudit.scanner.inspect.InspectParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trials of an existing container, built from its own inspect JSON as enforce builds a replacement (image by id,
 * entrypoint, command, env, user, working dir, healthcheck, resources, devices, security options), never touching
 * it: a new name, no network and no published ports, nothing shared with it that a trial could write or signal
 * (no other container's pid or IPC namespace, none of the host's), no restart policy (a trial that exits has
 * failed), and its volumes and binds replaced as {@link VolumeMode} says.
 */
public final class ContainerTrials implements TrialTemplate {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> SHARED_NAMESPACES = List.of("PidMode", "IpcMode", "UTSMode");

  private final String target;
  private final JsonNode inspect;
  private final VolumeMode volumes;
  private final List<String> notes = new ArrayList<>();

  public ContainerTrials(String target, String inspectJson, VolumeMode volumes) throws IOException {
    this.target = target;
    this.inspect = JSON.readTree(inspectJson);
    this.volumes = volumes;
    if (!inspect.path("Config").isObject() || !inspect.path("HostConfig").isObject()) {
      throw new IOException("the engine's inspect answer for " + target + " has no Config or HostConfig");
    }
    describe();
  }

  @Override
  public String target() {
    return target;
  }

  @Override
  public String image() {
    return inspect.path("Config").path("Image").asText(inspect.path("Image").asText(""));
  }

  @Override
  public boolean fromContainer() {
    return true;
  }

  @Override
  public String createJson(CapabilityMask set, Map<String, String> labels) {
    ObjectNode body = ((ObjectNode) inspect.path("Config")).deepCopy();
    // The image by id: a tag moved since the container was created must not change what is tried.
    body.put("Image", inspect.path("Image").asText(image()));
    body.remove(List.of("MacAddress", "ExposedPorts"));
    body.put("NetworkDisabled", true);
    // The original's labels stay off the trial (a compose project would count it as one of its own);
    // the image's labels come with the image.
    ObjectNode labelNode = body.putObject("Labels");
    labels.forEach(labelNode::put);
    ObjectNode host = ((ObjectNode) inspect.path("HostConfig")).deepCopy();
    host.put("Privileged", false);
    ArrayNode add = host.putArray("CapAdd");
    set.capabilities().forEach(c -> add.add(c.name()));
    host.putArray("CapDrop").add("ALL");
    host.put("NetworkMode", "none");
    host.remove(List.of("PortBindings", "Links", "ContainerIDFile"));
    host.put("PublishAllPorts", false);
    host.put("AutoRemove", false);
    host.putObject("RestartPolicy").put("Name", "no");
    host.set("LogConfig", CreateRequest.jsonFileLog());
    SHARED_NAMESPACES.forEach(mode -> {
      if (shares(host.path(mode).asText(""))) {
        host.remove(mode);
      }
    });
    volumes(body, host);
    body.set("HostConfig", host);
    return body.toString();
  }

  private void volumes(ObjectNode body, ObjectNode host) {
    host.remove(List.of("Binds", "VolumesFrom"));
    ArrayNode kept = JSON.createArrayNode();
    host.path("Mounts").forEach(mount -> {
      if (!isVolumeOrBind(mount.path("Type").asText(""))) {
        kept.add(mount);
      }
    });
    host.set("Mounts", kept);
    if (volumes == VolumeMode.READ_ONLY) {
      // VolumesFrom carries every volume and bind of the original, anonymous ones too, each read-only.
      host.putArray("VolumesFrom").add(inspect.path("Id").asText() + ":ro");
      return;
    }
    ObjectNode anonymous = body.path("Volumes").isObject() ? (ObjectNode) body.path("Volumes")
        : body.putObject("Volumes");
    for (String destination : volumeDestinations()) {
      anonymous.putObject(destination);
    }
  }

  /** Where the original has a volume or a bind, however it got it (binds, mounts, VolumesFrom, the image). */
  private List<String> volumeDestinations() {
    List<String> destinations = new ArrayList<>();
    inspect.path("Mounts").forEach(mount -> {
      if (isVolumeOrBind(mount.path("Type").asText("")) && mount.path("Destination").isTextual()) {
        destinations.add(mount.path("Destination").asText());
      }
    });
    return destinations;
  }

  private static boolean isVolumeOrBind(String type) {
    return type.equals("volume") || type.equals("bind");
  }

  /** A namespace shared with another container or the host: a trial must not see or signal what runs there. */
  private static boolean shares(String mode) {
    return mode.equals("host") || mode.startsWith("container:");
  }

  private void describe() {
    notes.add("trials are new containers built from " + target + "'s configuration, with no network and no"
        + " published ports; " + target + " itself is never stopped or changed");
    if (!volumeDestinations().isEmpty()) {
      notes.add(volumes == VolumeMode.EMPTY
          ? "each volume and bind (" + String.join(", ", volumeDestinations()) + ") is a fresh anonymous volume in"
              + " a trial, seeded from the image and removed with it: the original's data is neither read nor written"
          : "volumes and binds (" + String.join(", ", volumeDestinations()) + ") are the original's, read-only:"
              + " a trial reads them and cannot write them");
    }
    JsonNode host = inspect.path("HostConfig");
    Map<String, String> shared = new LinkedHashMap<>();
    SHARED_NAMESPACES.forEach(mode -> {
      if (shares(host.path(mode).asText(""))) {
        shared.put(mode, host.path(mode).asText());
      }
    });
    if (!shared.isEmpty()) {
      notes.add("trials get their own namespaces instead of " + shared + ": a trial must not see or signal"
          + " processes outside it");
    }
  }

  @Override
  public String trialName(String runId, int number) {
    return inspect.path("Name").asText(target).replaceFirst("^/", "") + ".capaudit-trial-" + runId + "-" + number;
  }

  @Override
  public CapabilityMask defaultStart(CapabilityMask kernel) {
    return InspectParser.parse(inspect, kernel).config().boundingSet().intersect(CapabilityMask.ALL_KNOWN);
  }

  @Override
  public Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>();
    inspect.path("Config").path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue()
        .asText()));
    return labels;
  }

  @Override
  public List<String> notes() {
    return List.copyOf(notes);
  }
}
