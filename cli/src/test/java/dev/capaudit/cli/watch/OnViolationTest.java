package dev.capaudit.cli.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnViolationTest {
  @TempDir
  Path temp;

  private final StringWriter err = new StringWriter();

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void the_command_gets_the_json_line_on_its_standard_input() throws Exception {
    Path received = temp.resolve("received.json");
    try (OnViolation hook = new OnViolation(List.of("cp", "/dev/stdin", received.toString()), Duration.ofSeconds(10),
        new PrintWriter(err, true))) {
      hook.offer("{\"type\":\"exec\",\"verdict\":\"fail\"}");
      awaitTrue(() -> Files.exists(received) && sizeOf(received) > 0, "the command ran");
    }
    assertThat(Files.readString(received)).isEqualTo("{\"type\":\"exec\",\"verdict\":\"fail\"}\n");
  }

  @Test
  void the_command_runs_as_given_never_through_a_shell() throws Exception {
    Path marker = temp.resolve("a;touch");
    Path injected = temp.resolve("b");
    try (OnViolation hook = new OnViolation(List.of("touch", marker.toString(), injected.toString()),
        Duration.ofSeconds(10), new PrintWriter(err, true))) {
      hook.offer("{}");
      awaitTrue(() -> Files.exists(injected), "the command ran");
    }
    assertThat(marker).as("';' is part of an argument, not a shell's separator").exists();
  }

  @Test
  void a_command_that_overruns_is_killed_and_said_and_a_flood_never_blocks_the_caller() throws Exception {
    try (OnViolation hook = new OnViolation(List.of("sleep", "30"), Duration.ofSeconds(1),
        new PrintWriter(err, true))) {
      long started = System.nanoTime();
      for (int i = 0; i < OnViolation.WAITING + 10; i++) {
        hook.offer("{}");
      }
      assertThat(Duration.ofNanos(System.nanoTime() - started)).as("offering never waits for the command")
          .isLessThan(Duration.ofMillis(500));
      assertThat(hook.dropped()).as("one running, " + OnViolation.WAITING + " waiting, the rest dropped")
          .isEqualTo(9);
      awaitTrue(() -> err.toString().contains("did not finish within 1 s and was killed"), "the overrun said");
    }
    assertThat(err.toString()).contains("--on-violation is behind: 9 violation(s) not handed to it so far");
  }

  @Test
  void a_line_larger_than_a_pipe_reaches_a_reader_whole_and_a_command_that_never_reads_it_blocks_nothing()
      throws Exception {
    String line = "{\"findings\":\"" + "x".repeat(1 << 20) + "\"}";
    Path received = temp.resolve("received.json");
    Path ran = temp.resolve("ran");
    try (OnViolation reader = new OnViolation(List.of("cp", "/dev/stdin", received.toString()),
        Duration.ofSeconds(10), new PrintWriter(err, true));
        OnViolation deaf = new OnViolation(List.of("sh", "-c", "echo ran >> \"$0\"", ran.toString()),
            Duration.ofSeconds(10), new PrintWriter(err, true))) {
      reader.offer(line);
      deaf.offer(line);
      deaf.offer(line);
      awaitTrue(() -> sizeOf(received) == line.length() + 1, "the whole line read");
      awaitTrue(() -> sizeOf(ran) == 2 * "ran\n".length(), "the command that never reads it ran twice, in turn");
    }
    assertThat(Files.readString(received)).isEqualTo(line + "\n");
    assertThat(err.toString()).as("exiting without reading is not a failure of the command").isEmpty();
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (java.io.IOException e) {
      return 0;
    }
  }
}
