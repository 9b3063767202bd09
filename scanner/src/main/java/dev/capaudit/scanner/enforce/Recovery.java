package dev.capaudit.scanner.enforce;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What to do about a lock found on a container: its run is in progress (refuse), was interrupted (roll it back,
 * under --apply only), or cannot be checked from here (refuse unless --break-lock). The plan only describes it.
 */
final class Recovery {
  private final Operations ops;
  private final EnforceSettings settings;

  Recovery(Operations ops, EnforceSettings settings) {
    this.ops = ops;
    this.settings = settings;
  }

  /** Reads only. */
  Optional<PendingRecovery> pending(String name) throws IOException {
    Optional<EnforceLock.Found> found = EnforceLock.read(ops, name);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    if (found.get().record().isEmpty()) {
      return Optional.of(new PendingRecovery("unknown: " + RunNames.lock(name) + " carries no run record",
          PendingRecovery.Holder.UNCHECKABLE, List.of("remove " + RunNames.lock(name) + " (only with --break-lock)")));
    }
    RunRecord record = found.get().record().get();
    PendingRecovery.Holder holder = switch (record.holder().liveness()) {
      case ALIVE -> PendingRecovery.Holder.RUNNING;
      case GONE -> PendingRecovery.Holder.GONE;
      case UNKNOWN -> PendingRecovery.Holder.UNCHECKABLE;
    };
    List<String> actions = holder == PendingRecovery.Holder.RUNNING ? List.of()
        : RollbackPlan.of(RunState.observe(ops, record, found.get().id())).stream()
            .map(RollbackPlan.Action::todo).toList();
    return Optional.of(new PendingRecovery(record.describe(), holder, actions));
  }

  /** Rolls back an interrupted run whose holder is gone, or refuses when it may still be at work. */
  List<String> recover(EnforceLock.Found found, String name, Interruption interruption, Consumer<String> log)
      throws EnforceRefused, IOException {
    List<String> done = new ArrayList<>();
    Consumer<String> report = line -> {
      done.add("recovery: " + line);
      log.accept("recovery: " + line);
    };
    if (found.record().isEmpty()) {
      if (!settings.breakLock()) {
        throw new EnforceRefused(EnforceRefused.Reason.LOCKED, RunNames.lock(name) + " exists but carries no"
            + " enforce run record; if no capaudit enforce of " + name + " is running, run again with --break-lock");
      }
      interruption.step(() -> {
        EnforceLock.release(ops, found.id());
        return null;
      });
      report.accept("removed " + RunNames.lock(name) + ", which carried no run record (--break-lock)");
      return done;
    }
    RunRecord stale = found.record().get();
    LockHolder.Liveness liveness = stale.holder().liveness();
    if (liveness == LockHolder.Liveness.ALIVE || liveness == LockHolder.Liveness.UNKNOWN && !settings.breakLock()) {
      throw new EnforceRefused(EnforceRefused.Reason.LOCKED, name + " is being enforced by " + stale.describe()
          + ", which holds " + RunNames.lock(name) + (liveness == LockHolder.Liveness.ALIVE ? "; wait for it to finish"
              : "; that process cannot be checked from here: if it no longer runs, run again with --break-lock"));
    }
    report.accept("rolling back the interrupted " + stale.describe());
    RunState state = interruption.step(() -> RunState.observe(ops, stale, found.id()));
    RollbackPlan.perform(ops, state, RollbackPlan.guardedBy(interruption, ops), report);
    return done;
  }
}
