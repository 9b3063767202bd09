package dev.capaudit.scanner.watch;

import dev.capaudit.rules.engine.Auditor;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.engine.Verdict;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.live.ScanSettings;
import dev.capaudit.scanner.proc.HostProc;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The watch: audits each container once it has settled after a start, again after an unpause and at every
 * rescan, and each exec session as it opens, and reports every audit whose result changed. One thread owns all the
 * state and takes messages in order (events from the feed, results from the workers), so nothing is locked and an
 * event for a container always meets the state its earlier events left. Audits run on bounded pools; a container
 * that cannot be read becomes an error line, never the watch's end.
 */
public final class WatchLoop implements Watcher {
  private static final int EXEC_WORKERS = 2;
  private static final int EXECS_WAITING = 1_024;
  /** Dropped events are said at most this often: a flood would otherwise flood the output too. */
  private static final Duration MISSED_REPORT_GAP = Duration.ofSeconds(10);

  /** What the loop takes, in order. */
  private sealed interface Message {}

  private record Arrived(WatchEvent event) implements Message {}

  private record Connected(DockerEngine engine, boolean again) implements Message {}

  private record Disconnected(String reason, Duration retryIn, boolean wasUp) implements Message {}

  private record Audited(String trigger, List<AuditJobs.Item> items, Optional<List<String>> listed, long started,
      Duration took, long generation, Optional<String> single) implements Message {}

  private record ExecDone(ExecReader.Read read, TargetResult result, long generation, Duration took)
      implements Message {}

  private record Failed(Slot slot, String containerId, String message, long generation) implements Message {}

  /** Which bounded slot a job held. */
  private enum Slot { CONTAINER, RESCAN, EXEC }

  private record Stop() implements Message {}

  /** A container waiting to be audited, and whether it must settle first (it has just started). */
  private record Due(String trigger, boolean settle) {}

  private final EngineConnector connector;
  private final Optional<DockerEngine> connected;
  private final WatchSettings settings;
  private final ScanSettings scan;
  private final HostProc proc;
  private final Auditor auditor;
  private final WatchListener listener;
  private final Clock clock;

  private final BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
  private final AtomicInteger queuedEvents = new AtomicInteger();
  private final AtomicLong missed = new AtomicLong();
  private final AtomicBoolean missedSinceRescan = new AtomicBoolean();
  private volatile boolean stopped;
  private volatile WatchTotals totals = WatchTotals.NONE;

  // Owned by the loop's thread.
  private final ContainerStates states = new ContainerStates();
  private final Map<String, Due> pending = new LinkedHashMap<>();
  private final ArrayDeque<WatchEvent> execsPending = new ArrayDeque<>();
  private final Set<String> auditing = new HashSet<>();
  private final Map<Verdict, Long> execSessions = new EnumMap<>(Verdict.class);
  private AuditTimes times = AuditTimes.NONE;
  private int execsRunning;
  private boolean rescanning;
  private long nextRescan;
  private long generation;
  private long reconnects;
  private long lastMissedReport = System.nanoTime() - MISSED_REPORT_GAP.toNanos() - 1;
  private AuditJobs jobs;
  /** The engine the events come from and the audits ask; null until connected. */
  private DockerEngine engine;
  private ExecutorService audits;
  private ExecutorService execs;

  /**
   * @param connector how to reach the engine again after it went away
   * @param connected an engine already connected (the command's own first connection); else the feed connects
   */
  public WatchLoop(EngineConnector connector, Optional<DockerEngine> connected, WatchSettings settings,
      ScanSettings scan, HostProc proc, Auditor auditor, WatchListener listener, Clock clock) {
    this.connector = connector;
    this.connected = connected;
    this.settings = settings;
    this.scan = scan;
    this.proc = proc;
    this.auditor = auditor;
    this.listener = listener;
    this.clock = clock;
  }

  @Override
  public WatchTotals totals() {
    return totals;
  }

