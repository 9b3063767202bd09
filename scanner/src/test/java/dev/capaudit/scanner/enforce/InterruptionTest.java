package dev.capaudit.scanner.enforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * A signal at every step boundary and inside every step runs the same cleanup the shutdown hook runs; a crash at
 * any of them is rolled back by the next run. Either way the original runs under its name, or the committed
 * replacement does.
 */
class InterruptionTest {
  private final Fixture fixture = new Fixture();
  private Thread hook;

  /** At the point, a "shutdown hook" thread delivers the signal while the run pauses there, as SIGTERM would. */
  private void signalAt(String point) {
    fixture.checkpoints = (reached, interruption) -> {
      if (reached.equals(point) && hook == null) {
        hook = new Thread(interruption::signal, "test-signal");
        hook.start();
        interruption.pause(Duration.ofSeconds(10));
      }
    };
  }

  private void assertOriginalIsBackUnderItsName() {
    assertThat(fixture.engine.named(Fixture.NAME)).map(b -> b.id).contains(fixture.original.id);
    assertThat(fixture.original.running).as("the original runs again").isTrue();
    assertThat(fixture.madeByEnforce()).as("nothing of the run is left").isEmpty();
    assertThat(fixture.lock()).as("the lock is released").isEmpty();
  }

  @ParameterizedTest(name = "signal at {0}")
  @ValueSource(strings = {"in-lock", "after-step-1", "in-create", "after-step-2", "in-stop", "after-step-3",
      "in-swap", "after-step-4", "in-start", "after-step-5", "in-verify", "after-step-6"})
  void a_signal_before_the_commit_puts_the_original_back(String point) throws Exception {
    signalAt(point);

    assertThatThrownBy(fixture::apply).isInstanceOf(IOException.class).hasMessageContaining("interrupted by a signal");
    hook.join(10_000);

    assertOriginalIsBackUnderItsName();
    assertThat(fixture.log).contains("interrupted: released the lock agent.capaudit-lock");
  }

  @ParameterizedTest(name = "signal at {0}")
  @ValueSource(strings = {"in-commit", "after-step-7", "after-step-8"})
  void a_signal_after_the_commit_leaves_the_verified_replacement(String point) throws Exception {
    signalAt(point);

    try {
      fixture.apply();
    } catch (IOException interrupted) {
      assertThat(interrupted).hasMessageContaining("interrupted by a signal");
    }
    hook.join(10_000);

    assertThat(fixture.engine.named(Fixture.NAME)).hasValueSatisfying(b -> {
      assertThat(b.id).isNotEqualTo(fixture.original.id);
      assertThat(b.running).isTrue();
    });
    assertThat(fixture.original.name).startsWith("agent.capaudit-backup-");
    assertThat(fixture.lock()).isEmpty();
  }

  @ParameterizedTest(name = "crash at {0}")
  @ValueSource(strings = {"in-lock", "after-step-1", "in-create", "after-step-2", "in-stop", "after-step-3",
      "in-swap", "after-step-4", "in-start", "after-step-5", "in-verify", "after-step-6"})
  void after_a_crash_before_the_commit_the_next_run_rolls_back_first(String point) throws Exception {
    fixture.crashAt(point);
    assertThat(fixture.lock()).as("a crash leaves its lock").isPresent();

    try (EnforceRun next = fixture.begin()) {
      assertThat(next.recovered()).isNotEmpty();
      assertThat(fixture.engine.named(Fixture.NAME)).map(b -> b.id).contains(fixture.original.id);
      assertThat(fixture.original.running).isTrue();
      assertThat(fixture.madeByEnforce()).isEmpty();
      assertThat(next.apply(Fixture.plan()).result()).isEqualTo(EnforceOutcome.Result.APPLIED);
    }
    assertThat(fixture.lock()).isEmpty();
  }

