package dev.capaudit.scanner.minimize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.scanner.docker.ExecResult;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReadinessTest {
  private static final String CREATE = "{\"HostConfig\":{\"CapAdd\":[],\"CapDrop\":[\"ALL\"]},\"Labels\":{}}";

  private static String started(TrialEngine engine) throws IOException {
    String id = engine.create("trial", CREATE);
    engine.start(id);
    return id;
  }

  private static Readiness readiness(TrialEngine engine, ReadyChecks checks, Duration timeout) {
    return new Readiness(engine, new TrialSettings(Duration.ZERO, timeout, Optional.of(Duration.ZERO), checks,
        Duration.ofSeconds(5)), () -> false);
  }

  private static long soon() {
    return System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
  }

  @Test
  void a_healthy_healthcheck_is_ready() throws IOException {
    TrialEngine engine = new TrialEngine(set -> TrialEngine.Behaviour.running("").health("healthy"));

    assertThat(readiness(engine, ReadyChecks.NONE, Duration.ofSeconds(1)).awaitReady(started(engine), soon()))
        .isEmpty();
  }

  @Test
  void an_unhealthy_healthcheck_fails_at_once() throws IOException {
    TrialEngine engine = new TrialEngine(set -> TrialEngine.Behaviour.running("").health("unhealthy"));

    assertThat(readiness(engine, ReadyChecks.NONE, Duration.ofSeconds(1)).awaitReady(started(engine), soon()))
        .contains("its HEALTHCHECK reported unhealthy");
  }

  @Test
  void a_healthcheck_still_starting_at_the_deadline_fails() throws IOException {
    TrialEngine engine = new TrialEngine(set -> TrialEngine.Behaviour.running("").health("starting"));

    assertThat(readiness(engine, ReadyChecks.NONE, Duration.ofSeconds(1)).awaitReady(started(engine), soon()))
        .contains("its HEALTHCHECK was not healthy within 1 s");
  }

  @Test
  void a_log_line_makes_it_ready_and_its_absence_fails_it() throws IOException {
    TrialEngine engine = new TrialEngine(set -> TrialEngine.Behaviour.running("booting\nlistening on :8080\n"));
    String id = started(engine);

    assertThat(readiness(engine, new ReadyChecks(Optional.empty(), Optional.of(Pattern.compile("listening on :\\d+"))),
        Duration.ofSeconds(1)).awaitReady(id, soon())).isEmpty();
    assertThat(readiness(engine, new ReadyChecks(Optional.empty(), Optional.of(Pattern.compile("ready$"))),
        Duration.ofSeconds(1)).awaitReady(id, soon())).contains("its log never matched --ready-log within 1 s");
  }

  @Test
  void a_ready_cmd_must_pass_and_pass_again_after_the_hold() throws IOException {
    TrialEngine engine = new TrialEngine(set -> TrialEngine.Behaviour.running(""));
    String id = started(engine);
    int[] runs = {0};
    engine.exec(command -> new ExecResult(runs[0]++ == 0 ? 0 : 1, "", "not ready\n", false, false));
    Readiness readiness = readiness(engine, new ReadyChecks(Optional.of(List.of("sh", "-c", "test -e /ready")),
        Optional.empty()), Duration.ofSeconds(1));

    assertThat(readiness.awaitReady(id, soon())).isEmpty();
    assertThat(readiness.recheck(id)).contains("--ready-cmd failed: exit code 1: not ready after the hold");
  }

  @Test
  void a_workload_that_exits_is_never_ready() throws IOException {
    TrialEngine engine = new TrialEngine(set -> TrialEngine.Behaviour.exits(2, ""));

    assertThat(readiness(engine, ReadyChecks.NONE, Duration.ofSeconds(1)).awaitReady(started(engine), soon()))
        .contains("exited with code 2 before it was ready");
  }

  @Test
  void a_catastrophic_pattern_gives_up_instead_of_hanging() {
    // Unbounded, this search takes about 40 s on the 2-core test machine.
    String log = "x".repeat(30);

    long started = System.nanoTime();
    Optional<Boolean> found = BoundedMatch.find(Pattern.compile("(.*x){25}y"), log, Duration.ofMillis(200));

    assertThat(found).isEmpty();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5_000);
    assertThat(BoundedMatch.find(Pattern.compile("x{30}"), log, Duration.ofMillis(200))).contains(true);
    assertThat(BoundedMatch.find(Pattern.compile("y"), log, Duration.ofMillis(200))).contains(false);
  }

  @Test
  void the_hold_fails_a_workload_that_stops_running() throws IOException {
    TrialEngine engine = new TrialEngine(set -> TrialEngine.Behaviour.running(""));
    String id = started(engine);
    Readiness holding = new Readiness(engine, new TrialSettings(Duration.ofMillis(500), Duration.ofSeconds(1),
        Optional.of(Duration.ZERO), ReadyChecks.NONE, Duration.ofSeconds(1)), () -> false);
    engine.remove(id);
    String again = engine.create("trial", CREATE);

    assertThat(holding.hold(again)).contains("created with code 0 during the 0 s hold");
  }
}
