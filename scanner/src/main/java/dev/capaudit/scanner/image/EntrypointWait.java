package dev.capaudit.scanner.image;

import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.inspect.InspectParser;
import dev.capaudit.scanner.inspect.InspectedContainer;
import dev.capaudit.scanner.proc.HostProc;
import dev.capaudit.scanner.proc.SettleLoop;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The wait for a throwaway container's entrypoint to settle, as the gate and minimize's trials both do it: until its
 * process tree holds still, or a fixed time when asked for one or when the host's /proc cannot show the tree.
 */
public final class EntrypointWait {
  /** The wait when the host's /proc cannot be read and no --settle was given. */
  static final Duration WITHOUT_PROC = Duration.ofSeconds(3);

  /**
   * How the wait ended.
   *
   * @param note why a fixed wait was used instead of watching, when it was not asked for
   */
  public record Waited(SettleLoop.Outcome outcome, Optional<String> note) {
    public boolean timedOut() {
      return outcome.result() == SettleLoop.Result.TIMED_OUT;
    }
  }

  private EntrypointWait() {}

  /**
   * Waits for the container's entrypoint.
   *
   * @param settle a fixed wait; empty means until the process tree stops changing
   * @param timeout the longest the wait may take
   */
  public static Waited await(DockerEngine engine, HostProc proc, String id, Optional<Duration> settle,
      Duration timeout, BooleanSupplier cancelled) throws IOException {
    SettleLoop loop = new SettleLoop(proc, () -> state(engine, proc, id), cancelled);
    if (settle.isEmpty() && proc.readable()) {
      return new Waited(loop.watch(timeout), Optional.empty());
    }
    Duration wait = settle.orElse(WITHOUT_PROC);
    Optional<String> note = settle.isPresent() ? Optional.empty()
        : Optional.of("the host's /proc cannot be read: waited a fixed " + wait.toSeconds() + " s for the entrypoint");
    return new Waited(loop.waitFixed(wait.compareTo(timeout) < 0 ? wait : timeout), note);
  }

  /** The error of an entrypoint that kept changing for the whole timeout. */
  public static String timedOut(Duration timeout) {
    return "the entrypoint did not settle within " + timeout.toSeconds()
        + " s (its processes or capability sets kept changing)";
  }

  /** The container as the engine shows it now. */
  public static InspectedContainer inspect(DockerEngine engine, HostProc proc, String id) throws IOException {
    String json = engine.inspectRaw(id).orElseThrow(() -> new IOException("container " + id + " vanished"));
    return InspectParser.parse(json, proc.kernelCapabilities()).get(0);
  }

  private static SettleLoop.State state(DockerEngine engine, HostProc proc, String id) throws IOException {
    InspectedContainer state = inspect(engine, proc, id);
    return new SettleLoop.State(state.running(), state.hostPid(), state.exitCode());
  }
}
