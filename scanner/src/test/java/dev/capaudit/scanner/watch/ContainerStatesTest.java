package dev.capaudit.scanner.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.rules.engine.Verdict;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContainerStatesTest {
  @Test
  void it_keeps_at_most_its_limit_of_containers_dropping_the_oldest() {
    ContainerStates states = new ContainerStates(3);
    for (int i = 0; i < 5; i++) {
      states.known("c" + i, "n" + i, i);
    }

    assertThat(states.size()).isEqualTo(3);
    assertThat(states.ids()).containsExactly("c2", "c3", "c4");
  }

  @Test
  void a_forgotten_container_rejects_audits_begun_before_and_accepts_those_begun_after() {
    ContainerStates states = new ContainerStates();
    states.known("c", "agent", 100);

    assertThat(states.forget("c", 200)).isPresent();

    assertThat(states.outdated("c", 150)).isTrue();
    assertThat(states.outdated("c", 250)).isFalse();
    assertThat(states.get("c")).isEmpty();
    assertThat(states.forget("c", 300)).as("forgetting twice").isEmpty();
  }

  @Test
  void the_forgotten_are_bounded_too() {
    ContainerStates states = new ContainerStates();
    for (int i = 0; i < ContainerStates.FORGOTTEN_KEPT + 100; i++) {
      states.forget("c" + i, i);
    }

    assertThat(states.forgottenSize()).isEqualTo(ContainerStates.FORGOTTEN_KEPT);
  }

  @Test
  void an_exec_session_is_audited_once_and_a_container_keeps_only_its_last_sessions() {
    ContainerStates.Entry entry = new ContainerStates().known("c", "agent", 0);

    assertThat(entry.firstSightOf("e0")).isTrue();
    assertThat(entry.firstSightOf("e0")).as("replayed after a reconnect").isFalse();
    for (int i = 1; i <= 200; i++) {
      entry.firstSightOf("e" + i);
      entry.execRead(new ExecSessions.Session("e" + i, 1000 + i, "sh"));
    }

    assertThat(entry.execSessions()).hasSize(ContainerStates.EXECS_KEPT);
    assertThat(entry.execSessions().get(0).hostPid()).isEqualTo(1000 + 200 - ContainerStates.EXECS_KEPT + 1);
  }

  @Test
  void an_audit_older_than_the_last_one_applied_is_not_newer() {
    ContainerStates.Entry entry = new ContainerStates().known("c", "agent", 0);
    entry.audited("agent", new AuditSummary(Verdict.PASS, Set.of()), 500);

    assertThat(entry.newerThanLast(400)).isFalse();
    assertThat(entry.newerThanLast(600)).isTrue();
  }
}
