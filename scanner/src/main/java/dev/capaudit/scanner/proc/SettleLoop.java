package dev.capaudit.scanner.proc;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The one wait for a container's entrypoint to settle, shared by the image gate (before its audit) and enforce
 * (before its re-audit): the {@link ProcessTreeSignature} unchanged for {@link #STABLE_FOR}, polled every
 * {@link #POLL}, ending early when the container exits or the caller cancels.
 */
public final class SettleLoop {
  public static final Duration STABLE_FOR = Duration.ofSeconds(1);
  public static final Duration POLL = Duration.ofMillis(200);
  /** How long an exited container's engine is given to record the exit code after pid 1 left /proc. */
  static final Duration EXIT_RECORDED = Duration.ofSeconds(2);

  /** The container's state at one poll. */
  public record State(boolean running, int hostPid, long exitCode) {}

  /** Reads the container's state; the engine's inspect, for both callers. */
  @FunctionalInterface
  public interface StateProbe {
    State read() throws IOException;
  }

  /** How a wait ended. */
  public enum Result {
    /** The process tree held still. */
    SETTLED,
    /** The container exited; the exit code says how. */
    EXITED,
    /** The process tree kept changing until the timeout. */
    TIMED_OUT,
    /** A fixed wait ran its full length with the container still running. */
    WAITED,
    /** The caller gave up (an interrupt, a signal). */
    CANCELLED
  }

  /** @param exitCode the container's exit code when it exited; -1 when it is gone but the engine has no code yet */
  public record Outcome(Result result, Optional<Long> exitCode) {
    static Outcome of(Result result) {
      return new Outcome(result, Optional.empty());
    }
  }

  private final HostProc proc;
  private final StateProbe probe;
  private final BooleanSupplier cancelled;
  private final Duration stableFor;
  private final Duration poll;

  public SettleLoop(HostProc proc, StateProbe probe, BooleanSupplier cancelled) {
    this(proc, probe, cancelled, STABLE_FOR, POLL);
  }

  /** With other intervals, for tests that must not wait seconds. */
  SettleLoop(HostProc proc, StateProbe probe, BooleanSupplier cancelled, Duration stableFor, Duration poll) {
    this.proc = proc;
    this.probe = probe;
    this.cancelled = cancelled;
    this.stableFor = stableFor;
    this.poll = poll;
  }

  /** Watches the process tree until it holds still, the container exits, the timeout passes or the caller cancels. */
  public Outcome watch(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = null;
    long stableSince = 0;
    while (System.nanoTime() < deadline) {
      if (cancelled()) {
        return Outcome.of(Result.CANCELLED);
      }
      State state = probe.read();
      if (!state.running()) {
        return new Outcome(Result.EXITED, Optional.of(state.exitCode()));
      }
      Optional<String> signature = ProcessTreeSignature.of(proc, state.hostPid());
      if (signature.isEmpty()) {
        // pid 1 is gone from /proc while the engine still says running: it is exiting, and the engine records its
        // exit code a moment later. Wait for that (bounded), so the code reported is the workload's, not -1.
        return new Outcome(Result.EXITED, Optional.of(recordedExitCode()));
      }
      long now = System.nanoTime();
      if (!signature.get().equals(last)) {
        last = signature.get();
        stableSince = now;
      } else if (now - stableSince >= stableFor.toNanos()) {
        return Outcome.of(Result.SETTLED);
      }
      pause();
    }
    return Outcome.of(Result.TIMED_OUT);
  }

  /** Waits a fixed time (no process tree to watch, or the user asked for it), ending early only on exit or cancel. */
  public Outcome waitFixed(Duration wait) throws IOException {
    long until = System.nanoTime() + wait.toNanos();
    while (true) {
      if (cancelled()) {
        return Outcome.of(Result.CANCELLED);
      }
      State state = probe.read();
      if (!state.running()) {
        return new Outcome(Result.EXITED, Optional.of(state.exitCode()));
      }
      if (System.nanoTime() >= until) {
        return Outcome.of(Result.WAITED);
      }
      pause();
    }
  }

  /** The exit code once the engine has recorded it, within {@link #EXIT_RECORDED}; -1 if it still says running. */
  private long recordedExitCode() throws IOException {
    long deadline = System.nanoTime() + EXIT_RECORDED.toNanos();
    while (true) {
      State now = probe.read();
      if (!now.running()) {
        return now.exitCode();
      }
      if (System.nanoTime() >= deadline || cancelled()) {
        return -1L;
      }
      pause();
    }
  }

  private boolean cancelled() {
    return cancelled.getAsBoolean() || Thread.currentThread().isInterrupted();
  }

  /** One poll interval; an interrupt ends the wait and stays set, so the next cancel check sees it. */
  private void pause() {
    try {
      Thread.sleep(poll.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
