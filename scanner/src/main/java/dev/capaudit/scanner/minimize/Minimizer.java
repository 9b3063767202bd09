package dev.capaudit.scanner.minimize;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.model.ContainerConfig;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.image.GateProfile;
import dev.capaudit.scanner.image.ThrowawayContainers;
import dev.capaudit.scanner.live.LiveScanner;
import dev.capaudit.scanner.live.ScanSettings;
import dev.capaudit.scanner.proc.HostProc;
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
 * capaudit minimize: runs the {@link Search}'s trials in parallel (bounded), each in a fresh container that is
 * removed whatever happens, judges each against the baseline's own processes ({@link Ceiling}), and stops at the
 * budget with the best set proven so far.
 */
public final class Minimizer {
  /** Every trial container carries this label with its run's id: cleanup finds them by it. */
  public static final String LABEL = "capaudit.minimize";
  /** How long the end of a run waits for trials in flight to remove their containers: one engine call at most. */
  static final Duration DRAIN = Duration.ofSeconds(60);

  /** What trials run on: the engine, the host's /proc, and how a passing trial is audited. */
  record Context(DockerEngine engine, HostProc proc, TrialObserver observer, Duration drain) {}

  private final Context context;

  public Minimizer(DockerEngine engine, HostProc proc, ScanSettings scan) {
    this(new Context(engine, proc, new LiveScanner(engine, proc, scan)::scanOne, DRAIN));
  }

  Minimizer(Context context) {
    this.context = context;
  }

  /**
   * Finds the smallest set the workload passes with.
   *
   * @param progress told of each trial as it is decided, in the caller's thread
   * @throws IOException when the engine refuses to create a trial (no such image, a bad configuration)
   */
  public MinimizeResult run(TrialTemplate template, MinimizeSettings settings, Consumer<TrialOutcome> progress)
      throws IOException {
    CapabilityMask kernel = context.proc().kernelCapabilities();
    List<String> adds = settings.capAdd().stream().map(Capability::name).toList();
    CapabilityMask start = settings.from().map(p -> p.startingSet(adds, kernel))
        .orElseGet(() -> template.defaultStart(kernel).union(CapabilityMask.of(settings.capAdd())));
    String from = settings.from().map(GateProfile::id)
        .orElse(template.fromContainer() ? "the container's own" : GateProfile.DOCKER_DEFAULT.id());
    return new Run(template, settings, start, progress).go(from);
  }

  /** One run: the search, the trials in flight, their outcomes. */
  private final class Run {
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

    Run(TrialTemplate template, MinimizeSettings settings, CapabilityMask start, Consumer<TrialOutcome> progress) {
      this.template = template;
      this.settings = settings;
      this.start = start;
      this.progress = progress;
      this.search = new Search(start);
    }

    MinimizeResult go(String from) throws IOException {
      try (ThrowawayContainers containers = new ThrowawayContainers(context.engine(), LABEL, runId,
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
      return new Results(this).of(from);
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

  /** Turns a finished run into its result. */
  private record Results(Run run) {
    MinimizeResult of(String from) {
      Search search = run.search();
      List<TrialOutcome> trials = List.copyOf(run.outcomes().values());
      return switch (search.status()) {
        case MINIMAL -> result(from, MinimizeResult.Status.MINIMAL, "", outcome(search.result()));
        case BASELINE_FAILED -> result(from, MinimizeResult.Status.BASELINE_FAILED, "the workload fails even with"
            + " the starting set " + run.start() + ": " + run.baseline().map(TrialOutcome::evidence).orElse(""),
            run.baseline());
        case NOT_REPRODUCIBLE -> result(from, MinimizeResult.Status.NOT_REPRODUCIBLE, "the workload passed with a"
            + " set and failed with the same set again: it does not behave the same twice, so trials cannot tell"
            + " what it needs", trials.isEmpty() ? Optional.empty() : Optional.of(trials.get(trials.size() - 1)));
        case RUNNING -> result(from, MinimizeResult.Status.INCOMPLETE, run.cutShort() + " after "
            + trials.size() + " trials: " + (search.best().isPresent() ? "the set is proven to work, not proven"
            + " minimal" : "no trial had passed yet"), outcome(search.best()));
      };
    }

    private Optional<TrialOutcome> outcome(Optional<TrialRequest> request) {
      return request.map(r -> run.outcomes().get(r.number()));
    }

    private MinimizeResult result(String from, MinimizeResult.Status status, String reason,
        Optional<TrialOutcome> decisive) {
      CapabilityMask set = status == MinimizeResult.Status.MINIMAL || status == MinimizeResult.Status.INCOMPLETE
          ? decisive.map(o -> o.request().set()).orElse(run.start()) : run.start();
      List<KeptCapability> kept = new ArrayList<>();
      if (decisive.isPresent() && decisive.get().passed()) {
        List<TargetSnapshot> passing = new ArrayList<>();
        decisive.flatMap(TrialOutcome::audit).ifPresent(passing::add);
        run.outcomes().values().stream().filter(TrialOutcome::passed).filter(o -> o != decisive.get())
            .flatMap(o -> o.audit().stream()).forEach(passing::add);
        Map<Capability, Integer> evidence = run.search().evidence();
        for (Capability capability : set.capabilities()) {
          kept.add(NeedAnalysis.of(capability, passing, run.startsAsRoot(),
              Optional.ofNullable(evidence.get(capability)).map(n -> run.outcomes().get(n))));
        }
      }
      return new MinimizeResult(run.template(), from, run.start(), status, reason, set, kept, decisive,
          List.copyOf(run.outcomes().values()), run.took(), run.template().notes());
    }
  }
}
