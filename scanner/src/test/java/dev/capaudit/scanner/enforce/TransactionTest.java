package dev.capaudit.scanner.enforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.capaudit.rules.enforce.EnforcementPlan;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code enforce --apply} on a fake engine: the steps, and what every step's failure leaves behind. */
class TransactionTest {
  private final Fixture fixture = new Fixture();

  private void assertOriginalIsBackUnderItsName() {
    assertThat(fixture.engine.named(Fixture.NAME)).map(b -> b.id).contains(fixture.original.id);
    assertThat(fixture.original.running).as("the original runs again").isTrue();
    assertThat(fixture.madeByEnforce()).as("nothing of the run is left").isEmpty();
    assertThat(fixture.lock()).as("the lock is released").isEmpty();
  }

  @Test
  void applying_swaps_the_names_keeps_the_backup_and_labels_the_replacement() throws Exception {
    EnforceOutcome outcome = fixture.apply();

    assertThat(outcome.result()).isEqualTo(EnforceOutcome.Result.APPLIED);
    FakeEngine.Box replacement = fixture.engine.named(Fixture.NAME).orElseThrow();
    assertThat(replacement.id).isNotEqualTo(fixture.original.id);
    assertThat(replacement.running).isTrue();
    assertThat(replacement.labels()).containsEntry("app", "demo").containsEntry(RunRecord.ROLE, "replacement")
        .containsEntry(RunRecord.ORIGINAL, fixture.original.id).containsKey(RunRecord.RUN);
    assertThat(outcome.backupName()).hasValueSatisfying(backup -> {
      assertThat(backup).startsWith("agent.capaudit-backup-20261201T074347Z-");
      assertThat(fixture.original.name).isEqualTo(backup);
    });
    assertThat(fixture.original.running).isFalse();
    assertThat(fixture.lock()).isEmpty();
    assertThat(outcome.steps()).hasSize(8).first().asString().startsWith("step 1: locked agent for run ");
    assertThat(outcome.steps().get(6)).isEqualTo("step 7: committed: released the lock agent.capaudit-lock");
  }