  @Override
  public void stop() {
    stopped = true;
    inbox.add(new Stop());
  }

  @Override
  public void run() {
    audits = pool("capaudit-watch-audit", settings.parallelism() + 1);
    execs = pool("capaudit-watch-exec", EXEC_WORKERS);
    EventFeed feed = new EventFeed(connector, connected, settings, new FeedInbox());
    Thread feedThread = new Thread(feed, "capaudit-watch-events");
    feedThread.setDaemon(true);
    feedThread.start();
    try {
      while (!stopped) {
        Message message = inbox.poll(untilNextRescan(), TimeUnit.MILLISECONDS);
        if (message != null) {
          handleSafely(message);
        }
        if (System.nanoTime() - lastMissedReport > MISSED_REPORT_GAP.toNanos() && missedSinceRescan.getAndSet(false)) {
          lastMissedReport = System.nanoTime();
          publish();
          report(new WatchChange.Problem(clock.instant(), "", "", "events came faster than they could be audited: "
              + missed.get() + " dropped so far; every container is audited again"));
          nextRescan = System.nanoTime();
        }
        dispatch();
      }
    } catch (InterruptedException e) {
      // An interrupt is a stop: the caller's thread keeps its flag.
      Thread.currentThread().interrupt();
    } finally {
      stopped = true;
      feed.stop();
      audits.shutdownNow();
      execs.shutdownNow();
    }
  }

  private long untilNextRescan() {
    if (jobs == null) {
      return 1_000;
    }
    return Math.max(1, Math.min(1_000, TimeUnit.NANOSECONDS.toMillis(nextRescan - System.nanoTime())));
  }

  private void handleSafely(Message message) {
    try {
      handle(message);
    } catch (RuntimeException e) {
      // A bug met on one message must not end the watch of every container.
      report(new WatchChange.Problem(clock.instant(), "", "", "internal error: " + e));
    }
  }

  private void handle(Message message) {
    if (message instanceof Arrived arrived) {
      queuedEvents.decrementAndGet();
      arrived(arrived.event());
    } else if (message instanceof Connected connected) {
      connected(connected);
    } else if (message instanceof Disconnected disconnected) {
      disconnected(disconnected);
    } else if (message instanceof Audited audited) {
      audited(audited);
    } else if (message instanceof ExecDone done) {
      execDone(done);
    } else if (message instanceof Failed failed) {
      failed(failed);
    } else if (message instanceof Stop) {
      stopped = true;
    }
  }

  private void arrived(WatchEvent event) {
    long now = System.nanoTime();
    String id = event.containerId();
    switch (event.kind()) {
      case START -> {
        states.known(id, event.name(), now);
        pending.put(id, new Due("start", true));
      }
      case UNPAUSE -> {
        states.known(id, event.name(), now);
        pending.putIfAbsent(id, new Due("unpause", false));
      }
      case EXEC_START -> {
        if (engine != null && engine.ownExec(event.execId().orElseThrow())) {
          // A probe of this watch's own audits (an exec view, or processes listed through the container).
          return;
        }
        if (states.known(id, event.name(), now).firstSightOf(event.execId().orElseThrow())) {
          if (execsPending.size() < EXECS_WAITING) {
            execsPending.add(event);
          } else {
            report(new WatchChange.Problem(clock.instant(), id, event.name(), "exec session "
                + event.execId().get() + " was not audited: " + EXECS_WAITING + " sessions were already waiting"));
          }
        }
      }
      case DIE, DESTROY -> {
        pending.remove(id);
        Optional<ContainerStates.Entry> gone = states.forget(id, now);
        if (gone.isPresent()) {
          publish();
          report(new WatchChange.Stopped(clock.instant(), id, gone.get().name().isEmpty() ? event.name()
              : gone.get().name(), event.exitCode(), event.kind() == WatchEvent.Kind.DESTROY));
        }
      }
    }
  }

