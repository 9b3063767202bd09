package dev.capaudit.scanner.runtime;

import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.model.ContainerConfig;
import dev.capaudit.rules.model.KubernetesIdentity;
import dev.capaudit.rules.model.TargetOrigin;
import dev.capaudit.scanner.proc.HostProc;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * containerd's state: every namespace's v2 tasks ({@code STATE/io.containerd.runtime.v2.task/NAMESPACE/ID/} with
 * {@code config.json} and {@code init.pid}), and the labels its metadata database keeps for each container
 * ({@code ROOT/io.containerd.metadata.v1.bolt/meta.db}). A task exists while the container runs.
 */
final class ContainerdState {
  private final Path tasks;
  private final Optional<Path> metadata;
  private final HostProc proc;
  private final CapabilityMask kernel;
  private final String node;

  ContainerdState(Path tasks, Optional<Path> metadata, HostProc proc, CapabilityMask kernel, String node) {
    this.tasks = tasks;
    this.metadata = metadata;
    this.proc = proc;
    this.kernel = kernel;
    this.node = node;
  }

  /** @param skip ids another reader found already (Docker's containers live in containerd's moby namespace) */
  List<DiscoveredContainer> containers(Set<String> skip, List<String> problems) {
    List<DiscoveredContainer> found = new ArrayList<>();
    Optional<BoltReader> labels = metadata.flatMap(db -> StateFiles.database(db, "containerd's labels", problems));
    try {
      for (Path namespace : StateFiles.directories(tasks, problems)) {
        for (Path dir : StateFiles.directories(namespace, problems)) {
          String id = dir.getFileName().toString();
          if (skip.contains(id) || !id.matches("[0-9a-zA-Z_.-]{1,128}")) {
            continue;
          }
          container(namespace.getFileName().toString(), id, dir, labels, problems).ifPresent(found::add);
        }
      }
    } finally {
      labels.ifPresent(BoltReader::closeQuietly);
    }
    return found;
  }

  private Optional<DiscoveredContainer> container(String namespace, String id, Path dir,
      Optional<BoltReader> metadataDb, List<String> problems) {
    Optional<OciBundle> bundle = BundleLocator.read(dir, "containerd " + namespace, problems::add);
    if (bundle.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> labels = labelsOf(metadataDb, namespace, id, problems);
    OciSpec spec = bundle.get().spec();
    Optional<KubernetesIdentity> kubernetes = KubernetesIdentities.of(spec.annotations(), labels);
    int pid = StateFiles.readPid(dir.resolve("init.pid"));
    boolean alive = pid > 0 && proc.status(pid).isPresent();
    Optional<ContainerConfig> config = SpecConfig.of(spec, kernel, false, problems);
    String image = spec.annotations().getOrDefault("io.kubernetes.cri.image-name", "");
    return Optional.of(new DiscoveredContainer(id, name(namespace, id, kubernetes), image, labels,
        new TargetOrigin("", "containerd", namespace, node, kubernetes), alive ? pid : 0,
        alive ? "running" : "exited", config, bundle));
  }

  private static Map<String, String> labelsOf(Optional<BoltReader> metadataDb, String namespace, String id,
      List<String> problems) {
    if (metadataDb.isEmpty()) {
      return Map.of();
    }
    try {
      return metadataDb.get().bucket(List.of("v1", namespace, "containers", id, "labels")).orElse(Map.of());
    } catch (IOException e) {
      problems.add("containerd's labels for " + id + " cannot be read: " + e.getMessage());
      return Map.of();
    }
  }

  /** {@code shop/web-0/app} for a Kubernetes container, {@code shop/web-0} for its sandbox, else NAMESPACE/ID. */
  static String name(String namespace, String id, Optional<KubernetesIdentity> kubernetes) {
    if (kubernetes.isPresent()) {
      KubernetesIdentity k = kubernetes.get();
      return k.podNamespace() + "/" + k.pod() + (k.sandbox() ? "" : "/" + k.container());
    }
    return namespace + "/" + (id.length() > 12 ? id.substring(0, 12) : id);
  }
}
