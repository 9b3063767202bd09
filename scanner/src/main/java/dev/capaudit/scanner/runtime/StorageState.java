package dev.capaudit.scanner.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.model.ContainerConfig;
import dev.capaudit.rules.model.KubernetesIdentity;
import dev.capaudit.rules.model.TargetOrigin;
import dev.capaudit.scanner.proc.HostProc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * containers/storage, shared by Podman and CRI-O: {@code ROOT/overlay-containers/containers.json} lists every
 * container with its names; each has its bundle in {@code userdata/} (Podman under the persistent root, CRI-O under
 * the run root) and its init's pid in the run root's {@code userdata/pidfile}. The spec's
 * {@code io.container.manager} annotation says which runtime made it ({@code libpod} or {@code cri-o}); Podman
 * also writes {@code io.kubernetes.cri-o.*} keys, so those alone do not mean CRI-O. Podman's own database
 * ({@code libpod/bolt_state.db}, bucket {@code ctr/ID}, key {@code config}) adds each container's labels.
 */
final class StorageState {
  private final Path graphRoot;
  private final Path runRoot;
  private final HostProc proc;
  private final CapabilityMask kernel;
  private final String node;

  StorageState(Path graphRoot, Path runRoot, HostProc proc, CapabilityMask kernel, String node) {
    this.graphRoot = graphRoot;
    this.runRoot = runRoot;
    this.proc = proc;
    this.kernel = kernel;
    this.node = node;
  }

  List<DiscoveredContainer> containers(Set<String> skip, List<String> problems) {
    Map<String, JsonNode> listed = new LinkedHashMap<>();
    for (Path root : List.of(graphRoot, runRoot)) {
      StateFiles.readJson(root.resolve("overlay-containers/containers.json"), problems).ifPresent(array -> {
        for (JsonNode entry : array) {
          String id = entry.path("id").asText("");
          if (StateFiles.isContainerId(id)) {
            listed.putIfAbsent(id, entry);
          }
        }
      });
    }
    List<DiscoveredContainer> found = new ArrayList<>();
    Optional<BoltReader> libpod = StateFiles.database(graphRoot.resolve("libpod/bolt_state.db"),
        "Podman's names and labels", problems);
    try {
      listed.forEach((id, entry) -> {
        if (!skip.contains(id)) {
          container(id, entry, podmanConfig(libpod, id), problems).ifPresent(found::add);
        }
      });
    } finally {
      libpod.ifPresent(BoltReader::closeQuietly);
    }
    return found;
  }

  /** What Podman's own database keeps of a container (name, labels, image), or an empty object. */
  private static JsonNode podmanConfig(Optional<BoltReader> libpod, String id) {
    try {
      Optional<String> config = libpod.isEmpty() ? Optional.empty()
          : libpod.get().bucket(List.of("ctr", id)).map(values -> values.get("config"));
      return config.isPresent() ? StateFiles.json().readTree(config.get()) : StateFiles.json().createObjectNode();
    } catch (IOException | RuntimeException e) {
      return StateFiles.json().createObjectNode();
    }
  }

  private Optional<DiscoveredContainer> container(String id, JsonNode entry, JsonNode podman,
      List<String> problems) {
    Optional<OciBundle> bundle = Optional.empty();
    for (Path root : List.of(runRoot, graphRoot)) {
      Path dir = root.resolve("overlay-containers").resolve(id).resolve("userdata");
      if (Files.isRegularFile(dir.resolve("config.json"))) {
        bundle = BundleLocator.read(dir, "containers/storage", problems::add);
        break;
      }
    }
    if (bundle.isEmpty()) {
      return Optional.empty(); // a storage container with no bundle (an image build, or never started)
    }
    OciSpec spec = bundle.get().spec();
    Map<String, String> annotations = spec.annotations();
    String manager = annotations.getOrDefault("io.container.manager", "");
    String runtime = manager.equals("cri-o") ? "cri-o" : "podman";
    Optional<KubernetesIdentity> kubernetes = runtime.equals("cri-o")
        ? KubernetesIdentities.of(annotations, Map.of()) : Optional.empty();
    int pid = StateFiles.readPid(runRoot.resolve("overlay-containers").resolve(id).resolve("userdata/pidfile"));
    boolean alive = pid > 0 && proc.status(pid).isPresent();
    boolean privileged = "TRUE".equalsIgnoreCase(annotations.getOrDefault("io.podman.annotations.privileged", ""))
        || podman.path("privileged").asBoolean(false);
    Optional<ContainerConfig> config = SpecConfig.of(spec, kernel, privileged, problems);
    String name = kubernetes.map(k -> ContainerdState.name("", id, kubernetes))
        .orElse(podman.path("name").asText(entry.path("names").path(0).asText(id.substring(0, 12))));
    Map<String, String> labels = new LinkedHashMap<>();
    podman.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    String image = podman.path("rootfsImageName").asText(image(entry, annotations));
    return Optional.of(new DiscoveredContainer(id, name, image, labels,
        new TargetOrigin("", runtime, "", node, kubernetes), alive ? pid : 0, alive ? "running" : "exited", config,
        bundle));
  }

  private static String image(JsonNode entry, Map<String, String> annotations) {
    String crio = annotations.getOrDefault("io.kubernetes.cri-o.ImageName", "");
    if (!crio.isEmpty()) {
      return crio;
    }
    try {
      return StateFiles.json().readTree(entry.path("metadata").asText("{}")).path("image-name").asText("");
    } catch (IOException e) {
      return "";
    }
  }
}
