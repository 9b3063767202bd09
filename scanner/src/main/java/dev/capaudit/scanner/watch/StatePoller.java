package dev.capaudit.scanner.watch;

import dev.capaudit.rules.engine.Auditor;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.scanner.live.HostScanner;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The watch where no event stream is: the runtimes' state and the host's /proc read every interval ({@code capaudit
 * host} each time), each target's result compared with its last. A container that is no longer there has stopped.
 */
public final class StatePoller implements Watcher {
  private final HostScanner scanner;
  private final Auditor auditor;
  private final Duration interval;
  private final WatchListener listener;
  private final Clock clock;
  private final ContainerStates states = new ContainerStates();
  private volatile boolean stopped;
  private volatile WatchTotals totals = WatchTotals.NONE;
  private AuditTimes times = AuditTimes.NONE;
  private Thread thread;

  public StatePoller(HostScanner scanner, Auditor auditor, Duration interval, WatchListener listener, Clock clock) {
    this.scanner = scanner;
    this.auditor = auditor;
    this.interval = interval;
    this.listener = listener;
    this.clock = clock;
  }

  @Override
  public WatchTotals totals() {
    return totals;
  }

  @Override
  public synchronized void stop() {
    stopped = true;
    if (thread != null) {
      thread.interrupt();
    }
  }

  /** Reads the node every interval until stopped or interrupted. */
  @Override
  public void run() {
    synchronized (this) {
      thread = Thread.currentThread();
    }
    boolean up = true;
    while (!stopped && !Thread.currentThread().isInterrupted()) {
      long started = System.nanoTime();
      try {
        poll(started);
        up = true;
      } catch (IOException | RuntimeException e) {
        // One unreadable round is reported and the next one tried: the node is still there.
        report(new WatchChange.Problem(clock.instant(), "", "", "cannot read this host's runtime state and /proc: "
            + e.getMessage() + "; trying again in " + interval.toSeconds() + " s"));
        up = false;
      }
      totals = WatchTotals.count(states, Map.of(), times, up, 0, 0);
      try {
        Thread.sleep(Math.max(0, interval.toMillis() - (System.nanoTime() - started) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void poll(long started) throws IOException {
    List<TargetSnapshot> targets = scanner.scan(Optional.empty());
    times = times.plus(Duration.ofNanos(System.nanoTime() - started));
    Set<String> present = new HashSet<>();
    for (TargetSnapshot target : targets) {
      String id = target.kind().id() + ":" + target.id();
      present.add(id);
      TargetResult result = auditor.audit(target);
      AuditDiff.apply(states, id, result, "poll", started, clock.instant()).ifPresent(this::report);
    }
    List<ContainerStates.Entry> gone = new ArrayList<>();
    for (ContainerStates.Entry entry : states.entries()) {
      if (!present.contains(entry.id())) {
        gone.add(entry);
      }
    }
    for (ContainerStates.Entry entry : gone) {
      states.forget(entry.id(), System.nanoTime());
      report(new WatchChange.Stopped(clock.instant(), entry.id().substring(entry.id().indexOf(':') + 1),
          entry.name(), OptionalLong.empty(), false));
    }
  }

  private void report(WatchChange change) {
    WatchListener.tell(listener, change);
  }
}
