package dev.capaudit.scanner.proc;

import dev.capaudit.rules.proc.ProcStatus;
import dev.capaudit.rules.proc.ProcStatusFormatException;
import dev.capaudit.rules.proc.ProcStatusParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One reading of the host's /proc: every process's status, pid namespace and cgroup, taken once per scan so that
 * auditing N containers costs one walk of /proc, not N. Taken before any exec probe runs, so a probe's processes are
 * never listed as a container's own.
 */
public final class ProcessTable {
  /**
   * One host process as read.
   *
   * @param status the parsed status, empty when it could not be parsed ({@code error} says why)
   * @param zombie the thread-group leader has exited (its threads may live on)
   * @param namespace its pid namespace link, e.g. {@code pid:[4026532180]}; empty when it cannot be read
   * @param containerIds the container ids its cgroup names, outermost first
   * @param threads the number of threads its status counts; 0 when it does not say
   */
  public record Entry(int pid, Optional<ProcStatus> status, Optional<String> error, boolean zombie,
      Optional<String> namespace, Set<String> containerIds, int threads) {
    public Entry {
      containerIds = Collections.unmodifiableSet(containerIds);
    }

    /** Kernel threads are not programs anyone runs: kthreadd is pid 2 and parents them all. */
    public boolean kernelThread() {
      return pid == 2 || status.map(s -> s.ppid() == 2).orElse(false);
    }

    /** The parent's host pid, or 0 when unknown. */
    public int ppid() {
      return status.map(ProcStatus::ppid).orElse(0);
    }
  }

  private final HostProc proc;
  private final Map<Integer, Entry> entries;
  private final Map<Integer, List<Integer>> children = new HashMap<>();
  private final Map<String, List<Entry>> byContainer = new HashMap<>();
  private final Map<String, List<Entry>> byNamespace = new HashMap<>();
  private final Optional<String> hostNamespace;

  private ProcessTable(HostProc proc, Map<Integer, Entry> entries) {
    this.proc = proc;
    this.entries = entries;
    // Indexed once, so that attributing N containers costs N lookups, not N walks of every process.
    for (Entry entry : entries.values()) {
      if (entry.ppid() > 0 && entry.ppid() != entry.pid()) {
        children.computeIfAbsent(entry.ppid(), k -> new ArrayList<>()).add(entry.pid());
      }
      entry.containerIds().forEach(id -> byContainer.computeIfAbsent(id, k -> new ArrayList<>()).add(entry));
      entry.namespace().ifPresent(ns -> byNamespace.computeIfAbsent(ns, k -> new ArrayList<>()).add(entry));
    }
    this.hostNamespace = findHostNamespace(entries);
  }

  public static ProcessTable read(HostProc proc) throws IOException {
    // Each process is three small reads of the kernel's files: spread over the cores, kept in pid order.
    List<Integer> pids = proc.pids();
    List<Optional<Entry>> read = pids.parallelStream()
        .map(pid -> proc.status(pid).map(text -> entry(proc, pid, text))) // empty: exited since the listing
        .toList();
    Map<Integer, Entry> entries = new LinkedHashMap<>();
    read.forEach(entry -> entry.ifPresent(e -> entries.put(e.pid(), e)));
    return new ProcessTable(proc, entries);
  }

  private static Entry entry(HostProc proc, int pid, String text) {
    Optional<ProcStatus> status;
    Optional<String> error;
    try {
      status = Optional.of(ProcStatusParser.parse(text));
      error = Optional.empty();
    } catch (ProcStatusFormatException e) {
      status = Optional.empty();
      error = Optional.of("host pid " + pid + ": " + e.getMessage());
    }
    boolean zombie = isZombie(text);
    Optional<String> cgroup = proc.cgroup(pid);
    Optional<String> namespace = proc.pidNamespace(pid);
    if (zombie) {
      // An exited leader's cgroup reads "/" and its namespace link is gone; a live thread still shows both.
      for (int tid : proc.taskIds(pid)) {
        if (tid != pid && proc.taskStatus(pid, tid).filter(t -> !isZombie(t)).isPresent()) {
          cgroup = proc.taskCgroup(pid, tid).or(() -> proc.cgroup(pid));
          namespace = proc.taskPidNamespace(pid, tid).or(() -> proc.pidNamespace(pid));
          break;
        }
      }
    }
    Set<String> ids = cgroup.map(CgroupNames::containerIds).orElse(Set.of());
    return new Entry(pid, status, error, zombie, namespace, ids, threadCount(text));
  }

  /** The {@code Threads:} count of a status text, or 0 when it has none. */
  static int threadCount(String statusText) {
    int at = statusText.indexOf("\nThreads:\t");
    if (at < 0) {
      return 0;
    }
    int start = at + "\nThreads:\t".length();
    int end = start;
    while (end < statusText.length() && Character.isDigit(statusText.charAt(end)) && end - start < 9) {
      end++;
    }
    return end > start ? Integer.parseInt(statusText.substring(start, end)) : 0;
  }

  /** Whether a status text is a zombie's (or a dead task's): its State line says Z or X. */
  public static boolean isZombie(String statusText) {
    return statusText.contains("\nState:\tZ") || statusText.contains("\nState:\tX");
  }

  /**
   * The pid namespace this /proc shows as its own: that of a process with a single NSpid entry. Read from the
   * processes themselves because /proc/1 may be unreadable even to root, and {@code /proc/self} is the reader's own
   * namespace, which is the host's only when capaudit runs in it.
   */
  private static Optional<String> findHostNamespace(Map<Integer, Entry> entries) {
    for (Entry entry : entries.values()) {
      if (entry.namespace().isPresent() && entry.status().map(s -> s.nsPids().size() == 1).orElse(false)) {
        return entry.namespace();
      }
    }
    return Optional.empty();
  }

  public HostProc proc() {
    return proc;
  }

  public Optional<Entry> get(int pid) {
    return Optional.ofNullable(entries.get(pid));
  }

  public Iterable<Entry> entries() {
    return entries.values();
  }

  public int size() {
    return entries.size();
  }

  /** The processes whose cgroup names the container. */
  public List<Entry> inContainer(String id) {
    return byContainer.getOrDefault(id, List.of());
  }

  /** The processes in a pid namespace. */
  public List<Entry> inNamespace(String namespace) {
    return byNamespace.getOrDefault(namespace, List.of());
  }

  /** The host pids whose parent is this one. */
  public List<Integer> childrenOf(int pid) {
    return children.getOrDefault(pid, List.of());
  }

  /** The pid namespace of the host (as this /proc sees it), when some process shows it. */
  public Optional<String> hostNamespace() {
    return hostNamespace;
  }
}