  private void connected(Connected connected) {
    generation++;
    engine = connected.engine();
    jobs = new AuditJobs(connected.engine(), proc, scan, settings, auditor);
    // Whatever happened while no stream was open is found by auditing everything now.
    nextRescan = System.nanoTime();
    if (connected.again()) {
      reconnects++;
    }
    publish();
    if (connected.again()) {
      report(new WatchChange.Reconnected(clock.instant(), connected.engine().host()));
    }
  }

  private void disconnected(Disconnected disconnected) {
    generation++;
    jobs = null;
    pending.clear();
    execsPending.clear();
    long seconds = Math.max(1, disconnected.retryIn().toSeconds());
    // The counts first: whoever hears of the loss and asks the metrics sees it there too.
    publish();
    report(new WatchChange.Problem(clock.instant(), "", "", (disconnected.wasUp() ? "lost the engine: "
        : "cannot reach the engine: ") + disconnected.reason() + "; trying again in " + seconds + " s"));
  }

  private void audited(Audited audited) {
    audited.single().ifPresent(auditing::remove);
    if (audited.listed().isPresent()) {
      rescanning = false;
    }
    if (audited.generation() != generation) {
      return; // audited through a connection that has since broken: the rescan after reconnecting redoes it
    }
    times = times.plus(audited.took());
    List<WatchChange> changes = new ArrayList<>();
    for (AuditJobs.Item item : audited.items()) {
      AuditDiff.apply(states, item.id(), item.result(), audited.trigger(), audited.started(), clock.instant())
          .ifPresent(changes::add);
    }
    audited.listed().ifPresent(listed -> forgetUnlisted(listed, audited.started(), changes));
    // The counts first: whoever hears of a change and asks the metrics sees it there too.
    publish();
    changes.forEach(this::report);
  }

  /** Containers a rescan did not list, known from before it began, are gone though no event said so. */
  private void forgetUnlisted(List<String> listed, long started, List<WatchChange> changes) {
    Set<String> present = new HashSet<>(listed);
    List<String> gone = new ArrayList<>();
    for (ContainerStates.Entry entry : states.entries()) {
      // Only entries known before the listing began: one that started since is simply newer than the list.
      if (entry.since() - started < 0) {
        gone.add(entry.id());
      }
    }
    gone.removeIf(present::contains);
    for (String id : gone) {
      if (pending.containsKey(id) || auditing.contains(id)) {
        continue;
      }
      states.forget(id, System.nanoTime()).ifPresent(entry -> changes.add(new WatchChange.Stopped(clock.instant(), id,
          entry.name(), OptionalLong.empty(), false)));
    }
  }

  private void execDone(ExecDone done) {
    execsRunning--;
    if (done.generation() != generation) {
      return;
    }
    times = times.plus(done.took());
    execSessions.merge(done.result().verdict(), 1L, Long::sum);
    publish();
    ExecProcess exec = done.read().exec();
    if (exec.hostPid().isPresent() && !exec.processName().isEmpty()) {
      states.get(done.result().target().id()).ifPresent(entry -> entry.execRead(new ExecSessions.Session(exec.id(),
          exec.hostPid().getAsInt(), exec.processName())));
    }
    report(new WatchChange.ExecOpened(clock.instant(), done.result(), done.read().exec()));
  }

  private void failed(Failed failed) {
    switch (failed.slot()) {
      case CONTAINER -> auditing.remove(failed.containerId());
      case RESCAN -> rescanning = false;
      case EXEC -> execsRunning--;
    }
    if (failed.generation() == generation) {
      report(new WatchChange.Problem(clock.instant(), failed.containerId(),
          states.get(failed.containerId()).map(ContainerStates.Entry::name).orElse(""), failed.message()));
    }
  }

