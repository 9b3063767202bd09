package dev.capaudit.scanner.live;

import dev.capaudit.scanner.TestFiles;
import dev.capaudit.scanner.proc.HostProc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A temporary host: a /proc tree whose status files are real captures (samples/captured/proc) with their ids,
 * users and sets rewritten per fake process, and the runtimes' state directories. Everything a scan reads from a
 * host, with no kernel behind it.
 */
final class FakeHost {
  /** The host's own pid namespace. */
  static final String HOST_NS = "pid:[4026531836]";
  private static final String TEMPLATE = TestFiles.read("captured/proc/agent-fixed/pid1.status");

  private final Path root;
  private final Path proc;

  FakeHost(Path root) {
    this.root = root;
    this.proc = root.resolve("proc");
    write(proc.resolve("sys/kernel/cap_last_cap"), "40\n");
    write(proc.resolve("sys/kernel/hostname"), "fake-host\n");
    // The scanner reads the host view only when it holds CAP_SYS_PTRACE itself.
    write(proc.resolve("self/status"), status("capaudit", 4242, 1, List.of(4242), 0, "000001ffffffffff",
        "000001ffffffffff"));
    process(1, 0, List.of(1), HOST_NS, 0, "", "0", "0").name("process_api");
  }

  HostProc hostProc() {
    return new HostProc(proc);
  }

  Path root() {
    return root;
  }

  /** A process: host pid, parent, NSpid (outermost first), pid namespace, uid, cgroup path, effective, bounding. */
  FakeProcess process(int pid, int ppid, List<Integer> nsPids, String namespace, int uid, String cgroupPath,
      String effective, String bounding) {
    Path dir = proc.resolve(Integer.toString(pid));
    write(dir.resolve("status"), status("sleep", pid, ppid, nsPids, uid, effective, bounding));
    write(dir.resolve("cgroup"), cgroupPath.isEmpty() ? "0::/\n" : "4:memory:" + cgroupPath + "\n0::" + cgroupPath
        + "\n");
    link(dir.resolve("ns/pid"), namespace);
    write(dir.resolve("task").resolve(Integer.toString(pid)).resolve("status"),
        status("sleep", pid, ppid, nsPids, uid, effective, bounding));
    return new FakeProcess(dir, pid, ppid, nsPids, uid);
  }

  /** One fake process, to give threads, a name or a zombie state. */
  final class FakeProcess {
    private final Path dir;
    private final int pid;
    private final int ppid;
    private final List<Integer> nsPids;
    private final int uid;
    private int threads = 1;

    FakeProcess(Path dir, int pid, int ppid, List<Integer> nsPids, int uid) {
      this.dir = dir;
      this.pid = pid;
      this.ppid = ppid;
      this.nsPids = nsPids;
      this.uid = uid;
    }

    FakeProcess name(String name) {
      rewrite(dir.resolve("status"), "Name:\tsleep", "Name:\t" + name);
      rewrite(dir.resolve("task").resolve(Integer.toString(pid)).resolve("status"), "Name:\tsleep", "Name:\t" + name);
      return this;
    }

    /** A thread: its tid on the host and in each namespace, its uid and sets. */
    FakeProcess thread(int tid, List<Integer> nsTids, int threadUid, String effective, String bounding) {
      write(dir.resolve("task").resolve(Integer.toString(tid)).resolve("status"),
          status("worker", tid, ppid, nsTids, threadUid, effective, bounding));
      return counted();
    }

    /** A thread listed in task/ whose status is gone: it exited while the scan read it. */
    FakeProcess vanishedThread(int tid) {
      try {
        Files.createDirectories(dir.resolve("task").resolve(Integer.toString(tid)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return counted();
    }

    /** The kernel counts a process's threads in its status: one more now. */
    private FakeProcess counted() {
      threads++;
      rewriteLine(dir.resolve("status"), "Threads:", "Threads:\t" + threads);
      return this;
    }

    /** The leader exited: its status says zombie, its task entry is left. */
    FakeProcess zombieLeader() {
      rewrite(dir.resolve("status"), "State:\tS (sleeping)", "State:\tZ (zombie)");
      return this;
    }

    /** The process's working directory (a runtime shim's is its bundle). */
    FakeProcess cwd(Path target) {
      link(dir.resolve("cwd"), target.toString());
      return this;
    }

    int pid() {
      return pid;
    }
  }

  /** A bundle directory with a config.json giving these capability sets and this uid. */
  Path bundle(Path dir, int uid, List<String> bounding, List<String> effective, boolean noNewPrivileges) {
    String caps = "{\"bounding\":" + json(bounding) + ",\"effective\":" + json(effective) + ",\"permitted\":"
        + json(effective) + ",\"inheritable\":[],\"ambient\":[]}";
    write(dir.resolve("config.json"), "{\"ociVersion\":\"1.0.2\",\"process\":{\"user\":{\"uid\":" + uid
        + ",\"gid\":" + uid + "},\"args\":[\"sleep\"],\"cwd\":\"/\",\"capabilities\":" + caps
        + ",\"noNewPrivileges\":" + noNewPrivileges + ",\"future\":{\"kept\":true}},\"root\":{\"path\":\"rootfs\"},"
        + "\"linux\":{\"namespaces\":[{\"type\":\"pid\"}],\"cgroupsPath\":\"/docker/x\"}}");
    return dir;
  }

  private static String json(List<String> names) {
    return names.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(",", "[", "]"));
  }

  static String status(String name, int pid, int ppid, List<Integer> nsPids, int uid, String effective,
      String bounding) {
    String ns = nsPids.stream().map(String::valueOf).collect(Collectors.joining("\t"));
    return TEMPLATE.replace("Name:\tsleep", "Name:\t" + name)
        .replace("Tgid:\t22640", "Tgid:\t" + pid).replace("Pid:\t22640", "Pid:\t" + pid)
        .replace("PPid:\t22618", "PPid:\t" + ppid)
        .replace("NStgid:\t22640\t1", "NStgid:\t" + ns).replace("NSpid:\t22640\t1", "NSpid:\t" + ns)
        .replace("Uid:\t1000\t1000\t1000\t1000", "Uid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid)
        .replace("CapPrm:\t0000000000000000", "CapPrm:\t" + pad(effective))
        .replace("CapEff:\t0000000000000000", "CapEff:\t" + pad(effective))
        .replace("CapBnd:\t0000000000000100", "CapBnd:\t" + pad(bounding));
  }

  private static String pad(String hex) {
    return "0".repeat(16 - hex.length()) + hex;
  }

  static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void rewriteLine(Path file, String prefix, String line) {
    try {
      List<String> lines = Files.readAllLines(file).stream().map(l -> l.startsWith(prefix) ? line : l).toList();
      Files.writeString(file, String.join("\n", lines) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void rewrite(Path file, String from, String to) {
    try {
      Files.writeString(file, Files.readString(file).replace(from, to));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void link(Path link, String target) {
    try {
      Files.createDirectories(link.getParent());
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, Path.of(target));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
