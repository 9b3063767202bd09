package dev.capaudit.scanner.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.model.ContainerConfig;
import dev.capaudit.rules.model.TargetOrigin;
import dev.capaudit.scanner.inspect.InspectParser;
import dev.capaudit.scanner.inspect.InspectedContainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Docker's own state: {@code DATA_ROOT/containers/ID/config.v2.json} (name, image, labels, state) and
 * {@code hostconfig.json} (privileged, CapAdd, CapDrop, pid mode), read as if they were {@code docker inspect}.
 */
final class MobyState {
  private final Path dataRoot;
  private final BundleLocator bundles;
  private final CapabilityMask all;
  private final String node;

  /** @param all what ALL and privileged expand to on this engine */
  MobyState(Path dataRoot, BundleLocator bundles, CapabilityMask all, String node) {
    this.dataRoot = dataRoot;
    this.bundles = bundles;
    this.all = all;
    this.node = node;
  }

  List<DiscoveredContainer> containers(List<String> problems) {
    List<Path> dirs = StateFiles.directories(dataRoot.resolve("containers"), problems).stream()
        .filter(dir -> StateFiles.isContainerId(dir.getFileName().toString())).toList();
    return StateFiles.inParallel(dirs, this::read, problems);
  }

  private Optional<DiscoveredContainer> read(Path dir, List<String> problems) {
    String id = dir.getFileName().toString();
    Optional<JsonNode> config = StateFiles.readJson(dir.resolve("config.v2.json"), problems);
    Optional<JsonNode> host = StateFiles.readJson(dir.resolve("hostconfig.json"), problems);
    if (config.isEmpty() || !config.get().isObject()) {
      return Optional.empty();
    }
    ObjectNode inspect = StateFiles.json().createObjectNode();
    inspect.put("Id", id);
    inspect.set("Name", config.get().path("Name"));
    inspect.set("Config", config.get().path("Config"));
    inspect.set("State", config.get().path("State"));
    inspect.set("HostConfig", host.filter(JsonNode::isObject).orElse(StateFiles.json().createObjectNode()));
    return Optional.of(container(InspectParser.parse(inspect, all), problems));
  }

  private DiscoveredContainer container(InspectedContainer inspected, List<String> problems) {
    int pid = inspected.running() ? inspected.hostPid() : 0;
    Optional<OciBundle> bundle = pid > 0 ? bundles.find(inspected.id(), pid, problems::add) : Optional.empty();
    ContainerConfig config = bundle.flatMap(b -> SpecCapabilities.of(b.spec(), problems))
        .map(sets -> inspected.config().withBoundingSet(sets.getOrEmpty(CapabilitySetKind.BOUNDING)))
        .orElse(inspected.config());
    String state = inspected.paused() ? "paused" : inspected.running() ? "running" : inspected.state();
    TargetOrigin origin = new TargetOrigin("", "docker", "moby", node,
        KubernetesIdentities.of(Map.of(), inspected.labels()));
    return new DiscoveredContainer(inspected.id(), inspected.name(), inspected.image(), inspected.labels(), origin,
        pid, state.isEmpty() ? "exited" : state, Optional.of(config), bundle);
  }
}
