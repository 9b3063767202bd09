package dev.capaudit.scanner.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettleLoopTest {
  private static final String ROOT_CAPS = "00000000a80425fb";
  private static final Duration STABLE = Duration.ofMillis(150);
  private static final Duration POLL = Duration.ofMillis(10);
  private static final SettleLoop.State RUNNING = new SettleLoop.State(true, 100, 0);

  @TempDir
  Path root;

  private FakeProc container() {
    return new FakeProc(root).process(100, "1", ROOT_CAPS).thread(100, 100, 0, ROOT_CAPS)
        .thread(100, 101, 0, ROOT_CAPS);
  }

  private static SettleLoop loop(FakeProc proc, SettleLoop.StateProbe probe) {
    return new SettleLoop(proc.hostProc(), probe, () -> false, STABLE, POLL);
  }

  @Test
  void a_tree_that_holds_still_settles_after_the_stable_period() throws Exception {
    long started = System.nanoTime();

    SettleLoop.Outcome outcome = loop(container(), () -> RUNNING).watch(Duration.ofSeconds(5));

    assertThat(outcome.result()).isEqualTo(SettleLoop.Result.SETTLED);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(STABLE);
  }

  @Test
  void a_thread_that_keeps_changing_never_settles() throws Exception {
    FakeProc proc = container();
    AtomicInteger reads = new AtomicInteger();

    // Only thread 101 changes, its leader never does: a signature of processes alone would settle.
    SettleLoop.Outcome outcome = loop(proc, () -> {
      proc.thread(100, 101, reads.incrementAndGet() % 2 == 0 ? 0 : 1000, ROOT_CAPS);
      return RUNNING;
    }).watch(Duration.ofMillis(600));

    assertThat(outcome.result()).isEqualTo(SettleLoop.Result.TIMED_OUT);
  }

  @Test
  void a_thread_that_steps_down_late_restarts_the_stable_period() throws Exception {
    FakeProc proc = container();
    AtomicInteger reads = new AtomicInteger();
    long[] changedAt = {0};

    SettleLoop.Outcome outcome = loop(proc, () -> {
      if (reads.incrementAndGet() == 8) {
        proc.thread(100, 101, 1000, "0000000000000000");
        changedAt[0] = System.nanoTime();
      }
      return RUNNING;
    }).watch(Duration.ofSeconds(5));

    assertThat(outcome.result()).isEqualTo(SettleLoop.Result.SETTLED);
    assertThat(changedAt[0]).as("the change happened before it settled").isPositive();
    assertThat(Duration.ofNanos(System.nanoTime() - changedAt[0])).as("a full stable period after the change")
        .isGreaterThanOrEqualTo(STABLE);
  }

  @Test
  void a_container_that_exits_ends_the_wait_with_its_exit_code() throws Exception {
    SettleLoop.Outcome outcome = loop(container(), () -> new SettleLoop.State(false, 0, 3))
        .watch(Duration.ofSeconds(5));

    assertThat(outcome).isEqualTo(new SettleLoop.Outcome(SettleLoop.Result.EXITED, Optional.of(3L)));
  }

  @Test
  void pid_1_gone_from_proc_while_the_engine_says_running_is_an_exit() throws Exception {
    SettleLoop.Outcome outcome = loop(container(), () -> new SettleLoop.State(true, 999, 0))
        .watch(Duration.ofSeconds(5));

    assertThat(outcome).isEqualTo(new SettleLoop.Outcome(SettleLoop.Result.EXITED, Optional.of(-1L)));
  }

  @Test
  void the_exit_code_the_engine_records_a_moment_after_pid_1_left_proc_is_the_one_reported() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    // The engine still says running for two more reads after the first (pid 999 is not in /proc), then exit 3.
    SettleLoop.Outcome outcome = loop(container(), () -> reads.incrementAndGet() <= 3
        ? new SettleLoop.State(true, 999, 0) : new SettleLoop.State(false, 0, 3)).watch(Duration.ofSeconds(5));

    assertThat(outcome).isEqualTo(new SettleLoop.Outcome(SettleLoop.Result.EXITED, Optional.of(3L)));
    assertThat(reads.get()).isEqualTo(4);
  }

  @Test
  void a_cancelled_wait_ends_at_the_next_poll() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    SettleLoop loop = new SettleLoop(container().hostProc(), () -> {
      reads.incrementAndGet();
      return RUNNING;
    }, () -> reads.get() >= 3, STABLE, POLL);

    assertThat(loop.watch(Duration.ofSeconds(5)).result()).isEqualTo(SettleLoop.Result.CANCELLED);
    assertThat(reads.get()).isEqualTo(3);
  }

  @Test
  void a_fixed_wait_runs_its_length_unless_the_container_exits() throws Exception {
    FakeProc proc = container();
    long started = System.nanoTime();

    SettleLoop.Outcome waited = loop(proc, () -> RUNNING).waitFixed(Duration.ofMillis(200));

    assertThat(waited.result()).isEqualTo(SettleLoop.Result.WAITED);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    assertThat(loop(proc, () -> new SettleLoop.State(false, 0, 1)).waitFixed(Duration.ofSeconds(5)))
        .isEqualTo(new SettleLoop.Outcome(SettleLoop.Result.EXITED, Optional.of(1L)));
  }
}