  @Test
  void the_original_stops_with_its_own_stop_timeout_else_the_engine_default_else_the_override() throws Exception {
    fixture.original.config.put("StopTimeout", 30);
    fixture.apply();
    assertThat(fixture.engine.stopTimeoutOf(fixture.original.id)).isEqualTo(Duration.ofSeconds(30));

    Fixture plain = new Fixture();
    plain.apply();
    assertThat(plain.engine.stopTimeoutOf(plain.original.id)).isEqualTo(Duration.ofSeconds(10));

    Fixture overridden = new Fixture();
    overridden.original.config.put("StopTimeout", 30);
    overridden.settings = new EnforceSettings(Duration.ofSeconds(1), Optional.of(Duration.ofSeconds(3)), false, false,
        false);
    overridden.apply();
    assertThat(overridden.engine.stopTimeoutOf(overridden.original.id)).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void remove_backup_removes_the_original_only_after_the_commit() throws Exception {
    fixture.settings = Fixture.settings(true, false, false);

    EnforceOutcome outcome = fixture.apply();

    assertThat(outcome.backupName()).isEmpty();
    assertThat(fixture.engine.byId(fixture.original.id)).isEmpty();
    assertThat(fixture.engine.changes()).containsSubsequence("remove agent.capaudit-lock",
        "remove " + fixture.original.name);
  }

  @Test
  void an_already_compliant_container_is_left_alone_and_the_lock_released() throws Exception {
    EnforcementPlan planned = Fixture.plan();
    EnforcementPlan complies = new EnforcementPlan(planned.target(), planned.currentBoundingSet(), planned.capAdd(),
        false, planned.removed(), planned.warnings(), true);

    try (EnforceRun run = fixture.begin()) {
      assertThat(run.apply(complies).result()).isEqualTo(EnforceOutcome.Result.UNCHANGED);
    }

    assertThat(fixture.engine.changes()).containsExactly("create agent.capaudit-lock", "remove agent.capaudit-lock");
  }

  @Test
  void a_replacement_that_cannot_be_created_leaves_nothing_behind() {
    fixture.engine.fail("create", ".capaudit-new-", 1);

    assertThatThrownBy(fixture::apply).isInstanceOf(IOException.class).hasMessageContaining("injected failure")
        .hasMessageContaining("rolled back");

    assertOriginalIsBackUnderItsName();
  }

  @Test
  void the_replacement_joins_the_originals_extra_networks() throws Exception {
    fixture.original.host.put("NetworkMode", "frontend");
    fixture.original.networks.put("frontend", new ObjectMapper().createObjectNode());
    fixture.original.networks.put("backend", new ObjectMapper().createObjectNode().set("Aliases",
        new ObjectMapper().createArrayNode().add("db")));

    fixture.apply();

    assertThat(fixture.engine.named(Fixture.NAME).orElseThrow().networks).containsOnlyKeys("backend");
  }

  @Test
  void a_failed_network_connect_removes_the_replacement() {
    fixture.original.host.put("NetworkMode", "frontend");
    fixture.original.networks.put("backend", new ObjectMapper().createObjectNode());
    fixture.engine.fail("connect", ".capaudit-new-", 1);

    assertThatThrownBy(fixture::apply).isInstanceOf(IOException.class).hasMessageContaining("rolled back");

    assertOriginalIsBackUnderItsName();
  }

  @Test
  void a_failed_stop_rolls_back_to_the_running_original() {
    fixture.original.config.put("StopTimeout", 0);
    fixture.engine.fail("stop", fixture.original.id, 1);

    assertThatThrownBy(fixture::apply).isInstanceOf(IOException.class).hasMessageContaining("rolled back");

    assertOriginalIsBackUnderItsName();
  }

  @Test
  void a_failed_rename_of_the_original_rolls_back() {
    fixture.engine.fail("rename-to", ".capaudit-backup-", 1);

    assertThatThrownBy(fixture::apply).isInstanceOf(IOException.class).hasMessageContaining("rolled back");

    assertOriginalIsBackUnderItsName();
  }

  @Test
  void a_failed_rename_of_the_replacement_gives_the_name_back_to_the_original() {
    fixture.engine.fail("rename-to", "=" + Fixture.NAME, 1);

    assertThatThrownBy(fixture::apply).isInstanceOf(IOException.class).hasMessageContaining("rolled back");

    assertOriginalIsBackUnderItsName();
  }

  @Test
  void a_replacement_that_does_not_start_is_rolled_back() throws Exception {
    fixture.engine.fail("start", ".capaudit-new-", 1);

    EnforceOutcome outcome = fixture.apply();

    assertThat(outcome.result()).isEqualTo(EnforceOutcome.Result.ROLLED_BACK);
    assertThat(outcome.failure()).hasValueSatisfying(f -> assertThat(f).startsWith("the replacement did not start"));
    assertOriginalIsBackUnderItsName();
  }

  @Test
  void a_replacement_that_fails_verification_is_rolled_back_step_by_step() throws Exception {
    fixture.verifier = (id, cancelled) -> new Verifier.Verification(Optional.empty(), Optional.of("CAP_NET_RAW lost"));

    EnforceOutcome outcome = fixture.apply();

    assertThat(outcome.result()).isEqualTo(EnforceOutcome.Result.ROLLED_BACK);
    assertThat(outcome.failure()).contains("CAP_NET_RAW lost");
    assertThat(outcome.backupName()).isEmpty();
    assertThat(outcome.steps()).anyMatch(s -> s.contains("verification failed: CAP_NET_RAW lost"))
        .anyMatch(s -> s.contains("renamed the original agent.capaudit-backup-"))
        .anyMatch(s -> s.contains("started the original")).last().asString().endsWith("released the lock"
            + " agent.capaudit-lock");
    assertOriginalIsBackUnderItsName();
  }

  @Test
  void a_failed_commit_rolls_back_since_the_lock_still_says_uncommitted() {
    fixture.engine.fail("remove", RunNames.lock(Fixture.NAME), 1);

    assertThatThrownBy(fixture::apply).isInstanceOf(IOException.class).hasMessageContaining("rolled back");

    assertOriginalIsBackUnderItsName();
  }

  @Test
  void a_failed_backup_removal_keeps_the_backup_and_the_result() throws Exception {
    fixture.settings = Fixture.settings(true, false, false);
    fixture.engine.fail("remove", ".capaudit-backup-", 1);

    EnforceOutcome outcome = fixture.apply();

    assertThat(outcome.result()).isEqualTo(EnforceOutcome.Result.APPLIED);
    assertThat(outcome.backupName()).contains(fixture.original.name);
    assertThat(outcome.steps()).last().asString().contains("could not remove the backup");
  }

  @Test
  void a_rollback_that_fails_keeps_the_lock_for_the_next_run() {
    fixture.verifier = (id, cancelled) -> new Verifier.Verification(Optional.empty(), Optional.of("fails"));
    fixture.engine.fail("rename-to", "agent.capaudit-failed-", 5);

    assertThatThrownBy(fixture::apply).isInstanceOf(IOException.class).hasMessageContaining("the rollback failed")
        .hasMessageContaining("the next enforce --apply of agent finishes the rollback");

    assertThat(fixture.lock()).isPresent();
  }
}
