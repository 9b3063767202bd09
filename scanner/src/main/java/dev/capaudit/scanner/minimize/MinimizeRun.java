package dev.capaudit.scanner.minimize;

import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.model.ContainerConfig;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.scanner.image.ThrowawayContainers;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One minimize run: the search, the trials in flight (at most --parallel), their outcomes, each judged against the
 * baseline's own processes, until the search ends, the budget runs out or the run is interrupted.
 */
final class MinimizeRun {
  private final Minimizer.Context context;
  private final TrialTemplate template;
  private final MinimizeSettings settings;
  private final CapabilityMask start;
  private final Consumer<TrialOutcome> progress;
  private final String runId = UUID.randomUUID().toString().substring(0, 8);
  private final Search search;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Map<Integer, TrialOutcome> outcomes = new TreeMap<>();
  private final List<TrialOutcome> waiting = new ArrayList<>();
  private Optional<Ceiling> ceiling = Optional.empty();
  private Optional<TrialOutcome> baseline = Optional.empty();
  private ExecutorCompletionService<TrialOutcome> done;
  private TrialRunner runner;
  private int pending;
  private String cutShort = "";
  private final long began = System.nanoTime();

  MinimizeRun(Minimizer.Context context, TrialTemplate template, MinimizeSettings settings, CapabilityMask start,
      Consumer<TrialOutcome> progress) {
    this.context = context;
    this.template = template;
    this.settings = settings;
    this.start = start;
    this.progress = progress;
    this.search = new Search(start);
  }

  MinimizeRun go() throws IOException {
    try (ThrowawayContainers containers = new ThrowawayContainers(context.engine(), Minimizer.LABEL, runId,
        context.drain())) {
      ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, settings.parallel()), task -> {
        Thread thread = new Thread(task, "capaudit-trial");
        thread.setDaemon(true);
        return thread;
      });
      try {
        runner = new TrialRunner(context, template, settings.trial(), containers, stop::get);
        done = new ExecutorCompletionService<>(pool);
        submit(search.begin());
        loop(containers);
      } finally {
        stop.set(true);
        drainPending();
        pool.shutdownNow();
      }
    }
    return this;
  }

  private void loop(ThrowawayContainers containers) throws IOException {
    while (search.status() == Search.Status.RUNNING && pending > 0) {
      long left = budgetLeft();
      if (containers.closing() || left <= 0) {
        cutShort = containers.closing() ? "the run was interrupted"
            : "the budget of " + settings.budget().orElseThrow().toSeconds() + " s ran out";
        return;
      }
      Future<TrialOutcome> next;
      try {
        next = done.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(500)), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        cutShort = "the run was interrupted";
        return;
      }
      if (next != null) {
        pending--;
        accept(outcome(next));
      }
    }
  }

  private long budgetLeft() {
    return settings.budget().map(b -> began + b.toNanos() - System.nanoTime()).orElse(Long.MAX_VALUE);
  }

  private void accept(TrialOutcome outcome) {
    if (outcome.verdict() == TrialOutcome.Verdict.CANCELLED) {
      record(outcome);
    } else if (outcome.request().phase() == Phase.BASELINE) {
      baselineDone(outcome);
    } else if (outcome.passed() && baseline.isEmpty()) {
      // A pass means nothing until it is compared with the baseline's processes.
      waiting.add(outcome);
    } else {
      decide(judged(outcome));
    }
  }

  private void baselineDone(TrialOutcome outcome) {
    TrialOutcome judged = outcome;
    if (outcome.passed()) {
      TargetSnapshot audit = outcome.audit().orElseThrow();
      if (audit.processes().isEmpty()) {
        judged = outcome.failed("ran, but its processes could not be read (" + String.join("; ", audit.errors())
            + "): every trial is compared with them");
      } else {
        ceiling = Optional.of(Ceiling.of(audit));
      }
    }
    baseline = Optional.of(judged);
    decide(judged);
    waiting.forEach(w -> decide(judged(w)));
    waiting.clear();
  }

  /** A pass holds only if every process holds no more than it did with the starting set. */
  private TrialOutcome judged(TrialOutcome outcome) {
    if (!outcome.passed() || ceiling.isEmpty()) {
      return outcome;
    }
    TargetSnapshot audit = outcome.audit().orElseThrow();
    if (audit.processes().isEmpty()) {
      return outcome.failed("ran, but its processes could not be read: " + String.join("; ", audit.errors()));
    }
    List<String> excess = ceiling.get().excess(audit);
    return excess.isEmpty() ? outcome : outcome.failed("kept running, but " + String.join("; ", excess));
  }

  private void decide(TrialOutcome outcome) {
    record(outcome);
    submit(search.record(outcome.request(), outcome.passed()));
  }

  private void record(TrialOutcome outcome) {
    outcomes.put(outcome.request().number(), outcome);
    progress.accept(outcome);
  }

  private void submit(List<TrialRequest> requests) {
    for (TrialRequest request : requests) {
      pending++;
      done.submit(() -> runner.run(request, runId));
    }
  }

  private TrialOutcome outcome(Future<TrialOutcome> future) throws IOException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("a trial failed unexpectedly: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while a trial ran", e);
    }
  }

  /** Waits (bounded) for the trials still running to stop and remove their containers, and records them. */
  private void drainPending() {
    long deadline = System.nanoTime() + context.drain().toNanos();
    while (pending > 0 && System.nanoTime() < deadline) {
      try {
        Future<TrialOutcome> next = done.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (next == null) {
          return;
        }
        pending--;
        record(next.get());
      } catch (ExecutionException e) {
        // a trial cut short by the stop; its container is removed by its own finally and by the sweep
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  Search search() {
    return search;
  }

  Map<Integer, TrialOutcome> outcomes() {
    return outcomes;
  }

  Optional<TrialOutcome> baseline() {
    return baseline;
  }

  CapabilityMask start() {
    return start;
  }

  TrialTemplate template() {
    return template;
  }

  String cutShort() {
    return cutShort;
  }

  Duration took() {
    return Duration.ofNanos(System.nanoTime() - began);
  }

  boolean startsAsRoot() {
    return baseline.flatMap(TrialOutcome::audit).flatMap(TargetSnapshot::config).map(ContainerConfig::startsAsRoot)
        .orElse(true);
  }
}
