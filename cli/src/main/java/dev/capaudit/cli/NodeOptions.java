package dev.capaudit.cli;

import dev.capaudit.scanner.live.HostScanSettings;
import dev.capaudit.scanner.runtime.RuntimeDiscovery;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where a node's runtime state is and what the node is called: shared by {@code host} and {@code watch}. */
final class NodeOptions {
  @Option(names = "--host-root", paramLabel = "DIR", defaultValue = "/", description = "Where the host's"
      + " filesystem is (mount the runtimes' state read-only under it when capaudit runs in a container:"
      + " /var/lib/docker, /run/containerd, /var/lib/containerd, /run/containers, /var/lib/containers)."
      + " Default: ${DEFAULT-VALUE}.")
  Path hostRoot;

  @Option(names = "--docker-root", paramLabel = "DIR", description = "Docker's data root, if not /var/lib/docker.")
  Path dockerRoot;

  @Option(names = "--node", paramLabel = "NAME", description = "The node's name in reports. Default: the kernel's"
      + " hostname, which in a pod is the pod's own (pass the node's, e.g. from the downward API's spec.nodeName).")
  String node;

  /** The settings of a host audit with this layout, node name, bundle directories and filter. */
  HostScanSettings settings(List<Path> runtimeRoots, HostScanSettings.Filter filter) throws CliProblem {
    if (hostRoot.toString().isBlank()) {
      throw CliProblem.usage("--host-root must name a directory");
    }
    if (dockerRoot != null && dockerRoot.toString().isBlank()) {
      throw CliProblem.usage("--docker-root must name a directory");
    }
    if (node != null && (node.isBlank() || node.length() > 253 || !node.matches("[A-Za-z0-9._-]+"))) {
      throw CliProblem.usage("--node needs a node name (letters, digits, '.', '-', '_'; at most 253)");
    }
    return new HostScanSettings(RuntimeDiscovery.Layout.of(hostRoot, Optional.ofNullable(dockerRoot)),
        runtimeRoots, filter, Optional.ofNullable(node));
  }
}
