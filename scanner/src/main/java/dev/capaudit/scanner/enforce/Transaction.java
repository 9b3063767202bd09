package dev.capaudit.scanner.enforce;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capaudit.rules.enforce.EnforcementPlan;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * One recreate under a held lock: create the replacement, stop the original, swap the names, start and verify the
 * replacement, commit. Any failure before the commit rolls back through {@link RollbackPlan}; so does a signal,
 * through {@link RunGuard}. The name belongs to the original or the replacement at every step boundary.
 *
 * <p>An AutoRemove original removes itself when it stops, writable layer and all, so there is no backup to return
 * to: its recorded configuration is, and its volumes stay held by the replacement, which is created without
 * AutoRemove for that reason. Once the replacement has verified, a twin with AutoRemove takes over from it the same
 * way, since AutoRemove cannot be switched on for an existing container.
 */
final class Transaction {
  private final RunContext run;
  private final Operations ops;
  private final RunGuard guard;
  private final Interruption interruption;
  private final Steps steps;
  private final EnforcementPlan plan;

  Transaction(RunContext run, EnforcementPlan plan) {
    this.run = run;
    this.ops = run.ops();
    this.guard = run.guard();
    this.interruption = run.interruption();
    this.steps = run.steps();
    this.plan = plan;
  }

  /** A replacement that took over, and how its verification went. */
  private record Swap(String id, Verifier.Verification verification) {
    boolean failed() {
      return verification.failure().isPresent();
    }
  }

  EnforceOutcome run() throws IOException {
    RunRecord record = run.record();
    String name = record.target();
    steps.done("locked " + name + " for run " + record.run() + " (" + RunNames.lock(name) + ")");
    try {
      ContainerFacts original = interruption.step(() -> ops.require(record.originalId()));
      Optional<String> backup = original.autoRemove() ? Optional.empty()
          : Optional.of(RunNames.backup(name, run.stamp()));
      Swap swap = swap(original, RecreateRequest.replacement(original.inspect(), plan,
          record.labels(RunRecord.Role.REPLACEMENT), false), RunNames.fresh(name, run.stamp()), backup, "replacement");
      if (!swap.failed() && original.autoRemove()) {
        swap = autoRemoveTwin(swap.id());
      }
      if (swap.failed()) {
        guard.rollBack(steps);
        return outcome(EnforceOutcome.Result.ROLLED_BACK, Optional.empty(), swap.verification());
      }
      interruption.step(() -> {
        guard.release();
        steps.at("in-commit");
        return null;
      });
      steps.done("committed: released the lock " + RunNames.lock(name));
      return outcome(EnforceOutcome.Result.APPLIED, keepOrRemove(original, backup), swap.verification());
    } catch (IOException e) {
      throw rolledBackAfter(e, name);
    }
  }

  /**
   * Creates the replacement from {@code from}, stops {@code from}, swaps the names, starts the replacement and
   * verifies it.
   *
   * @param fromBecomes the name {@code from} moves to; empty when it removes itself on stop (AutoRemove)
   */
  private Swap swap(ContainerFacts from, ObjectNode body, String freshName, Optional<String> fromBecomes, String what)
      throws IOException {
    String name = run.record().target();
    String id = interruption.step(() -> {
      String created = ops.create(freshName, body, RecreateRequest.extraNetworks(from.inspect()));
      steps.at("in-create");
      return created;
    });
    steps.done("created the " + what + " " + ContainerFacts.shortIdOf(id) + " with CapDrop [ALL], CapAdd "
        + plan.capAddNames() + (plan.noNewPrivileges() ? ", no-new-privileges" : "")
        + (body.path("HostConfig").path("AutoRemove").asBoolean() ? ", AutoRemove" : "")
        + (from.autoRemove() && !body.path("HostConfig").path("AutoRemove").asBoolean()
            ? ", without AutoRemove until it verifies" : ""));
    stop(from);
    interruption.step(() -> {
      if (fromBecomes.isPresent()) {
        ops.rename(from.id(), fromBecomes.get());
      }
      steps.at("in-swap");
      ops.rename(id, name);
      return null;
    });
    steps.done(fromBecomes.map(b -> "renamed " + from.shortId() + " to " + b + " and the " + what + " to " + name)
        .orElse("renamed the " + what + " to " + name + " (the original's name was free: it removed itself)"));
    Optional<String> notStarted = interruption.step(() -> {
      try {
        ops.start(id);
      } catch (IOException e) {
        return Optional.of("the " + what + " did not start: " + e.getMessage());
      }
      steps.at("in-start");
      return Optional.empty();
    });
    if (notStarted.isPresent()) {
      steps.done(notStarted.get());
      return new Swap(id, new Verifier.Verification(Optional.empty(), notStarted));
    }
    steps.done("started the " + what);
    Verifier.Verification verification = interruption.step(() -> run.verifier().verify(id, inVerify()));
    steps.done(verification.failure().map(f -> "verification failed: " + f)
        .orElse("re-audited the " + what + ": pass"));
    return new Swap(id, verification);
  }

