package dev.capaudit.scanner.watch;

import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.inspect.InspectParser;
import dev.capaudit.scanner.inspect.InspectedContainer;
import dev.capaudit.scanner.proc.HostProc;
import dev.capaudit.scanner.proc.SettleLoop;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Waits for a started container to settle before it is audited: an entrypoint that drops capabilities in stages
 * (capsh, then setpriv) holds more for a moment than it keeps, and auditing that moment would report what is gone a
 * second later. It is the image gate's own wait: the process tree unchanged for a second, read from the host.
 */
final class Settling {
  private final DockerEngine engine;
  private final HostProc proc;
  private final boolean hostReadable;
  private final Duration timeout;

  Settling(DockerEngine engine, HostProc proc, boolean hostReadable, Duration timeout) {
    this.engine = engine;
    this.proc = proc;
    this.hostReadable = hostReadable;
    this.timeout = timeout;
  }

  /**
   * Waits; returns a note for the audit when it did not settle, and empty when the container is gone (its die event
   * says so; there is nothing to audit).
   */
  Optional<String> await(String containerId) throws IOException {
    SettleLoop loop = new SettleLoop(proc, () -> state(containerId), () -> false);
    // Without the host's /proc no process tree can be watched: a fixed wait of the same length instead.
    SettleLoop.Outcome outcome = hostReadable ? loop.watch(timeout) : loop.waitFixed(SettleLoop.STABLE_FOR);
    return switch (outcome.result()) {
      case SETTLED, WAITED -> Optional.of("");
      case TIMED_OUT -> Optional.of("the process tree was still changing after " + timeout.toSeconds() + " s; audited"
          + " as it was then");
      case EXITED, CANCELLED -> Optional.empty();
    };
  }

  private SettleLoop.State state(String containerId) throws IOException {
    Optional<String> json = engine.inspectRaw(containerId);
    if (json.isEmpty()) {
      return new SettleLoop.State(false, 0, -1);
    }
    List<InspectedContainer> parsed = InspectParser.parse(json.get(), CapabilityMask.ALL_KNOWN);
    if (parsed.isEmpty()) {
      return new SettleLoop.State(false, 0, -1);
    }
    InspectedContainer container = parsed.get(0);
    // A paused container counts as running: its frozen tree holds still, and it is audited paused.
    return new SettleLoop.State(container.running(), container.hostPid(),
        container.exitCode());
  }
}
