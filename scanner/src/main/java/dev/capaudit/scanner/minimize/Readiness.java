package dev.capaudit.scanner.minimize;

import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.docker.ExecResult;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * Whether a settled trial is ready and stays so: its HEALTHCHECK healthy, its --ready-log line printed, its
 * --ready-cmd exiting 0, then running for the hold without exiting, restarting or turning unhealthy, and the
 * --ready-cmd passing once more. Each method returns why the trial failed, or empty.
 */
final class Readiness {
  static final Duration POLL = Duration.ofMillis(200);
  private static final int READY_LOG_CAP = 1024 * 1024;
  private static final int EXEC_OUTPUT_CAP = 64 * 1024;
  private static final Duration MATCH_LIMIT = Duration.ofSeconds(2);

  private final DockerEngine engine;
  private final TrialSettings settings;
  private final BooleanSupplier cancelled;

  Readiness(DockerEngine engine, TrialSettings settings, BooleanSupplier cancelled) {
    this.engine = engine;
    this.settings = settings;
    this.cancelled = cancelled;
  }

  /** Polls until every check passes, the container stops, or the deadline passes. */
  Optional<String> awaitReady(String id, long deadline) throws IOException {
    boolean logSeen = settings.ready().log().isEmpty();
    boolean commandPassed = settings.ready().command().isEmpty();
    Optional<String> last = Optional.empty();
    while (!cancelled.getAsBoolean()) {
      TrialState state = TrialState.read(engine, id);
      if (!state.running() || state.restarting()) {
        return Optional.of(state.describe() + " before it was ready");
      }
      if (state.health().filter("unhealthy"::equals).isPresent()) {
        return Optional.of("its HEALTHCHECK reported unhealthy");
      }
      boolean healthy = state.health().map("healthy"::equals).orElse(true);
      logSeen = logSeen || logMatches(id, settings.ready().log().get());
      if (!commandPassed) {
        last = commandFailure(id);
        commandPassed = last.isEmpty();
      }
      if (healthy && logSeen && commandPassed) {
        return Optional.empty();
      }
      if (System.nanoTime() > deadline) {
        return Optional.of(!healthy ? "its HEALTHCHECK was not healthy within " + seconds(settings.timeout())
            : !logSeen ? "its log never matched --ready-log within " + seconds(settings.timeout())
            : last.orElse("--ready-cmd did not pass"));
      }
      pause();
    }
    return Optional.empty();
  }

  /** Watches the trial for the hold: it must keep running, never restart, never turn unhealthy. */
  Optional<String> hold(String id) throws IOException {
    long until = System.nanoTime() + settings.hold().toNanos();
    TrialState first = TrialState.read(engine, id);
    while (!cancelled.getAsBoolean()) {
      TrialState state = TrialState.read(engine, id);
      if (!state.running() || state.restarting() || state.restartCount() != first.restartCount()) {
        return Optional.of(state.describe() + " during the " + seconds(settings.hold()) + " hold"
            + (state.restartCount() != first.restartCount() ? " (it restarted)" : ""));
      }
      if (state.health().filter("unhealthy"::equals).isPresent()) {
        return Optional.of("its HEALTHCHECK turned unhealthy during the hold");
      }
      if (System.nanoTime() >= until) {
        return Optional.empty();
      }
      pause();
    }
    return Optional.empty();
  }

  /** The --ready-cmd once more, after the hold: ready once is not enough if it broke since. */
  Optional<String> recheck(String id) throws IOException {
    return settings.ready().command().isPresent() ? commandFailure(id).map(f -> f + " after the hold")
        : Optional.empty();
  }

  private boolean logMatches(String id, Pattern pattern) throws IOException {
    ExecResult log = engine.logs(id, READY_LOG_CAP);
    return BoundedMatch.find(pattern, log.stdout(), MATCH_LIMIT).orElse(false);
  }

  private Optional<String> commandFailure(String id) throws IOException {
    List<String> command = settings.ready().command().orElseThrow();
    // The container's own user: the check runs as the workload does.
    ExecResult result = engine.exec(id, "", command, settings.execTimeout(), EXEC_OUTPUT_CAP);
    return result.succeeded() ? Optional.empty() : Optional.of("--ready-cmd failed: " + result.failure());
  }

  private static String seconds(Duration duration) {
    return duration.toSeconds() + " s";
  }

  private static void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
