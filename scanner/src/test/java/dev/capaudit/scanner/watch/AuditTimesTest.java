package dev.capaudit.scanner.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AuditTimesTest {
  @Test
  void each_bucket_counts_every_audit_at_most_its_bound_and_the_counters_stay_fixed_in_number() {
    AuditTimes times = AuditTimes.NONE.plus(Duration.ofMillis(30)).plus(Duration.ofMillis(700))
        .plus(Duration.ofSeconds(90));

    assertThat(times.counts().get(AuditTimes.BOUNDS.indexOf(0.05))).isEqualTo(1);
    assertThat(times.counts().get(AuditTimes.BOUNDS.indexOf(1.0))).isEqualTo(2);
    assertThat(times.counts().get(AuditTimes.BOUNDS.indexOf(60.0))).as("90 s is beyond every bound").isEqualTo(2);
    assertThat(times.count()).isEqualTo(3);
    assertThat(times.sumSeconds()).isCloseTo(90.73, within(1e-9));
    assertThat(times.counts()).hasSameSizeAs(AuditTimes.BOUNDS);
  }
}
