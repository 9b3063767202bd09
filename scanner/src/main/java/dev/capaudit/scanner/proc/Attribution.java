package dev.capaudit.scanner.proc;

import dev.capaudit.rules.proc.ProcStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which host processes belong to one container. A process belongs when
 * <ol>
 *   <li>its cgroup names the container (every runtime's naming, see {@link CgroupNames});
 *   <li>it is in the container's own pid namespace, or in one nested inside it, and no other container's cgroup
 *       claims it; a container that shares the host's namespace ({@code --pid=host}) or another container's
 *       ({@code --pid=container:X}) gets no process this way;
 *   <li>or it descends (PPid) from a process that belongs: a process that moves itself to another cgroup stays its
 *       parent's child, and an orphan is reaped inside the container's own namespace.
 * </ol>
 * A nested namespace is reached through rule 3: its first process is the child of a process of the container.
 */
public final class Attribution {
  /** A process of the container and its pid in the container's own namespace. */
  public record Member(ProcessTable.Entry entry, int pidInContainer) {}

  /**
   * The container's processes, in host pid order.
   *
   * @param level the container's depth in NSpid (the index of its own pid in every member's NSpid)
   * @param notes what could not be attributed, for the report
   */
  public record Result(List<Member> members, int level, List<String> notes) {
    public Result {
      members = List.copyOf(members);
      notes = List.copyOf(notes);
    }
  }

  /**
   * How the container was configured to share pids, and its init as the host sees it.
   *
   * @param knownContainers ids of every container the engine or the runtimes' state knows (this one included), or
   *     empty when unknown: then any container id in a cgroup counts as another container's
   */
  public record Container(String id, int initPid, boolean sharesHostPids, boolean sharesContainerPids,
      Optional<Set<String>> knownContainers) {}

  private Attribution() {}

  public static Result of(ProcessTable table, Container container) {
    Optional<ProcessTable.Entry> init = table.get(container.initPid());
    int level = init.flatMap(ProcessTable.Entry::status).map(s -> Math.max(0, s.nsPids().size() - 1)).orElse(0);
    List<String> notes = new ArrayList<>();
    Optional<String> ownNamespace = ownNamespace(table, container, init, notes);
    TreeMap<Integer, ProcessTable.Entry> members = new TreeMap<>();
    for (ProcessTable.Entry entry : table.inContainer(container.id())) {
      if (!entry.kernelThread()) {
        members.put(entry.pid(), entry);
      }
    }
    if (ownNamespace.isPresent()) {
      for (ProcessTable.Entry entry : table.inNamespace(ownNamespace.get())) {
        if (!entry.kernelThread() && !claimedByOther(entry, container)) {
          members.put(entry.pid(), entry);
        }
      }
    }
    addDescendants(table, container, members);
    List<Member> result = new ArrayList<>();
    for (ProcessTable.Entry entry : members.values()) {
      result.add(new Member(entry, pidAt(entry, level)));
    }
    if (container.sharesHostPids()) {
      notes.add("the container shares the host's pid namespace: its processes are those its cgroup names and their"
          + " descendants; a process that leaves both (a double-forked orphan in another cgroup) cannot be"
          + " attributed");
    }
    return new Result(result, level, notes);
  }

  private static Optional<String> ownNamespace(ProcessTable table, Container container,
      Optional<ProcessTable.Entry> init, List<String> notes) {
    if (container.sharesHostPids() || container.sharesContainerPids()) {
      return Optional.empty();
    }
    Optional<String> namespace = init.flatMap(ProcessTable.Entry::namespace);
    if (namespace.isEmpty()) {
      notes.add("the pid namespace of the container's init (host pid " + container.initPid() + ") could not be read:"
          + " processes were attributed by cgroup and descent only");
      return Optional.empty();
    }
    if (namespace.equals(table.hostNamespace())) {
      // Not configured as shared, yet in the host's namespace: never pull in the whole host.
      notes.add("the container's init runs in the host's pid namespace: processes were attributed by cgroup and"
          + " descent only");
      return Optional.empty();
    }
    return namespace;
  }

  private static boolean claimedByOther(ProcessTable.Entry entry, Container container) {
    if (entry.containerIds().isEmpty()) {
      return false;
    }
    return entry.containerIds().stream().anyMatch(id -> !id.equals(container.id())
        && container.knownContainers().map(known -> known.contains(id)).orElse(true));
  }

  private static void addDescendants(ProcessTable table, Container container,
      TreeMap<Integer, ProcessTable.Entry> members) {
    Deque<Integer> queue = new ArrayDeque<>(members.keySet());
    while (!queue.isEmpty()) {
      for (int child : table.childrenOf(queue.poll())) {
        Optional<ProcessTable.Entry> entry = table.get(child);
        if (entry.isEmpty() || members.containsKey(child) || claimedByOther(entry.get(), container)
            && !entry.get().containerIds().contains(container.id())) {
          continue;
        }
        members.put(child, entry.get());
        queue.add(child);
      }
    }
  }

  /** The pid at the container's level of NSpid; a process outside the container's namespace keeps its own. */
  static int pidAt(ProcessTable.Entry entry, int level) {
    return entry.status().map(s -> pidAt(s, level)).orElse(entry.pid());
  }

  /** The same for one status (a thread's). */
  static int pidAt(ProcStatus status, int level) {
    return status.nsPids().size() > level ? status.nsPids().get(level) : status.innermostPid();
  }
}
