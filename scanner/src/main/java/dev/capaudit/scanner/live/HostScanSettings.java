package dev.capaudit.scanner.live;

import dev.capaudit.rules.model.TargetOrigin;
import dev.capaudit.scanner.runtime.RuntimeDiscovery;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How {@code capaudit host} reads a node.
 *
 * @param layout where the runtimes keep their state (under the host's root)
 * @param runtimeRoots extra bundle directories ({@code --runtime-root})
 * @param filter which containers to report
 * @param node the node's name ({@code --node}); empty for the kernel's hostname, which in a pod is the pod's
 */
public record HostScanSettings(RuntimeDiscovery.Layout layout, List<Path> runtimeRoots, Filter filter,
    Optional<String> node) {
  public HostScanSettings {
    runtimeRoots = List.copyOf(runtimeRoots);
  }

  public HostScanSettings(RuntimeDiscovery.Layout layout, List<Path> runtimeRoots, Filter filter) {
    this(layout, runtimeRoots, filter, Optional.empty());
  }

  public HostScanSettings withRuntimeRoots(List<Path> value) {
    return new HostScanSettings(layout, value, filter, node);
  }

  public HostScanSettings withNode(Optional<String> value) {
    return new HostScanSettings(layout, runtimeRoots, filter, value);
  }

  public static HostScanSettings defaults() {
    return new HostScanSettings(RuntimeDiscovery.Layout.of(Path.of("/"), Optional.empty()), List.of(),
        Filter.NONE);
  }

  /**
   * Which containers a host audit reports; a process of a container left out is still never the host's.
   *
   * @param runtimes {@code docker}, {@code containerd}, {@code podman}, {@code cri-o}; empty for all
   * @param namespaces runtime namespaces ({@code k8s.io}, {@code moby}); empty for all
   * @param podNamespaces Kubernetes namespaces; empty for all
   * @param labels labels every reported container carries
   */
  public record Filter(Set<String> runtimes, Set<String> namespaces, Set<String> podNamespaces,
      Map<String, String> labels) {
    public static final Filter NONE = new Filter(Set.of(), Set.of(), Set.of(), Map.of());

    public Filter {
      runtimes = Set.copyOf(runtimes);
      namespaces = Set.copyOf(namespaces);
      podNamespaces = Set.copyOf(podNamespaces);
      labels = Map.copyOf(labels);
    }

    /** Whether any filter is set: then the host itself, which no filter names, is not reported. */
    public boolean any() {
      return !runtimes.isEmpty() || !namespaces.isEmpty() || !podNamespaces.isEmpty() || !labels.isEmpty();
    }

    boolean accepts(TargetOrigin origin, Map<String, String> targetLabels) {
      return (runtimes.isEmpty() || runtimes.contains(origin.runtime()))
          && (namespaces.isEmpty() || namespaces.contains(origin.namespace()))
          && (podNamespaces.isEmpty() || origin.kubernetes().map(k -> podNamespaces.contains(k.podNamespace()))
              .orElse(false))
          && labels.entrySet().stream().allMatch(e -> e.getValue().equals(targetLabels.get(e.getKey())));
    }
  }
}
