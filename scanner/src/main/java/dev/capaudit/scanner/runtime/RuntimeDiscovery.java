package dev.capaudit.scanner.runtime;

import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.scanner.proc.HostProc;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every container on the node, found in the runtimes' own state with no engine API: Docker's
 * ({@code /var/lib/docker}), containerd's in every namespace ({@code /run/containerd}, with labels from
 * {@code /var/lib/containerd}'s metadata), and containers/storage's (Podman and CRI-O). Docker's containers also
 * appear as tasks of its containerd's {@code moby} namespace; they are reported once, as Docker's.
 */
public final class RuntimeDiscovery {
  /**
   * Where the runtimes keep their state, all under one host root (the host's {@code /}, or where it is mounted
   * when capaudit runs in a container).
   *
   * @param dockerRoot Docker's data root ({@code --data-root}), relative paths under the host root
   */
  public record Layout(Path hostRoot, Path dockerRoot) {
    public static Layout of(Path hostRoot, Optional<Path> dockerRoot) {
      return new Layout(hostRoot, dockerRoot.orElse(Path.of("/var/lib/docker")));
    }

    Path at(String absolute) {
      return hostRoot.resolve(absolute.substring(1));
    }

    Path docker() {
      return dockerRoot.isAbsolute() ? hostRoot.resolve(dockerRoot.toString().substring(1)) : dockerRoot;
    }
  }

  private final HostProc proc;
  private final Layout layout;
  private final BundleLocator bundles;
  private final CapabilityMask dockerAll;
  private final CapabilityMask kernel;
  private final String node;

  /**
   * @param dockerAll what ALL and privileged expand to on the Docker engine whose state is read
   * @param kernel every capability the kernel knows
   */
  public RuntimeDiscovery(HostProc proc, Layout layout, BundleLocator bundles, CapabilityMask dockerAll,
      CapabilityMask kernel, String node) {
    this.proc = proc;
    this.layout = layout;
    this.bundles = bundles;
    this.dockerAll = dockerAll;
    this.kernel = kernel;
    this.node = node;
  }

  public List<DiscoveredContainer> discover(List<String> problems) {
    List<DiscoveredContainer> found = new ArrayList<>(new MobyState(layout.docker(), bundles, dockerAll, node)
        .containers(problems));
    Set<String> known = new HashSet<>();
    found.forEach(c -> known.add(c.id()));
    for (ContainerdState state : List.of(
        new ContainerdState(layout.at("/run/containerd/io.containerd.runtime.v2.task"),
            Optional.of(layout.at("/var/lib/containerd/io.containerd.metadata.v1.bolt/meta.db")), proc, kernel, node),
        new ContainerdState(layout.at("/run/docker/containerd/daemon/io.containerd.runtime.v2.task"),
            Optional.of(layout.docker().resolve("containerd/daemon/io.containerd.metadata.v1.bolt/meta.db")), proc,
            kernel, node))) {
      for (DiscoveredContainer container : state.containers(known, problems)) {
        if (known.add(container.id())) {
          found.add(container);
        }
      }
    }
    for (DiscoveredContainer container : new StorageState(layout.at("/var/lib/containers/storage"),
        layout.at("/run/containers/storage"), proc, kernel, node).containers(known, problems)) {
      if (known.add(container.id())) {
        found.add(container);
      }
    }
    return found;
  }
}
