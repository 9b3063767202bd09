package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ProgressTest {
  /** A clock the test moves by hand. */
  private static final class Hand extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void outside_a_terminal_prints_a_plain_line_every_10_seconds_of_a_long_scan() {
    StringWriter text = new StringWriter();
    Hand clock = new Hand();
    Progress progress = new Progress(new PrintWriter(text), 70, true, false, clock);

    progress.accept(1);
    clock.now = clock.now.plus(Duration.ofSeconds(11));
    progress.accept(20);
    clock.now = clock.now.plus(Duration.ofSeconds(3));
    progress.accept(30);
    clock.now = clock.now.plus(Duration.ofSeconds(2));
    progress.accept(70);

    assertThat(text.toString()).isEqualTo("capaudit: audited 20 of 70 targets (11 s)\n"
        + "capaudit: audited 70 of 70 targets (16 s)\n");
  }

  @Test
  void a_short_scan_outside_a_terminal_prints_nothing() {
    StringWriter text = new StringWriter();
    Progress progress = new Progress(new PrintWriter(text), 5, true, false, new Hand());

    for (int i = 1; i <= 5; i++) {
      progress.accept(i);
    }

    assertThat(text.toString()).isEmpty();
  }

  @Test
  void on_a_terminal_one_line_is_rewritten_in_place() {
    StringWriter text = new StringWriter();
    Progress progress = new Progress(new PrintWriter(text), 2, true, true, new Hand());

    progress.accept(1);
    progress.accept(2);

    assertThat(text.toString()).isEqualTo("\rcapaudit: audited 1 of 2 targets\rcapaudit: audited 2 of 2 targets\n");
  }

  @Test
  void quiet_runs_show_no_progress() throws Exception {
    StringWriter text = new StringWriter();

    RunStreams.during(new PrintWriter(text), true, () -> {
      Progress.onTerminal(new PrintWriter(text), 10).accept(10);
      return null;
    });

    assertThat(text.toString()).isEmpty();
  }
}
