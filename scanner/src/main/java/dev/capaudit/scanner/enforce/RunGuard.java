package dev.capaudit.scanner.enforce;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Makes a signal leave a container as it found it or as a committed run left it: from before the lock is taken
 * until the run ends, a shutdown hook (SIGTERM, Ctrl-C) rolls back whatever the run holds uncommitted, through the
 * same plan the recovery after a SIGKILL uses. The lock existing is what "uncommitted" means; committing is
 * removing it.
 */
final class RunGuard implements AutoCloseable {
  private final Operations ops;
  private final Interruption interruption;
  private final Consumer<String> log;
  private final Thread hook;
  // Read by the signal's cleanup only while it holds the engine, after every step has returned.
  private volatile RunRecord record;
  private volatile String lockId;

  RunGuard(Operations ops, Interruption interruption, Consumer<String> log) {
    this.ops = ops;
    this.interruption = interruption;
    this.log = log;
    interruption.onSignal(this::rollBackOnSignal);
    this.hook = new Thread(interruption::signal, "capaudit-enforce-rollback");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  Interruption interruption() {
    return interruption;
  }

  void holding(RunRecord held, String id) {
    this.record = held;
    this.lockId = id;
  }

  Optional<RunRecord> record() {
    return Optional.ofNullable(record);
  }

  String lockId() {
    return lockId;
  }

  boolean holdsLock() {
    return lockId != null;
  }

  /** Removes the lock: committing, once a replacement verified, or letting go when nothing was changed. */
  void release() throws IOException {
    EnforceLock.release(ops, lockId);
    lockId = null;
  }

  /** Rolls the run back step by step, each under the engine, each logged. */
  void rollBack(Steps steps) throws IOException {
    RunState state = interruption.step(() -> RunState.observe(ops, record, lockId));
    RollbackPlan.perform(ops, state, RollbackPlan.guardedBy(interruption, ops), steps::done);
    lockId = null;
  }

  /** The signal's cleanup: roll back what is uncommitted. A failure leaves the lock: the next --apply finishes. */
  private void rollBackOnSignal() {
    if (!holdsLock()) {
      return;
    }
    log.accept("interrupted: rolling back run " + record.run());
    try {
      RollbackPlan.perform(ops, RunState.observe(ops, record, lockId), call -> call.run(ops),
          done -> log.accept("interrupted: " + done));
      lockId = null;
    } catch (IOException | RuntimeException e) {
      log.accept("interrupted: the rollback stopped (" + e.getMessage() + "); the lock " + RunNames.lock(
          record.target()) + " stays, and the next enforce --apply finishes the rollback");
    }
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running already and does the cleanup itself
    }
  }
}
