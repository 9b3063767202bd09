package dev.capaudit.scanner.proc;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which host pids belong to which container, read once per scan so that auditing N containers costs one walk of
 * /proc, not N. Taken before any exec probe runs, so probe processes are never listed as a container's own.
 *
 * <p>A process belongs to a container when its cgroup names the container, or, where the cgroup names no
 * container at all, when it shares the container's pid namespace. Namespace alone is not enough: a container run
 * with {@code --pid=host} shares the host's, one run with {@code --pid=container:X} shares X's, and a workload
 * can start a nested pid namespace (unshare, bwrap) that the cgroup still places in its container.
 */
public final class PidNamespaceIndex {
  private final Map<String, List<Integer>> pidsByNamespace;
  private final Map<String, List<Integer>> pidsByContainer;
  private final Map<Integer, String> containerOfPid;
  private final Map<String, Integer> unreadable;

  private PidNamespaceIndex(Map<String, List<Integer>> pidsByNamespace, Map<String, List<Integer>> pidsByContainer,
      Map<Integer, String> containerOfPid, Map<String, Integer> unreadable) {
    this.pidsByNamespace = pidsByNamespace;
    this.pidsByContainer = pidsByContainer;
    this.containerOfPid = containerOfPid;
    this.unreadable = unreadable;
  }

  public static PidNamespaceIndex build(HostProc proc) throws IOException {
    Map<String, List<Integer>> byNamespace = new HashMap<>();
    Map<String, List<Integer>> byContainer = new HashMap<>();
    Map<Integer, String> containerOf = new HashMap<>();
    Map<String, Integer> unreadable = new HashMap<>();
    for (int pid : proc.pids()) {
      Optional<String> namespace = proc.pidNamespace(pid);
      if (namespace.isEmpty()) {
        // Gone since the listing, or protected even from root (some hosts guard their own agents); what matters
        // is a container's process we cannot place, so it is counted against the container its cgroup names.
        if (proc.status(pid).isPresent()) {
          proc.containerIdFromCgroup(pid).ifPresent(id -> unreadable.merge(id, 1, Integer::sum));
        }
        continue;
      }
      byNamespace.computeIfAbsent(namespace.get(), k -> new ArrayList<>()).add(pid);
      Optional<String> container = proc.containerIdFromCgroup(pid);
      container.ifPresent(id -> {
        byContainer.computeIfAbsent(id, k -> new ArrayList<>()).add(pid);
        containerOf.put(pid, id);
      });
    }
    return new PidNamespaceIndex(byNamespace, byContainer, containerOf, unreadable);
  }

  /** A container's processes whose pid namespace could not be read: its host view is incomplete. */
  public int unreadable(String containerId) {
    return unreadable.getOrDefault(containerId, 0);
  }

  /**
   * The host pids of a container, in ascending order.
   *
   * @param containerId the full container id
   * @param namespace the pid namespace of its pid 1
   * @param hostNamespace the host's own pid namespace (a container sharing it is matched by cgroup only)
   */
  public List<Integer> pidsOf(String containerId, String namespace, Optional<String> hostNamespace) {
    Set<Integer> pids = new TreeSet<>(pidsByContainer.getOrDefault(containerId, List.of()));
    if (!hostNamespace.equals(Optional.of(namespace))) {
      for (int pid : pidsByNamespace.getOrDefault(namespace, List.of())) {
        String owner = containerOfPid.get(pid);
        if (owner == null || owner.equals(containerId)) {
          pids.add(pid);
        }
      }
    }
    return new ArrayList<>(pids);
  }
}
