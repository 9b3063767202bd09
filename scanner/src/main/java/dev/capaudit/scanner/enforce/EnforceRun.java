package dev.capaudit.scanner.enforce;

import dev.capaudit.rules.enforce.EnforcementPlan;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * An enforce run that holds its container's lock: plan under it, then {@link #apply} once. Closing it releases the
 * lock if nothing was applied. A signal at any point rolls back what the run holds.
 */
public final class EnforceRun implements AutoCloseable {
  private final RunContext run;
  private final List<String> recovered;
  private boolean applied;

  EnforceRun(RunContext run, List<String> recovered) {
    this.run = run;
    this.recovered = List.copyOf(recovered);
  }

  /** The container's name (the run may have been asked for it by id). */
  public String target() {
    return run.record().target();
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
        run.steps().done("already complies: nothing changed");
        release();
        return new EnforceOutcome(target(), EnforceOutcome.Result.UNCHANGED, run.steps().lines(), Optional.empty(),
            Optional.empty(), Optional.empty());
      }
      return new Transaction(run, plan).run();
    } catch (Interruption.Stopped stopped) {
      run.interruption().awaitCleanup();
      throw Recreator.interrupted(target());
    }
  }

  private void release() throws IOException {
    run.interruption().step(() -> {
      if (run.guard().holdsLock()) {
        run.guard().release();
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
      run.log().accept("could not release the lock " + RunNames.lock(target()) + ": " + e.getMessage());
    } catch (Interruption.Stopped e) {
      // the shutdown hook releases it
    } finally {
      run.guard().close();
    }
  }
}
