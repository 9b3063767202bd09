package dev.capaudit.scanner.watch;

import java.time.Duration;
import java.util.List;

/**
 * How long audits took, as a histogram with fixed buckets (a Prometheus histogram's {@code le} bounds): a fixed
 * number of counters however long the watch runs.
 *
 * @param bounds the upper bounds of the buckets, in seconds
 * @param counts how many audits took at most each bound (cumulative, as Prometheus counts them)
 */
public record AuditTimes(List<Double> bounds, List<Long> counts, long count, double sumSeconds) {
  public static final List<Double> BOUNDS = List.of(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0);
  public static final AuditTimes NONE = new AuditTimes(BOUNDS, BOUNDS.stream().map(b -> 0L).toList(), 0, 0);

  public AuditTimes {
    bounds = List.copyOf(bounds);
    counts = List.copyOf(counts);
  }

  /** With one more audit of this duration. */
  AuditTimes plus(Duration took) {
    double seconds = took.toNanos() / 1e9;
    Long[] next = counts.toArray(Long[]::new);
    for (int i = 0; i < bounds.size(); i++) {
      if (seconds <= bounds.get(i)) {
        next[i]++;
      }
    }
    return new AuditTimes(bounds, List.of(next), count + 1, sumSeconds + seconds);
  }
}
