package dev.capaudit.scanner.minimize;

import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.docker.ExecResult;
import dev.capaudit.scanner.image.EntrypointWait;
import dev.capaudit.scanner.image.ThrowawayContainers;
import dev.capaudit.scanner.proc.HostProc;
import dev.capaudit.scanner.proc.SettleLoop;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Runs one trial in a fresh container: create, start, settle, ready, hold, audit, and always remove. A trial fails
 * with its evidence (how it ended, its state, its log); only a container the engine refuses to create is an error
 * of the run, since that is no answer about capabilities.
 */
final class TrialRunner {
  static final String TRIAL_LABEL = Minimizer.LABEL + ".trial";
  private static final int LOG_CAP = 64 * 1024;
  private static final int TAIL_CAP = 64 * 1024;
  /** How long a trial whose pid 1 ended waits for the engine to record the exit. */
  private static final Duration EXIT_RECORDED = Duration.ofSeconds(3);

  private final DockerEngine engine;
  private final HostProc proc;
  private final TrialTemplate template;
  private final TrialSettings settings;
  private final ThrowawayContainers containers;
  private final TrialObserver observer;
  private final BooleanSupplier cancelled;

  TrialRunner(Minimizer.Context context, TrialTemplate template, TrialSettings settings,
      ThrowawayContainers containers, BooleanSupplier stop) {
    this.engine = context.engine();
    this.proc = context.proc();
    this.observer = context.observer();
    this.template = template;
    this.settings = settings;
    this.containers = containers;
    this.cancelled = () -> stop.getAsBoolean() || containers.closing() || Thread.currentThread().isInterrupted();
  }

  /**
   * Runs the trial.
   *
   * @throws IOException when the engine refuses to create the container (no such image, a bad configuration)
   */
  TrialOutcome run(TrialRequest request, String runId) throws IOException {
    long began = System.nanoTime();
    if (cancelled.getAsBoolean()) {
      return cancelledBefore(request, began);
    }
    String id;
    try {
      id = containers.create(template.trialName(runId, request.number()), template.createJson(request.set(),
          Map.of(Minimizer.LABEL, runId, TRIAL_LABEL, Integer.toString(request.number()))));
    } catch (IOException e) {
      if (cancelled.getAsBoolean()) {
        return cancelledBefore(request, began);
      }
      throw e;
    }
    Attempt attempt = new Attempt(id);
    try {
      attempt.verdict = attempt.go();
    } catch (IOException e) {
      attempt.verdict = Optional.of("the engine failed during the trial: " + e.getMessage());
    } finally {
      attempt.collectEvidence();
      containers.remove(id);
    }
    return attempt.outcome(request, Duration.ofNanos(System.nanoTime() - began));
  }

  private TrialOutcome cancelledBefore(TrialRequest request, long began) {
    return new TrialOutcome(request, TrialOutcome.Verdict.CANCELLED, "cancelled before it started",
        Optional.empty(), "not created", List.of(), "", Duration.ofNanos(System.nanoTime() - began),
        Optional.empty());
  }

  /** One trial's container, from start to removal. */
  private final class Attempt {
    private final String id;
    /** Why the trial failed; empty for a pass. */
    private Optional<String> verdict = Optional.empty();
    private Optional<TargetSnapshot> audit = Optional.empty();
    private Optional<Long> exitCode = Optional.empty();
    private String state = "unknown";
    private String log = "";
    private List<String> tail = List.of();
    /** Its pid 1 ended before it settled: the reason names the exit code once the engine has recorded it. */
    private boolean exitedBeforeSettling;

    Attempt(String id) {
      this.id = id;
    }

    Optional<String> go() throws IOException {
      long deadline = System.nanoTime() + settings.timeout().toNanos();
      try {
        engine.start(id);
      } catch (IOException e) {
        // A start can fail for want of a capability (an entrypoint with file capabilities the set lacks).
        return Optional.of("the engine could not start it: " + e.getMessage());
      }
      EntrypointWait.Waited waited = EntrypointWait.await(engine, proc, id, settings.settle(), settings.timeout(),
          cancelled);
      if (waited.outcome().result() == SettleLoop.Result.EXITED) {
        exitedBeforeSettling = true;
        return Optional.of("exited before it settled");
      }
      if (waited.timedOut()) {
        return Optional.of(EntrypointWait.timedOut(settings.timeout()));
      }
      Readiness readiness = new Readiness(engine, settings, cancelled);
      Optional<String> failure = readiness.awaitReady(id, deadline)
          .or(() -> orFailure(() -> readiness.hold(id)))
          .or(() -> orFailure(() -> readiness.recheck(id)));
      if (failure.isEmpty() && !cancelled.getAsBoolean()) {
        audit = Optional.of(observer.observe(id));
      }
      return failure;
    }

    void collectEvidence() {
      try {
        TrialState now = TrialState.read(engine, id);
        // The host's /proc can show pid 1 gone a moment before the engine records the exit and its code.
        long deadline = System.nanoTime() + EXIT_RECORDED.toNanos();
        while (exitedBeforeSettling && now.running() && System.nanoTime() < deadline
            && !Thread.currentThread().isInterrupted()) {
          pause();
          now = TrialState.read(engine, id);
        }
        state = now.describe();
        exitCode = now.running() ? Optional.empty() : Optional.of(now.exitCode());
        log = engine.logs(id, LOG_CAP).stdout();
        ExecResult last = engine.logTail(id, LogTail.LINES * 4, TAIL_CAP);
        tail = LogTail.of(last.stdout());
      } catch (IOException e) {
        state = "unknown (" + e.getMessage() + ")";
      }
    }

    TrialOutcome outcome(TrialRequest request, Duration took) {
      TrialOutcome.Verdict result = verdict.isPresent() ? TrialOutcome.Verdict.FAIL
          : cancelled.getAsBoolean() && audit.isEmpty() ? TrialOutcome.Verdict.CANCELLED : TrialOutcome.Verdict.PASS;
      String reason = verdict.orElse(result == TrialOutcome.Verdict.CANCELLED ? "cancelled" : "");
      if (exitedBeforeSettling && exitCode.isPresent()) {
        reason = "exited with code " + exitCode.get() + " before it settled";
      }
      return new TrialOutcome(request, result, reason, exitCode, state, tail, log, took, audit);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(Readiness.POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A step that may fail the trial; an engine error during it fails the trial too, with the error as reason. */
  @FunctionalInterface
  private interface Step {
    Optional<String> run() throws IOException;
  }

  private static Optional<String> orFailure(Step step) {
    try {
      return step.run();
    } catch (IOException e) {
      return Optional.of("the engine failed during the trial: " + e.getMessage());
    }
  }
}
