package dev.capaudit.scanner.enforce;

import dev.capaudit.rules.enforce.EnforcementPlan;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An enforce run that holds its container's lock: plan under it, then {@link #apply} once. Closing it releases the
 * lock if nothing was applied. A signal at any point rolls back what the run holds.
 */
public final class EnforceRun implements AutoCloseable {
  private final Operations ops;
  private final RunGuard guard;
  private final Verifier verifier;
  private final EnforceSettings settings;
  private final Steps steps;
  private final String stamp;
  private final List<String> recovered;
  private final Consumer<String> log;
  private boolean applied;

  EnforceRun(Operations ops, RunGuard guard, Verifier verifier, EnforceSettings settings, Steps steps, String stamp,
      List<String> recovered, Consumer<String> log) {
    this.ops = ops;
    this.guard = guard;
    this.verifier = verifier;
    this.settings = settings;
    this.steps = steps;
    this.stamp = stamp;
    this.recovered = List.copyOf(recovered);
    this.log = log;
  }

  /** The container's name (the run may have been asked for it by id). */
  public String target() {
    return guard.record().orElseThrow().target();
  }

  /** What the recovery of an earlier, interrupted run did before this one took the lock. */
  public List<String> recovered() {
    return recovered;
  }

  public EnforceOutcome apply(EnforcementPlan plan) throws IOException {
    if (!plan.target().equals(target())) {
      throw new IllegalArgumentException("the plan is for " + plan.target() + ", the lock for " + target());
    }
    if (applied) {
      throw new IllegalStateException("a run applies once");
    }
    applied = true;
    try {
      if (plan.alreadyComplies()) {
        steps.done("already complies: nothing changed");
        release();
        return new EnforceOutcome(target(), EnforceOutcome.Result.UNCHANGED, steps.lines(), Optional.empty(),
            Optional.empty(), Optional.empty());
      }
      return new Transaction(ops, guard, plan, settings, verifier, steps, stamp, log).run();
    } catch (Interruption.Stopped stopped) {
      guard.interruption().awaitCleanup();
      throw Recreator.interrupted(target());
    }
  }

  private void release() throws IOException {
    guard.interruption().step(() -> {
      if (guard.holdsLock()) {
        guard.release();
      }
      return null;
    });
  }

  /** Lets go of the lock when nothing was applied; a transaction that began either released it or left it for a rollback. */
  @Override
  public void close() {
    try {
      if (!applied) {
        release();
      }
    } catch (IOException e) {
      // The next --apply finds that this run changed nothing and only removes the lock.
      log.accept("could not release the lock " + RunNames.lock(target()) + ": " + e.getMessage());
    } catch (Interruption.Stopped e) {
      // the shutdown hook releases it
    } finally {
      guard.close();
    }
  }
}
