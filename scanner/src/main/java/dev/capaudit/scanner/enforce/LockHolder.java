package dev.capaudit.scanner.enforce;

import dev.capaudit.scanner.io.BoundedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Which process holds an enforce lock, precisely enough to tell later whether it is still alive: a pid means
 * something only on the same boot of the same machine and in the same pid namespace, and a pid can be reused, so
 * the process's start time is part of it too.
 *
 * @param startMillis when the process started (epoch milliseconds), as the kernel counts it
 * @param host the machine's name, for people reading the message; never used to decide
 */
record LockHolder(long pid, long startMillis, String bootId, String pidNamespace, String host) {

  /** Whether the holder still runs, seen from this process. */
  enum Liveness {
    ALIVE,
    GONE,
    /** Another machine, boot or pid namespace: this process cannot tell. */
    UNKNOWN
  }

  static LockHolder current() {
    ProcessHandle self = ProcessHandle.current();
    return new LockHolder(self.pid(), startMillis(self).orElse(0L), kernelText("sys/kernel/random/boot_id"),
        ownPidNamespace(), kernelText("sys/kernel/hostname"));
  }

  Liveness liveness() {
    LockHolder here = current();
    if (bootId.isEmpty() || !bootId.equals(here.bootId) || !pidNamespace.equals(here.pidNamespace)) {
      return Liveness.UNKNOWN;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      return Liveness.GONE;
    }
    Optional<Long> started = startMillis(process.get());
    if (started.isEmpty()) {
      return Liveness.UNKNOWN; // alive, but whether it is the holder cannot be read
    }
    // The same pid with another start time is a new process that reused the number: the holder is gone.
    return started.get() == startMillis ? Liveness.ALIVE : Liveness.GONE;
  }

  /** {@code pid 1234 on ci-7, started 2026-12-01T07:43:47Z}. */
  String describe() {
    return "pid " + pid + " on " + (host.isEmpty() ? "an unnamed host" : host) + ", started "
        + Instant.ofEpochMilli(startMillis);
  }

  private static Optional<Long> startMillis(ProcessHandle process) {
    return process.info().startInstant().map(Instant::toEpochMilli);
  }

  private static String kernelText(String file) {
    return BoundedFiles.readKernelFile(Path.of("/proc").resolve(file), 256).map(String::strip).orElse("");
  }

  private static String ownPidNamespace() {
    try {
      return Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
    } catch (IOException | UnsupportedOperationException e) {
      return "";
    }
  }
}