  /** Starts what is due, within the pools' bounds: exec sessions first, since they may end any moment. */
  private void dispatch() {
    if (jobs == null || stopped) {
      return;
    }
    AuditJobs current = jobs;
    long gen = generation;
    while (execsRunning < EXEC_WORKERS && !execsPending.isEmpty()) {
      WatchEvent event = execsPending.poll();
      execsRunning++;
      submit(execs, () -> {
        long started = System.nanoTime();
        ExecReader.Read read = current.exec(event);
        return new ExecDone(read, current.judge(read.target()), gen, Duration.ofNanos(System.nanoTime() - started));
      }, e -> new Failed(Slot.EXEC, event.containerId(), "exec session " + event.execId().orElse("")
          + " could not be audited: " + e, gen));
    }
    if (!rescanning && System.nanoTime() - nextRescan >= 0) {
      rescanning = true;
      nextRescan = System.nanoTime() + settings.interval().toNanos();
      long started = System.nanoTime();
      Map<String, List<ExecSessions.Session>> sessions = new HashMap<>();
      states.entries().forEach(entry -> sessions.put(entry.id(), entry.execSessions()));
      submit(audits, () -> {
        AuditJobs.Rescanned found = current.rescan(sessions);
        return new Audited("rescan", found.items(), Optional.of(found.listed()), started,
            Duration.ofNanos(System.nanoTime() - started), gen, Optional.empty());
      }, e -> new Failed(Slot.RESCAN, "", "the rescan failed: " + e, gen));
    }
    for (Iterator<Map.Entry<String, Due>> it = pending.entrySet().iterator(); it.hasNext()
        && auditing.size() < settings.parallelism(); ) {
      Map.Entry<String, Due> due = it.next();
      String id = due.getKey();
      if (auditing.contains(id)) {
        continue; // audited again once the audit in flight is in
      }
      it.remove();
      auditing.add(id);
      long started = System.nanoTime();
      List<ExecSessions.Session> sessions = states.get(id).map(ContainerStates.Entry::execSessions)
          .orElse(List.of());
      submit(audits, () -> {
        Optional<AuditJobs.Item> item = current.container(id, due.getValue().settle(), sessions);
        return new Audited(due.getValue().trigger(), item.map(List::of).orElse(List.of()), Optional.empty(), started,
            Duration.ofNanos(System.nanoTime() - started), gen, Optional.of(id));
      }, e -> new Failed(Slot.CONTAINER, id, "the audit failed: " + e, gen));
    }
  }

  /** A job for a worker; whatever it throws comes back as a failure, so a slot is never lost. */
  @FunctionalInterface
  private interface Job {
    Message run() throws IOException;
  }

  private void submit(ExecutorService pool, Job job, Function<String, Message> failure) {
    try {
      pool.execute(() -> {
        Message result;
        try {
          result = job.run();
        } catch (IOException | RuntimeException e) {
          result = failure.apply(e.getMessage() == null ? e.toString() : e.getMessage());
        }
        inbox.add(result);
      });
    } catch (RejectedExecutionException e) {
      inbox.add(failure.apply("the watch is stopping"));
    }
  }

  private void publish() {
    totals = WatchTotals.count(states, execSessions, times, jobs != null, reconnects, missed.get());
  }

  private void report(WatchChange change) {
    WatchListener.tell(listener, change);
  }

  private static ExecutorService pool(String name, int threads) {
    return Executors.newFixedThreadPool(threads, runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    });
  }

  /** The feed's way in: events are counted against the limit, and dropped beyond it. */
  private final class FeedInbox implements EventFeed.Inbox {
    @Override
    public void connected(DockerEngine engine, boolean again) {
      inbox.add(new Connected(engine, again));
    }

    @Override
    public void disconnected(String reason, Duration retryIn, boolean wasUp) {
      inbox.add(new Disconnected(reason, retryIn, wasUp));
    }

    @Override
    public void event(WatchEvent event) {
      if (queuedEvents.incrementAndGet() > settings.eventLimit()) {
        queuedEvents.decrementAndGet();
        missed.incrementAndGet();
        missedSinceRescan.set(true);
        return;
      }
      inbox.add(new Arrived(event));
    }
  }
}
