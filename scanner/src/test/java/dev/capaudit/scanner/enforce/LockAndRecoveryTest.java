package dev.capaudit.scanner.enforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The lock, the record it carries, and what recovery may and may not touch. */
class LockAndRecoveryTest {
  private final Fixture fixture = new Fixture();

  @Test
  void the_lock_carries_the_whole_record_while_the_run_holds_it() throws Exception {
    try (EnforceRun run = fixture.begin()) {
      FakeEngine.Box lock = fixture.lock().orElseThrow();
      RunRecord record = RunRecord.fromLockLabels(lock.labels()).orElseThrow();

      assertThat(record.target()).isEqualTo(Fixture.NAME);
      assertThat(record.originalId()).isEqualTo(fixture.original.id);
      assertThat(record.originalRunning()).isTrue();
      assertThat(record.originalInspect()).as("only an AutoRemove original needs its configuration kept").isEmpty();
      assertThat(record.holder()).isEqualTo(LockHolder.current());
      assertThat(lock.running).isFalse();
      assertThat(lock.host.path("NetworkMode").asText()).isEqualTo("none");
    }
    assertThat(fixture.lock()).isEmpty();
  }

  @Test
  void a_record_survives_the_round_trip_through_labels() {
    RunRecord record = new RunRecord("3f2a1c0d9e8b", "agent", "c0ffee", false, Optional.of("{\"Id\":\"c0ffee\"}"),
        Fixture.elsewhere(), Instant.parse("2026-12-01T07:43:47Z"));

    assertThat(RunRecord.fromLockLabels(record.lockLabels())).contains(record);
  }

  @Test
  void labels_that_are_not_a_complete_record_are_no_record() {
    Map<String, String> labels = new java.util.HashMap<>(new RunRecord("3f2a1c0d9e8b", "agent", "c0ffee", true,
        Optional.empty(), Fixture.elsewhere(), Instant.EPOCH).lockLabels());
    labels.remove("capaudit.enforce.original");

    assertThat(RunRecord.fromLockLabels(labels)).isEmpty();
    assertThat(RunRecord.fromLockLabels(Map.of("capaudit.enforce.role", "replacement"))).isEmpty();
  }

  @Test
  void a_second_run_while_the_first_holds_the_lock_is_refused_naming_the_holder_and_changes_nothing()
      throws Exception {
    try (EnforceRun first = fixture.begin()) {
      var before = fixture.engine.changes();
      String run = RunRecord.fromLockLabels(fixture.lock().orElseThrow().labels()).orElseThrow().run();

      assertThatThrownBy(fixture::begin).isInstanceOfSatisfying(EnforceRefused.class, refused -> {
        assertThat(refused.reason()).isEqualTo(EnforceRefused.Reason.LOCKED);
        assertThat(refused.getMessage()).contains("agent is being enforced by run " + run)
            .contains("pid " + ProcessHandle.current().pid()).contains("wait for it to finish");
      });
      assertThat(fixture.engine.changes()).isEqualTo(before);
    }
  }

  @Test
  void a_lock_taken_at_the_create_and_gone_at_the_read_is_tried_again_and_taken() throws Exception {
    fixture.engine.conflict("create", "=" + RunNames.lock(Fixture.NAME), 2);

    try (EnforceRun run = fixture.begin()) {
      assertThat(fixture.lock()).as("the third create took it").isPresent();
    }
  }

  @Test
  void a_lock_that_keeps_conflicting_with_no_holder_to_read_fails_after_three_tries() {
    fixture.engine.conflict("create", "=" + RunNames.lock(Fixture.NAME), 3);

    assertThatThrownBy(fixture::begin).isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("cannot create the lock " + RunNames.lock(Fixture.NAME));
    assertThat(fixture.lock()).isEmpty();
  }

  @Test
  void a_lock_whose_holder_is_gone_is_rolled_back_and_taken_over() throws Exception {
    fixture.holder = Fixture::gone;
    EnforceRun crashed = fixture.begin(); // never closed: its process "died" holding the lock
    assertThat(crashed.target()).isEqualTo(Fixture.NAME);
    fixture.holder = LockHolder::current;

    try (EnforceRun next = fixture.begin()) {
      assertThat(next.recovered()).first().asString().startsWith("recovery: rolling back the interrupted run ");
      assertThat(next.recovered()).last().asString().isEqualTo("recovery: released the lock agent.capaudit-lock");
      assertThat(RunRecord.fromLockLabels(fixture.lock().orElseThrow().labels()).orElseThrow().holder())
          .isEqualTo(LockHolder.current());
    }
  }

  @Test
  void a_lock_whose_holder_cannot_be_checked_is_refused_unless_break_lock() throws Exception {
    fixture.holder = Fixture::elsewhere;
    fixture.begin();
    fixture.holder = LockHolder::current;

    assertThatThrownBy(fixture::begin).isInstanceOfSatisfying(EnforceRefused.class, refused -> assertThat(
        refused.getMessage()).contains("pid 4242 on ci-7").contains("run again with --break-lock"));

    fixture.settings = Fixture.settings(false, false, true);
    try (EnforceRun next = fixture.begin()) {
      assertThat(next.recovered()).isNotEmpty();
    }
  }

