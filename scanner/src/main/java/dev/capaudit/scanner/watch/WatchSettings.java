package dev.capaudit.scanner.watch;

import java.time.Duration;
import java.util.Map;

/**
 * How the watch runs.
 *
 * @param interval how often every container is audited again, to catch what events missed; in a watch of runtime
 *     state alone, how often the state is read
 * @param settleTimeout the longest wait for a started container's process tree to hold still before it is audited
 *     anyway
 * @param pingInterval how often the engine is asked whether it still answers while its event stream is quiet
 * @param firstRetry the wait before the first attempt to reach an engine that went away; it doubles to
 *     {@code lastRetry}
 * @param execPidWait how long to wait for the engine to say which process an exec started
 * @param labels the labels every watched container carries (all containers when empty)
 * @param parallelism how many containers are audited at once
 * @param eventLimit how many events may wait for the loop; beyond it they are dropped and a rescan follows
 */
public record WatchSettings(Duration interval, Duration settleTimeout, Duration pingInterval, Duration firstRetry,
    Duration lastRetry, Duration execPidWait, Map<String, String> labels, int parallelism, int eventLimit) {
  public WatchSettings {
    labels = Map.copyOf(labels);
  }

  public static WatchSettings defaults(Map<String, String> labels) {
    return new WatchSettings(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(5),
        Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(5), labels, 4, 10_000);
  }

  public WatchSettings withInterval(Duration value) {
    return new WatchSettings(value, settleTimeout, pingInterval, firstRetry, lastRetry, execPidWait, labels,
        parallelism, eventLimit);
  }

  public WatchSettings withParallelism(int value) {
    return new WatchSettings(interval, settleTimeout, pingInterval, firstRetry, lastRetry, execPidWait, labels,
        Math.max(1, value), eventLimit);
  }

  /** Shorter waits, for tests that must not take seconds. */
  public WatchSettings withWaits(Duration settle, Duration ping, Duration retry) {
    return new WatchSettings(interval, settle, ping, retry, retry.multipliedBy(4), execPidWait, labels, parallelism,
        eventLimit);
  }
}
