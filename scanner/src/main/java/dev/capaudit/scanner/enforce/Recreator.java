package dev.capaudit.scanner.enforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.capaudit.rules.enforce.EnforcementPlan;
import dev.capaudit.rules.engine.Auditor;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.engine.Verdict;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.live.LiveScanner;
import dev.capaudit.scanner.live.ScanSettings;
import dev.capaudit.scanner.proc.HostProc;
import dev.capaudit.scanner.proc.SettleLoop;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Recreates a container with enforced capability settings, safely. The original is stopped and renamed to a
 * backup, never removed unless asked after the new one verified; a new container that fails to start, exits within
 * the grace period, or fails the re-audit is removed and the original restored under its name.
 *
 * <p>The original name is held by the old or the new container at every step boundary. The one gap, between
 * renaming the old container away and the new one in, is two API calls long; a shutdown hook closes it on SIGTERM
 * and Ctrl-C, and {@link #recover} closes it after a SIGKILL.
 */
public final class Recreator {
  /** Simulates a crash (no shutdown hooks, like SIGKILL) after the numbered step, for tests. */
  public static final String HALT_AFTER_STEP = "CAPAUDIT_ENFORCE_HALT_AFTER_STEP";
  static final String BACKUP_INFIX = ".capaudit-backup-";
  static final String NEW_INFIX = ".capaudit-new-";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  private final DockerEngine engine;
  private final HostProc proc;
  private final ScanSettings scanSettings;
  private final Auditor auditor;
  private final Duration grace;
  private final Clock clock;

  public Recreator(DockerEngine engine, HostProc proc, ScanSettings scanSettings, Auditor auditor, Duration grace,
      Clock clock) {
    this.engine = engine;
    this.proc = proc;
    this.scanSettings = scanSettings;
    this.auditor = auditor;
    this.grace = grace;
    this.clock = clock;
  }

  /**
   * If an earlier run died between its two renames, no container holds {@code name} but its backup exists:
   * rename the backup back and start it. Returns what was done, or empty when nothing was needed.
   */
  public Optional<String> recover(String name) throws IOException {
    // A replacement left by a crash before the swap was never started and holds nothing: remove it.
    for (String stray : engine.containersNamed(name + NEW_INFIX)) {
      engine.remove(stray);
    }
    if (engine.inspectRaw(name).isPresent()) {
      return Optional.empty();
    }
    List<String> backups = engine.containersNamed(name + BACKUP_INFIX);
    if (backups.size() != 1) {
      return Optional.empty();
    }
    engine.rename(backups.get(0), name);
    engine.start(backups.get(0));
    return Optional.of("recovered " + name + " from its backup after an interrupted enforce");
  }

  public EnforceOutcome apply(EnforcementPlan plan, boolean removeBackup, Consumer<String> log) throws IOException {
    return new Operation(plan, removeBackup, log).run();
  }

  /** One recreate, logging every step. */
  private final class Operation {
    private final EnforcementPlan plan;
    private final boolean removeBackup;
    private final Consumer<String> log;
    private final List<String> steps = new ArrayList<>();
    // The time says when; the random part keeps two runs in the same second apart.
    private final String stamp = STAMP.format(clock.instant()) + "-" + UUID.randomUUID().toString().substring(0, 6);
    private int step;
    private Optional<TargetSnapshot> lastAudit = Optional.empty();

    Operation(EnforcementPlan plan, boolean removeBackup, Consumer<String> log) {
      this.plan = plan;
      this.removeBackup = removeBackup;
      this.log = log;
    }

    EnforceOutcome run() throws IOException {
      String name = plan.target();
      if (plan.alreadyComplies()) {
        step("already complies: nothing changed");
        return new EnforceOutcome(name, EnforceOutcome.Result.UNCHANGED, steps, Optional.empty(), Optional.empty());
      }
      JsonNode old = JSON.readTree(engine.inspectRaw(name).orElseThrow(() -> new IOException("no container "
          + name)));
      String oldId = old.path("Id").asText();
      boolean wasRunning = old.path("State").path("Running").asBoolean(false);
      String backup = name + BACKUP_INFIX + stamp;
      String newId = engine.create(name + NEW_INFIX + stamp, RecreateRequest.create(old, plan).toString());
      step("created the replacement " + shortId(newId) + " with CapDrop [ALL], CapAdd " + plan.capAddNames()
          + (plan.noNewPrivileges() ? ", no-new-privileges" : ""));
      for (Map.Entry<String, JsonNode> network : RecreateRequest.extraNetworks(old).entrySet()) {
        engine.connect(network.getKey(), newId, network.getValue().toString());
      }
      if (wasRunning) {
        engine.stop(oldId, Duration.ofSeconds(10));
        step("stopped the original " + shortId(oldId));
      }
      Thread restore = new Thread(() -> restoreName(name, oldId, newId, wasRunning), "capaudit-enforce-restore");
      Runtime.getRuntime().addShutdownHook(restore);
      try {
        engine.rename(oldId, backup);
        engine.rename(newId, name);
        step("renamed the original to " + backup + " and the replacement to " + name);
      } finally {
        removeHook(restore);
      }
      Optional<String> failure = startAndVerify(newId);
      Optional<TargetSnapshot> verified = lastAudit;
      if (failure.isPresent()) {
        step("verification failed: " + failure.get());
        rollback(name, backup, oldId, newId, wasRunning);
        return new EnforceOutcome(name, EnforceOutcome.Result.ROLLED_BACK, steps, Optional.empty(), verified);
      }
      if (removeBackup) {
        engine.remove(oldId);
        step("removed the backup " + backup + " (--remove-backup)");
        return new EnforceOutcome(name, EnforceOutcome.Result.APPLIED, steps, Optional.empty(), verified);
      }
      step("kept the backup " + backup + "; remove it with docker rm once you are satisfied");
      return new EnforceOutcome(name, EnforceOutcome.Result.APPLIED, steps, Optional.of(backup), verified);
    }

    /** Starts the new container, lets it settle within the grace period, and re-audits it against the policy. */
    private Optional<String> startAndVerify(String newId) {
      try {
        engine.start(newId);
        step("started the replacement");
      } catch (IOException e) {
        return Optional.of("it did not start: " + e.getMessage());
      }
      settle(newId);
      TargetSnapshot audited = new LiveScanner(engine, proc, scanSettings).scanOne(newId);
      lastAudit = Optional.of(audited);
      if (!audited.errors().isEmpty()) {
        return Optional.of("it cannot be audited: " + audited.errors().get(0));
      }
      TargetResult result = auditor.audit(audited);
      step("re-audited the replacement: " + result.verdict().id() + " (" + result.findings().size() + " findings)");
      if (result.verdict() != Verdict.PASS) {
        return Optional.of(result.worstFinding().map(f -> f.message()).orElse("verdict " + result.verdict().id()));
      }
      return Optional.empty();
    }

    /**
     * Waits for the process tree to hold still, at most the grace period; an exit shows up in the audit. Without
     * the host view there is nothing to watch, so the whole grace period is waited.
     */
    private void settle(String id) {
      SettleLoop loop = new SettleLoop(proc, () -> {
        JsonNode state = JSON.readTree(engine.inspectRaw(id).orElse("{}")).path("State");
        return new SettleLoop.State(state.path("Running").asBoolean(false), state.path("Pid").asInt(),
            state.path("ExitCode").asLong(-1));
      }, () -> false);
      try {
        if (proc.readable()) {
          loop.watch(grace);
        } else {
          loop.waitFixed(grace);
        }
      } catch (IOException e) {
        // the audit that follows reports a container that cannot be read
      }
    }

    private void rollback(String name, String backup, String oldId, String newId, boolean wasRunning)
        throws IOException {
      engine.remove(newId);
      step("removed the replacement");
      engine.rename(oldId, name);
      step("renamed " + backup + " back to " + name);
      if (wasRunning) {
        engine.start(oldId);
        step("started the original again");
      }
    }

    private void step(String message) {
      step++;
      String line = "step " + step + ": " + message;
      steps.add(line);
      log.accept(line);
      String halt = System.getenv(HALT_AFTER_STEP);
      if (halt != null && halt.equals(Integer.toString(step))) {
        Runtime.getRuntime().halt(99); // a crash: no finally blocks, no shutdown hooks
      }
    }
  }

  /** The shutdown hook's job: if the name is empty (old renamed away, new not in), put the original back. */
  private void restoreName(String name, String oldId, String newId, boolean wasRunning) {
    try {
      if (engine.inspectRaw(name).isEmpty()) {
        engine.rename(oldId, name);
        if (wasRunning) {
          engine.start(oldId);
        }
        engine.remove(newId);
      }
    } catch (IOException e) {
      // The JVM is going down; recover() on the next run restores the name from the backup.
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is already running
    }
  }

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