  @Test
  void a_lock_without_a_record_is_refused_and_removed_only_with_break_lock() throws Exception {
    fixture.engine.add(RunNames.lock(Fixture.NAME), false, Map.of(), Map.of("owner", "someone"));

    assertThatThrownBy(fixture::begin).isInstanceOfSatisfying(EnforceRefused.class, refused -> assertThat(
        refused.getMessage()).contains("carries no enforce run record"));
    assertThat(fixture.lock()).map(b -> b.labels().get("owner")).contains("someone");

    fixture.settings = Fixture.settings(false, false, true);
    try (EnforceRun next = fixture.begin()) {
      assertThat(next.recovered()).containsExactly("recovery: removed agent.capaudit-lock, which carried no run"
          + " record (--break-lock)");
    }
  }

  @Test
  void a_container_that_changes_while_the_lock_is_taken_is_refused_and_the_lock_let_go() {
    // Someone stops the container between the read that the record describes and the lock.
    fixture.checkpoints = (point, interruption) -> {
      if (point.equals("in-lock")) {
        fixture.original.running = false;
      }
    };

    assertThatThrownBy(fixture::begin).isInstanceOfSatisfying(EnforceRefused.class, refused -> {
      assertThat(refused.reason()).isEqualTo(EnforceRefused.Reason.CHANGED);
      assertThat(refused.getMessage()).contains("agent changed while enforce took its lock");
    });
    assertThat(fixture.engine.changes()).containsExactly("create agent.capaudit-lock", "remove agent.capaudit-lock");
  }

  @Test
  void a_holder_that_runs_under_the_same_pid_but_started_at_another_time_is_gone() {
    LockHolder me = LockHolder.current();

    assertThat(me.liveness()).isEqualTo(LockHolder.Liveness.ALIVE);
    assertThat(Fixture.gone().liveness()).isEqualTo(LockHolder.Liveness.GONE);
    assertThat(Fixture.elsewhere().liveness()).isEqualTo(LockHolder.Liveness.UNKNOWN);
  }

  @Test
  void an_auto_remove_container_is_refused_without_allow_autoremove_and_nothing_changes() {
    Fixture autoRemove = new Fixture(true);

    assertThatThrownBy(autoRemove::begin).isInstanceOfSatisfying(EnforceRefused.class, refused -> {
      assertThat(refused.reason()).isEqualTo(EnforceRefused.Reason.AUTO_REMOVE);
      assertThat(refused.getMessage()).contains("--allow-autoremove");
    });
    assertThat(autoRemove.engine.changes()).isEmpty();
  }

  @Test
  void a_backup_or_a_lock_is_not_enforced_itself() {
    fixture.engine.add("agent.capaudit-backup-20261201T074347Z-3f2a1c", false, Map.of(), Map.of());

    assertThatThrownBy(() -> fixture.recreator().begin("agent.capaudit-backup-20261201T074347Z-3f2a1c", line -> { }))
        .isInstanceOfSatisfying(EnforceRefused.class, refused -> assertThat(refused.reason())
            .isEqualTo(EnforceRefused.Reason.ARTIFACT));
    assertThat(fixture.engine.changes()).isEmpty();
  }

  @Test
  void the_plan_reports_a_pending_recovery_and_changes_nothing() throws Exception {
    fixture.crashAt("in-swap");
    var before = fixture.engine.changes();

    Optional<PendingRecovery> pending = fixture.recreator().pendingRecovery(Fixture.NAME);

    assertThat(pending).hasValueSatisfying(p -> {
      assertThat(p.holder()).isEqualTo(PendingRecovery.Holder.GONE);
      assertThat(p.actions()).first().asString().startsWith("rename the original agent.capaudit-backup-")
          .endsWith(" back to agent");
      assertThat(p.actions()).contains("release the lock agent.capaudit-lock");
    });
    assertThat(fixture.engine.changes()).isEqualTo(before);
  }

  @Test
  void without_a_record_nothing_is_pending_even_with_a_backup_and_a_free_name() throws Exception {
    fixture.engine.rename(fixture.original.id, "agent-renamed-by-its-owner");
    fixture.engine.add("agent.capaudit-backup-20250101T000000Z-abcdef", false, Map.of(), Map.of());
    var before = fixture.engine.changes();

    assertThat(fixture.recreator().pendingRecovery(Fixture.NAME)).isEmpty();
    assertThatThrownBy(fixture::begin).hasMessageContaining("no container agent");

    assertThat(fixture.engine.changes()).isEqualTo(before);
    assertThat(fixture.engine.named("agent.capaudit-backup-20250101T000000Z-abcdef")).isPresent();
  }

  @Test
  void recovery_touches_only_its_own_runs_containers() throws Exception {
    fixture.crashAt("after-step-2");
    // Look-alikes: another run's replacement of the same original, and a backup-named container.
    fixture.engine.add("agent.capaudit-new-other", false, Map.of(), Map.of(RunRecord.RUN, "0000aaaa1111",
        RunRecord.ROLE, "replacement", RunRecord.ORIGINAL, fixture.original.id));
    fixture.engine.add("agent.capaudit-backup-20250101T000000Z-abcdef", false, Map.of(), Map.of());

    try (EnforceRun next = fixture.begin()) {
      assertThat(next.recovered()).anyMatch(line -> line.startsWith("recovery: removed the replacement "));
    }

    assertThat(fixture.engine.named("agent.capaudit-new-other")).isPresent();
    assertThat(fixture.engine.named("agent.capaudit-backup-20250101T000000Z-abcdef")).isPresent();
    assertThat(fixture.engine.all().stream().filter(b -> b.createdAs.startsWith("agent.capaudit-new-2026")))
        .isEmpty();
  }
}
