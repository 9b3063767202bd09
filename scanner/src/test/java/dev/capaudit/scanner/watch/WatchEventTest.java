package dev.capaudit.scanner.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.scanner.docker.DockerEngine;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WatchEventTest {
  private static final String ID = "c".repeat(64);

  private static DockerEngine.Event event(String action, Map<String, String> attributes) {
    return new DockerEngine.Event(action, ID, attributes, 1_796_115_410_861_799_087L);
  }

  @Test
  void an_exec_start_carries_its_command_after_a_colon_and_its_exec_id_as_an_attribute() {
    WatchEvent event = WatchEvent.of(event("exec_start: sh -c id", Map.of("execID", "e1", "name", "agent")))
        .orElseThrow();

    assertThat(event.kind()).isEqualTo(WatchEvent.Kind.EXEC_START);
    assertThat(event.execId()).hasValue("e1");
    assertThat(event.name()).isEqualTo("agent");
    assertThat(event.timeNanos()).isEqualTo(1_796_115_410_861_799_087L);
  }

  @Test
  void an_exec_start_without_its_exec_id_cannot_be_audited_and_is_not_an_event() {
    assertThat(WatchEvent.of(event("exec_start: sh", Map.of()))).isEmpty();
  }

  @Test
  void a_die_keeps_its_exit_code_and_a_malformed_one_is_no_code() {
    assertThat(WatchEvent.of(event("die", Map.of("exitCode", "137"))).orElseThrow().exitCode()).hasValue(137);
    assertThat(WatchEvent.of(event("die", Map.of("exitCode", "-x"))).orElseThrow().exitCode()).isEmpty();
  }

  @Test
  void actions_the_watch_does_not_act_on_are_no_events() {
    assertThat(WatchEvent.of(event("exec_create: sh", Map.of("execID", "e1")))).isEmpty();
    assertThat(WatchEvent.of(event("kill", Map.of("signal", "9")))).isEmpty();
    assertThat(WatchEvent.of(event("pause", Map.of()))).isEmpty();
    assertThat(WatchEvent.of(event("start", Map.of())).orElseThrow().kind()).isEqualTo(WatchEvent.Kind.START);
  }
}
