package dev.capaudit.scanner.proc;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which host pids live in which pid namespace, read once per scan so that auditing N containers costs one walk of
 * /proc, not N. Taken before any exec probe runs, so probe processes are never listed as a container's own.
 */
public final class PidNamespaceIndex {
  private final Map<String, List<Integer>> pidsByNamespace;

  private PidNamespaceIndex(Map<String, List<Integer>> pidsByNamespace) {
    this.pidsByNamespace = pidsByNamespace;
  }

  public static PidNamespaceIndex build(HostProc proc) throws IOException {
    Map<String, List<Integer>> index = new HashMap<>();
    for (int pid : proc.pids()) {
      proc.pidNamespace(pid).ifPresent(ns -> index.computeIfAbsent(ns, k -> new ArrayList<>()).add(pid));
    }
    return new PidNamespaceIndex(index);
  }

  /** The host pids sharing a pid namespace, in ascending order. */
  public List<Integer> pidsIn(String namespace) {
    List<Integer> pids = new ArrayList<>(pidsByNamespace.getOrDefault(namespace, List.of()));
    pids.sort(Integer::compare);
    return pids;
  }

  public Optional<String> namespaceOf(int pid) {
    return pidsByNamespace.entrySet().stream().filter(e -> e.getValue().contains(pid)).map(Map.Entry::getKey)
        .findFirst();
  }
}