  @Test
  void a_signal_waits_for_the_step_in_flight_before_it_cleans_up() throws Exception {
    // The signal comes while the stop is in the engine: rolling back meanwhile would start the original while it
    // stops, and it would end stopped.
    fixture.checkpoints = (reached, interruption) -> {
      if (reached.equals("in-stop") && hook == null) {
        hook = new Thread(interruption::signal, "test-signal");
        hook.start();
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        assertThat(hook.isAlive()).as("the signal waits for the step").isTrue();
        assertThat(fixture.lock()).as("and has not cleaned up yet").isPresent();
      }
    };

    assertThatThrownBy(fixture::apply).isInstanceOf(IOException.class).hasMessageContaining("interrupted by a signal");
    hook.join(10_000);

    assertOriginalIsBackUnderItsName();
  }

  @Test
  void an_auto_remove_original_ends_with_an_auto_remove_twin_and_no_backup() throws Exception {
    Fixture autoRemove = new Fixture(true);
    autoRemove.settings = Fixture.settings(false, true, false);

    EnforceOutcome outcome = autoRemove.apply();

    assertThat(outcome.result()).isEqualTo(EnforceOutcome.Result.APPLIED);
    assertThat(outcome.backupName()).isEmpty();
    assertThat(autoRemove.engine.byId(autoRemove.original.id)).as("it removed itself when stopped").isEmpty();
    FakeEngine.Box twin = autoRemove.engine.named(Fixture.NAME).orElseThrow();
    assertThat(twin.host.path("AutoRemove").asBoolean()).isTrue();
    assertThat(twin.labels()).containsEntry(RunRecord.ROLE, "final");
    assertThat(autoRemove.engine.all()).containsExactly(twin);
    assertThat(outcome.steps()).anyMatch(s -> s.contains("without AutoRemove until it verifies"))
        .last().asString().contains("no backup: the original removed itself");
  }

  @Test
  void a_failing_replacement_of_an_auto_remove_original_brings_the_original_back_from_its_record()
      throws Exception {
    Fixture autoRemove = new Fixture(true);
    autoRemove.settings = Fixture.settings(false, true, false);
    autoRemove.verifier = (id, cancelled) -> new Verifier.Verification(Optional.empty(), Optional.of("it exited"));

    EnforceOutcome outcome = autoRemove.apply();

    assertThat(outcome.result()).isEqualTo(EnforceOutcome.Result.ROLLED_BACK);
    FakeEngine.Box restored = autoRemove.engine.named(Fixture.NAME).orElseThrow();
    assertThat(restored.running).isTrue();
    assertThat(restored.host.path("AutoRemove").asBoolean()).isTrue();
    assertThat(restored.host.path("CapDrop")).isEqualTo(autoRemove.original.host.path("CapDrop"));
    assertThat(restored.labels()).isEqualTo(autoRemove.original.labels());
    assertThat(autoRemove.engine.all()).containsExactly(restored);
    assertThat(outcome.steps()).anyMatch(s -> s.contains("recreated the original from its configuration as agent"));
  }

  @Test
  void a_crash_after_an_auto_remove_original_removed_itself_recreates_it_on_the_next_run() throws Exception {
    Fixture autoRemove = new Fixture(true);
    autoRemove.settings = Fixture.settings(false, true, false);
    autoRemove.crashAt("after-step-3");
    assertThat(autoRemove.engine.named(Fixture.NAME)).as("the name is free: the original removed itself").isEmpty();

    try (EnforceRun next = autoRemove.begin()) {
      assertThat(next.recovered()).anyMatch(s -> s.contains("recreated the original from its configuration"));
    }

    FakeEngine.Box restored = autoRemove.engine.named(Fixture.NAME).orElseThrow();
    assertThat(restored.running).isTrue();
    assertThat(restored.host.path("AutoRemove").asBoolean()).isTrue();
    assertThat(autoRemove.engine.all()).containsExactly(restored);
  }
}
