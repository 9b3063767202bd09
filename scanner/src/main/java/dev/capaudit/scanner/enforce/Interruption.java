package dev.capaudit.scanner.enforce;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps a signal's cleanup and the run's own steps from touching the engine at the same time. Every step holds the
 * engine while it runs; a shutdown hook (SIGTERM, Ctrl-C) first tells the run to stop, then waits until the step in
 * flight has returned, and only then cleans up. A run told to stop throws {@link Stopped} at its next step.
 */
final class Interruption {
  private final ReentrantLock engineUse = new ReentrantLock();
  private final CountDownLatch signalled = new CountDownLatch(1);
  private final CountDownLatch cleanedUp = new CountDownLatch(1);
  private volatile Duration bound;
  private volatile Runnable cleanup = () -> { };

  /** @param bound how long a signal waits for a step in flight: the longest stop, audit or settle it may be in */
  Interruption(Duration bound) {
    this.bound = bound;
  }

  /** Unwinds a run a signal stopped; the shutdown hook cleans up, the run must not touch the engine again. */
  static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopped() {
      super("stopped by a signal; the shutdown hook restores the container");
    }
  }

  /** One engine call or a few that belong together. */
  @FunctionalInterface
  interface Step<T> {
    T run() throws IOException;
  }

  <T> T step(Step<T> body) throws IOException {
    engineUse.lock();
    try {
      check();
      return body.run();
    } finally {
      engineUse.unlock();
    }
  }

  boolean signalled() {
    return signalled.getCount() == 0;
  }

  void check() {
    if (signalled()) {
      throw new Stopped();
    }
  }

  /** Holds the run here for a while (a test's checkpoint); a signal ends the pause and stops the run. */
  void pause(Duration length) {
    try {
      signalled.await(length.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    check();
  }

  /** What a signal does once the run's engine use has stopped. */
  void onSignal(Runnable what) {
    cleanup = what;
  }

  /** A longer wait for a step in flight, once the container's own stop timeout is known. */
  void allowFor(Duration longer) {
    bound = longer;
  }

  /**
   * The shutdown hook's part: stop the run, wait for its step in flight (at most the bound: a hook that never ends
   * would keep the process from exiting), then clean up with the engine to itself.
   */
  void signal() {
    signalled.countDown();
    boolean held = false;
    try {
      held = engineUse.tryLock(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      cleanup.run();
    } finally {
      if (held) {
        engineUse.unlock();
      }
      cleanedUp.countDown();
    }
  }

  /**
   * For the run a signal stopped: waits (bounded) until the signal's cleanup is done, so that nothing the run's
   * caller closes on its way out, the engine connection above all, goes away under the cleanup. The process exits
   * once the shutdown hooks are done, so this wait is normally the run's last.
   */
  void awaitCleanup() {
    try {
      cleanedUp.await(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
