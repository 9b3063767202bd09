package dev.capaudit.scanner.live;

import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.docker.ExecResult;
import dev.capaudit.scanner.proc.HostProc;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Runs exec probes in one container, bounded in time and output, and kills a probe that overran: a probe left
 * running would be audited by a later scan as a root process of the container.
 */
final class ProbeRunner {
  private final DockerEngine engine;
  private final Optional<HostProc> proc;
  private final ScanSettings settings;
  private final String containerId;
  private final List<String> notes;

  ProbeRunner(DockerEngine engine, Optional<HostProc> proc, ScanSettings settings, String containerId,
      List<String> notes) {
    this.engine = engine;
    this.proc = proc;
    this.settings = settings;
    this.containerId = containerId;
    this.notes = notes;
  }

  ExecResult run(String user, List<String> command) throws IOException {
    ExecResult result = engine.exec(containerId, user, command, settings.execTimeout(), settings.execOutputCap());
    if (result.timedOut()) {
      kill(user, result);
    }
    return result;
  }

  private void kill(String user, ExecResult result) {
    if (result.processId().isEmpty()) {
      notes.add("the probe as " + user + " timed out and the engine did not say its pid: it may still run");
      return;
    }
    long pid = result.processId().getAsLong();
    // Only a process this host shows in the container's own cgroup is killed: on a remote engine the same number
    // is some other process of this machine.
    boolean ours = proc.flatMap(p -> p.containerIdFromCgroup((int) pid)).map(containerId::equals).orElse(false);
    if (!ours) {
      notes.add("the probe as " + user + " timed out; its process " + pid + " is not visible here, so it could not"
          + " be killed and may still run");
      return;
    }
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    handle.ifPresent(h -> {
      h.descendants().forEach(ProcessHandle::destroyForcibly);
      h.destroyForcibly();
    });
    notes.add("the probe as " + user + " timed out after " + settings.execTimeout().toSeconds() + " s and was killed"
        + " (host pid " + pid + ")");
  }
}
