package dev.capaudit.scanner.enforce;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How to undo an unfinished run from where it stands: give the name and the running state back to the original,
 * remove what the run made, release the lock. An AutoRemove original that removed itself is recreated from its
 * recorded configuration, with its volumes taken from the run's container that still holds them. A container of
 * someone else that took the name meanwhile is left alone. Planned fresh each time, so a rollback that was itself
 * interrupted is finished by the next one.
 */
final class RollbackPlan {
  private RollbackPlan() {}

  /** One engine call of a rollback, described for the plan ({@code todo}) and for the log ({@code done}). */
  record Action(String todo, String done, Call call) {}

  @FunctionalInterface
  interface Call {
    void run(Operations ops) throws IOException;
  }

  /** How each call is made: under the run's engine use, or straight (a signal's cleanup already holds it). */
  @FunctionalInterface
  interface Around {
    void run(Call call) throws IOException;
  }

  /** Plans the rollback from where the run stands and carries it out, reporting each action once done. */
  static void perform(Operations ops, RunState state, Around around, Consumer<String> done) throws IOException {
    for (Action action : of(state)) {
      around.run(action.call());
      done.accept(action.done());
    }
  }

  /** Around each call, the run's own engine use, which a signal waits for. */
  static Around guardedBy(Interruption interruption, Operations ops) {
    return call -> interruption.step(() -> {
      call.run(ops);
      return null;
    });
  }

  static List<Action> of(RunState state) {
    List<Action> actions = new ArrayList<>();
    RunRecord record = state.record();
    Optional<ContainerFacts> original = state.original();
    // An AutoRemove original that was running and now is not is being removed by the engine: it cannot come back.
    boolean removingItself = original.map(o -> o.autoRemove() && !o.running() && record.originalRunning())
        .orElse(false);
    if (original.isPresent() && !removingItself) {
      backToOriginal(state, original.get(), actions);
    } else if (state.originalInspect().isPresent()) {
      if (removingItself) {
        actions.add(new Action("wait until the original removes itself (AutoRemove)",
            "waited until the original removed itself (AutoRemove)", ops -> ops.awaitGone(record.originalId())));
      }
      recreateOriginal(state, actions);
    } else {
      keepReplacement(state, actions);
    }
    actions.add(new Action("release the lock " + RunNames.lock(record.target()),
        "released the lock " + RunNames.lock(record.target()), ops -> EnforceLock.release(ops, state.lockId())));
    return actions;
  }

  private static void backToOriginal(RunState state, ContainerFacts original, List<Action> actions) {
    String name = state.record().target();
    moveReplacementAway(state, actions);
    if (!original.name().equals(name)) {
      if (state.strangerHoldsName()) {
        actions.add(note("leave the original as " + original.name() + ": " + name + " is held by "
            + state.nameHolder().get().shortId() + ", which this run did not make"));
      } else {
        actions.add(new Action("rename the original " + original.name() + " back to " + name,
            "renamed the original " + original.name() + " back to " + name,
            ops -> ops.rename(original.id(), name)));
      }
    }
    removeMade(state.made(), actions);
    if (state.record().originalRunning() && !original.running()) {
      actions.add(new Action("start the original " + original.shortId() + " again",
          "started the original " + original.shortId() + " again", ops -> ops.start(original.id())));
    }
  }

  private static void recreateOriginal(RunState state, List<Action> actions) {
    RunRecord record = state.record();
    // The first replacement holds every volume of the original (it took them with VolumesFrom).
    Optional<String> volumes = state.made().stream()
        .sorted(Comparator.comparing(c -> c.role().equals(RunRecord.Role.REPLACEMENT.label()) ? 0 : 1))
        .map(ContainerFacts::id).findFirst();
    String name = state.strangerHoldsName() ? RunNames.backup(record.target(), record.run()) : record.target();
    moveReplacementAway(state, actions);
    var inspect = state.originalInspect().orElseThrow();
    actions.add(new Action("recreate the original from its configuration as " + name
        + " (it removed itself when stopped: AutoRemove)", "recreated the original from its configuration as " + name
        + " (it removed itself when stopped: AutoRemove)" + (volumes.isPresent() ? ", with its volumes" : ""),
        ops -> ops.create(name, RecreateRequest.restore(inspect, volumes), RecreateRequest.extraNetworks(inspect))));
    removeMade(state.made(), actions);
    if (record.originalRunning()) {
      actions.add(new Action("start the recreated original", "started the recreated original",
          ops -> ops.start(name)));
    }
  }

  /** The original is gone and was not recorded: the run's own container is all that is left of the workload. */
  private static void keepReplacement(RunState state, List<Action> actions) {
    String name = state.record().target();
    Optional<ContainerFacts> kept = state.replacementHoldsName() ? state.nameHolder()
        : state.made().stream().min(Comparator.comparing(c -> c.role().equals(RunRecord.Role.FINAL.label()) ? 0 : 1));
    actions.add(note("keep the replacement" + kept.map(c -> " " + c.shortId()).orElse("") + ": the original "
        + ContainerFacts.shortIdOf(state.record().originalId()) + " is gone and cannot be recreated; it is not verified, so enforce"
        + " it again"));
    if (kept.isPresent() && !kept.get().name().equals(name) && !state.strangerHoldsName()) {
      ContainerFacts c = kept.get();
      actions.add(new Action("rename " + c.shortId() + " to " + name, "renamed " + c.shortId() + " to " + name,
          ops -> ops.rename(c.id(), name)));
    }
    removeMade(state.made().stream().filter(c -> kept.map(k -> !k.id().equals(c.id())).orElse(true)).toList(),
        actions);
    if (kept.isPresent() && state.record().originalRunning() && !kept.get().running()) {
      actions.add(new Action("start " + kept.get().shortId(), "started " + kept.get().shortId(),
          ops -> ops.start(kept.get().id())));
    }
  }

  /** Frees the name first, so it is empty only between two renames. */
  private static void moveReplacementAway(RunState state, List<Action> actions) {
    if (state.replacementHoldsName()) {
      ContainerFacts replacement = state.nameHolder().get();
      String away = RunNames.failed(state.record().target(), state.record().run());
      actions.add(new Action("rename the replacement " + replacement.shortId() + " to " + away,
          "renamed the replacement " + replacement.shortId() + " to " + away, ops -> ops.rename(replacement.id(), away)));
    }
  }

  /** Stops (with their stop timeouts: they share volumes with the original) and removes the run's containers. */
  private static void removeMade(List<ContainerFacts> made, List<Action> actions) {
    for (ContainerFacts c : made) {
      if (c.running()) {
        actions.add(new Action("stop the " + c.role() + " " + c.shortId(), "stopped the " + c.role() + " "
            + c.shortId(), ops -> ops.stop(c)));
      }
      actions.add(new Action("remove the " + c.role() + " " + c.shortId(), "removed the " + c.role() + " "
          + c.shortId(), ops -> ops.remove(c.id())));
    }
  }

  private static Action note(String text) {
    return new Action(text, text, ops -> { });
  }
}
