package dev.capaudit.cli.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.capaudit.scanner.watch.WatchChange;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ChangeWriterTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private ChangeWriter writer(ChangeWriter.Format format) {
    return new ChangeWriter(format, new WatchLines(null, "test"), new PrintWriter(out), new PrintWriter(err));
  }

  @Test
  void each_change_is_one_json_object_on_one_line_whatever_the_names_hold() throws Exception {
    ChangeWriter writer = writer(ChangeWriter.Format.JSONL);

    writer.write(new WatchChange.Stopped(Instant.parse("2026-12-01T09:00:00Z"), "c".repeat(64),
        "two\nlines\u2028\"quoted\"", OptionalLong.of(137), true));
    writer.write(new WatchChange.Problem(Instant.parse("2026-12-01T09:00:01Z"), "", "", "lost the engine: EOF"));

    String[] lines = out.toString().split("\n");
    assertThat(lines).hasSize(2);
    JsonNode stopped = new ObjectMapper().readTree(lines[0]);
    assertThat(stopped.path("type").asText()).isEqualTo("target");
    assertThat(stopped.path("event").asText()).isEqualTo("destroy");
    assertThat(stopped.path("state").asText()).isEqualTo("removed");
    assertThat(stopped.path("exitCode").asLong()).isEqualTo(137);
    assertThat(stopped.at("/target/name").asText()).isEqualTo("two\nlines\u2028\"quoted\"");
    JsonNode problem = new ObjectMapper().readTree(lines[1]);
    assertThat(problem.path("type").asText()).isEqualTo("error");
    assertThat(problem.has("target")).isFalse();
    assertThat(problem.path("message").asText()).isEqualTo("lost the engine: EOF");
  }

  @Test
  void a_reconnection_is_said_on_standard_error_and_is_no_line() {
    ChangeWriter writer = writer(ChangeWriter.Format.JSONL);

    assertThat(writer.write(new WatchChange.Reconnected(Instant.now(), "unix:///x.sock"))).isEmpty();

    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).contains("the engine at unix:///x.sock answers again");
  }
}
