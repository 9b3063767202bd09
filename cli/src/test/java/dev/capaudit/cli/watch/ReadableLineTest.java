package dev.capaudit.cli.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.scanner.watch.WatchChange;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ReadableLineTest {
  private static final String HOSTILE = "agent\u001b]8;;http://x\u0007click\u001b]8;;\u0007\u202e\nfake 0 pass";
  private static final Instant TIME = Instant.parse("2026-12-01T09:00:00Z");

  @Test
  void a_hostile_container_name_and_message_cannot_reach_the_terminal_as_controls() {
    String stopped = ReadableLine.of(new WatchChange.Stopped(TIME, "c".repeat(64), HOSTILE, OptionalLong.of(137),
        false));
    String problem = ReadableLine.of(new WatchChange.Problem(TIME, "c".repeat(64), HOSTILE, HOSTILE));

    for (String line : new String[] {stopped, problem}) {
      assertThat(line).doesNotContain("\u001b", "\u0007", "\u202e", "\n").contains("agent\\x1b]8;;http://x\\x07click",
          "\\u202e\\x0afake 0 pass");
    }
    assertThat(stopped).isEqualTo("2026-12-01T09:00:00Z stopped agent\\x1b]8;;http://x\\x07click\\x1b]8;;\\x07"
        + "\\u202e\\x0afake 0 pass (cccccccccccc) (exit code 137)");
  }

  @Test
  void a_problem_of_the_engine_names_the_watch_itself() {
    assertThat(ReadableLine.of(new WatchChange.Problem(TIME, "", "", "lost the engine: EOF; trying again in 1 s")))
        .isEqualTo("2026-12-01T09:00:00Z error   watch: lost the engine: EOF; trying again in 1 s");
  }
}
