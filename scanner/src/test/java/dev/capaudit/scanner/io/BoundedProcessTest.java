package dev.capaudit.scanner.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedProcessTest {
  @Test
  void returns_what_the_tool_printed() {
    BoundedProcess.Result result = BoundedProcess.attempt(List.of("echo", "/bin/ping cap_net_raw=ep"),
        Duration.ofSeconds(10), 1024);

    assertThat(result.problem()).isEqualTo(BoundedProcess.Problem.NONE);
    assertThat(result.output()).contains("/bin/ping cap_net_raw=ep\n");
  }

  @Test
  void a_tool_that_overruns_is_killed_at_the_limit() {
    BoundedProcess.Result result = BoundedProcess.attempt(List.of("sleep", "30"), Duration.ofMillis(300), 1024);

    assertThat(result.problem()).isEqualTo(BoundedProcess.Problem.TIMED_OUT);
    assertThat(result.output()).isEmpty();
  }

  @Test
  void a_tool_that_never_stops_printing_is_cut_off_and_refused() {
    BoundedProcess.Result result = BoundedProcess.attempt(List.of("yes"), Duration.ofSeconds(20), 64 * 1024);

    assertThat(result.problem()).isEqualTo(BoundedProcess.Problem.TOO_MUCH_OUTPUT);
    assertThat(result.output()).isEmpty();
  }

  @Test
  void a_tool_that_is_not_installed_says_so() {
    BoundedProcess.Result result = BoundedProcess.attempt(List.of("capaudit-no-such-tool"), Duration.ofSeconds(5),
        1024);

    assertThat(result.problem()).isEqualTo(BoundedProcess.Problem.CANNOT_RUN);
  }
}
