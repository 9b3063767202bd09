package dev.capaudit.scanner.proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A /proc laid out in a temporary directory: processes with a pid namespace link and threads with status files. */
final class FakeProc {
  private final Path root;

  FakeProc(Path root) {
    this.root = root;
  }

  HostProc hostProc() {
    return new HostProc(root);
  }

  /** A process in a pid namespace, with its status file (and no task directory yet). */
  FakeProc process(int pid, String namespace, String capEff) {
    try {
      Path dir = Files.createDirectories(root.resolve(Integer.toString(pid)));
      Files.createDirectories(dir.resolve("ns"));
      Files.createSymbolicLink(dir.resolve("ns/pid"), Path.of("pid:[" + namespace + "]"));
      Files.writeString(dir.resolve("status"), status("sleep", 0, capEff));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes (or rewrites) one thread's own status. */
  FakeProc thread(int pid, int tid, int uid, String capEff) {
    try {
      Path dir = Files.createDirectories(root.resolve(Integer.toString(pid)).resolve("task")
          .resolve(Integer.toString(tid)));
      Files.writeString(dir.resolve("status"), status("worker", uid, capEff));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String status(String name, int uid, String capEff) {
    return "Name:\t" + name + "\nState:\tS (sleeping)\nUid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid
        + "\nVmRSS:\t1000 kB\nCapInh:\t0000000000000000\nCapPrm:\t" + capEff + "\nCapEff:\t" + capEff
        + "\nCapBnd:\t00000000a80425fb\nCapAmb:\t0000000000000000\nNoNewPrivs:\t0\n";
  }
}
