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
    List<Path> dirs = new ArrayList<>();
    for (Path namespace : StateFiles.directories(tasks, problems)) {
      for (Path dir : StateFiles.directories(namespace, problems)) {
        String id = dir.getFileName().toString();
        if (!skip.contains(id) && id.matches("[0-9a-zA-Z_.-]{1,128}")) {
          dirs.add(dir);
        }
      }
    }
    // The specs are read in parallel; the labels after, in order: the database reader is one file position.
    List<Task> read = StateFiles.inParallel(dirs, this::task, problems);
    List<DiscoveredContainer> found = new ArrayList<>();
    Optional<BoltReader> labels = read.isEmpty() ? Optional.empty()
        : metadata.flatMap(db -> StateFiles.database(db, "containerd's labels", problems));
    try {
      for (Task task : read) {
        found.add(container(task, labelsOf(labels, task.namespace(), task.id(), problems)));
      }
    } finally {
      labels.ifPresent(BoltReader::closeQuietly);
    }
    return found;
  }

  /** What a task directory says on its own: the spec, the init pid, the configuration. */
  private record Task(String namespace, String id, OciBundle bundle, int pid, boolean alive,
      Optional<ContainerConfig> config) {}

  private Optional<Task> task(Path dir, List<String> problems) {
    String namespace = dir.getParent().getFileName().toString();
    Optional<OciBundle> bundle = BundleLocator.read(dir, "containerd " + namespace, problems::add);
    if (bundle.isEmpty()) {
      return Optional.empty();
    }
    int pid = StateFiles.readPid(dir.resolve("init.pid"));
    boolean alive = pid > 0 && proc.status(pid).isPresent();
    return Optional.of(new Task(namespace, dir.getFileName().toString(), bundle.get(), pid, alive,
        SpecConfig.of(bundle.get().spec(), kernel, false, problems)));
  }

  private DiscoveredContainer container(Task task, Map<String, String> labels) {
    OciSpec spec = task.bundle().spec();
    Optional<KubernetesIdentity> kubernetes = KubernetesIdentities.of(spec.annotations(), labels);
    String image = spec.annotations().getOrDefault("io.kubernetes.cri.image-name", "");
    return new DiscoveredContainer(task.id(), name(task.namespace(), task.id(), kubernetes), image, labels,
        new TargetOrigin("", "containerd", task.namespace(), node, kubernetes), task.alive() ? task.pid() : 0,
        task.alive() ? "running" : "exited", task.config(), Optional.of(task.bundle()));
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
