package dev.capaudit.scanner.proc;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.scanner.io.BoundedFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Docker host's /proc, read directly: the kernel's own account of every process, which nothing inside a
 * container can forge. The root is configurable so capaudit can run in a container with the host's /proc mounted.
 */
public final class HostProc {
  private final Path root;

  public HostProc(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /**
   * Whether this /proc shows what an audit needs. Anyone can list /proc and read status files, but another user's
   * pid namespace link takes CAP_SYS_PTRACE: without it a scanner would silently miss processes, so it must not
   * use this view at all.
   */
  public boolean readable() {
    return read(root.resolve("self/status")).flatMap(HostProc::effectiveCapabilities)
        .map(caps -> caps.contains(Capability.SYS_PTRACE)).orElse(false)
        && Files.isDirectory(root.resolve("1"));
  }

  private static Optional<CapabilityMask> effectiveCapabilities(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("CapEff:")) {
        try {
          return Optional.of(CapabilityMask.parse(line.substring("CapEff:".length())));
        } catch (IllegalArgumentException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /** Every numeric entry: the pids alive when listed. */
  public List<Integer> pids() throws IOException {
    List<Integer> pids = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, "[0-9]*")) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.chars().allMatch(Character::isDigit)) {
          pids.add(Integer.parseInt(name));
        }
      }
    }
    return pids;
  }

  /** The status text, or empty when the process has exited (or is not visible). */
  public Optional<String> status(int pid) {
    return read(root.resolve(Integer.toString(pid)).resolve("status"));
  }

  /** The ids of a process's threads (its leader included), or empty when it has exited. */
  public List<Integer> taskIds(int pid) {
    List<Integer> tids = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root.resolve(Integer.toString(pid)).resolve("task"),
        "[0-9]*")) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.chars().allMatch(Character::isDigit)) {
          tids.add(Integer.parseInt(name));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return List.of();
    }
    tids.sort(null);
    return tids;
  }

  /** One thread's own status text ({@code /proc/PID/task/TID/status}), or empty when the thread has exited. */
  public Optional<String> taskStatus(int pid, int tid) {
    return read(root.resolve(Integer.toString(pid)).resolve("task").resolve(Integer.toString(tid))
        .resolve("status"));
  }

  /** The pid namespace link, e.g. {@code pid:[4026532180]}, or empty when it cannot be read. */
  public Optional<String> pidNamespace(int pid) {
    try {
      return Optional.of(Files.readSymbolicLink(root.resolve(Integer.toString(pid)).resolve("ns").resolve("pid"))
          .toString());
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  /** The container id in a process's cgroup path (any runtime's naming), the innermost when it names several. */
  public Optional<String> containerIdFromCgroup(int pid) {
    return cgroup(pid).map(CgroupNames::containerIds).flatMap(ids -> ids.stream().reduce((a, b) -> b));
  }

  /** A thread's own cgroup file: right where its exited leader's says {@code /}. */
  public Optional<String> taskCgroup(int pid, int tid) {
    return read(root.resolve(Integer.toString(pid)).resolve("task").resolve(Integer.toString(tid)).resolve("cgroup"));
  }

  /** A thread's own pid namespace link, readable where its exited leader's is not. */
  public Optional<String> taskPidNamespace(int pid, int tid) {
    try {
      return Optional.of(Files.readSymbolicLink(root.resolve(Integer.toString(pid)).resolve("task")
          .resolve(Integer.toString(tid)).resolve("ns").resolve("pid")).toString());
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  /** The text of {@code /proc/PID/cgroup}, or empty when the process has exited. */
  public Optional<String> cgroup(int pid) {
    return read(root.resolve(Integer.toString(pid)).resolve("cgroup"));
  }

  /** The host's name, from {@code sys/kernel/hostname}. */
  public Optional<String> hostname() {
    return read(root.resolve("sys/kernel/hostname")).map(String::trim).filter(name -> !name.isEmpty());
  }

  /** Every capability the running kernel knows, from {@code sys/kernel/cap_last_cap}; all known ones otherwise. */
  public CapabilityMask kernelCapabilities() {
    return read(root.resolve("sys/kernel/cap_last_cap")).map(String::trim).flatMap(text -> {
      try {
        int last = Integer.parseInt(text);
        return Optional.of(new CapabilityMask(last >= 63 ? -1L : (1L << (last + 1)) - 1));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }).orElse(CapabilityMask.ALL_KNOWN);
  }

  /**
   * Reads a /proc file through a bounded stream: procfs reports a size of 0, and a size-driven read
   * (Files.readString) returned only the first byte of cap_last_cap here.
   */
  static Optional<String> read(Path file) {
    return BoundedFiles.readKernelFile(file, BoundedFiles.PROC_LIMIT);
  }
}