  private void stop(ContainerFacts from) throws IOException {
    if (!from.running()) {
      steps.done("the original was not running: nothing to stop");
      return;
    }
    Duration timeout = ops.stopTimeout(from);
    interruption.step(() -> {
      ops.stop(from);
      steps.at("in-stop");
      return null;
    });
    steps.done("stopped " + from.shortId() + " (stop timeout " + timeout.toSeconds() + " s)"
        + (from.autoRemove() ? "; it removed itself (AutoRemove), its volumes are held by the replacement" : ""));
  }

  /** The verified replacement hands over to a twin that has the original's AutoRemove; then it is removed. */
  private Swap autoRemoveTwin(String verifiedId) throws IOException {
    RunRecord record = run.record();
    ContainerFacts verified = interruption.step(() -> ops.require(verifiedId));
    Swap twin = swap(verified, RecreateRequest.replacement(verified.inspect(), plan,
        record.labels(RunRecord.Role.FINAL), true), RunNames.fresh(record.target(), run.stamp() + "-autoremove"),
        Optional.of(RunNames.verified(record.target(), run.stamp())), "AutoRemove twin");
    if (!twin.failed()) {
      interruption.step(() -> {
        ops.remove(verifiedId);
        return null;
      });
      steps.done("removed the verified replacement " + verified.shortId() + ": its twin holds its volumes");
    }
    return twin;
  }

  /** After the commit: the backup stays unless asked otherwise; its removal can fail without undoing anything. */
  private Optional<String> keepOrRemove(ContainerFacts original, Optional<String> backup) {
    if (backup.isEmpty()) {
      steps.done("no backup: the original removed itself when it stopped (AutoRemove)");
      return Optional.empty();
    }
    if (!run.settings().removeBackup()) {
      steps.done("kept the backup " + backup.get() + "; remove it with docker rm -v once you are satisfied");
      return backup;
    }
    try {
      interruption.step(() -> {
        ops.remove(original.id());
        return null;
      });
      steps.done("removed the backup " + backup.get() + " (--remove-backup)");
      return Optional.empty();
    } catch (IOException e) {
      steps.done("could not remove the backup " + backup.get() + " (" + e.getMessage() + "); it is kept");
      return backup;
    }
  }

  /** The settle loop's cancel check, which also passes the test checkpoint inside the verification once. */
  private BooleanSupplier inVerify() {
    boolean[] passed = {false};
    return () -> {
      if (!passed[0]) {
        passed[0] = true;
        steps.at("in-verify");
      }
      return interruption.signalled();
    };
  }

  /** An engine call failed before the commit: roll back, and say whether that worked. */
  private IOException rolledBackAfter(IOException failure, String name) {
    run.log().accept("failed: " + failure.getMessage());
    if (!guard.holdsLock()) {
      return failure;
    }
    try {
      guard.rollBack(steps);
      return new IOException(failure.getMessage() + "; rolled back: " + name + " is the original again", failure);
    } catch (IOException again) {
      return new IOException(failure.getMessage() + "; the rollback failed too (" + again.getMessage() + "): the lock "
          + RunNames.lock(name) + " stays, and the next enforce --apply of " + name + " finishes the rollback",
          failure);
    }
  }

  private EnforceOutcome outcome(EnforceOutcome.Result result, Optional<String> backup,
      Verifier.Verification verification) {
    return new EnforceOutcome(run.record().target(), result, steps.lines(), backup,
        verification.failure(), verification.audit());
  }
}
