package dev.capaudit.scanner.enforce;

import dev.capaudit.rules.engine.Auditor;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.live.ScanSettings;
import dev.capaudit.scanner.proc.HostProc;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Recreates containers with enforced capability settings, as transactions: a lock per container, a record of each
 * run kept in the engine, a replacement that must verify before it is kept, and a rollback to the original on
 * failure, on a signal, and (on the next {@code --apply}) after a crash. The original is renamed to a backup, never
 * removed unless asked once the replacement verified.
 *
 * <p>Only {@link #begin} changes anything; {@link #pendingRecovery} reads.
 */
public final class Recreator {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);
  /** Beyond the stop timeout and the grace: the audit of the replacement, the engine's own calls. */
  private static final Duration HOOK_MARGIN = Duration.ofSeconds(60);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Operations ops;
  private final Verifier verifier;
  private final EnforceSettings settings;
  private final Clock clock;
  private final Function<Consumer<String>, Checkpoints> checkpoints;
  private final Supplier<LockHolder> holder;
  private final Recovery recovery;

  public Recreator(DockerEngine engine, HostProc proc, ScanSettings scanSettings, Auditor auditor,
      EnforceSettings settings, Clock clock) {
    this(new Operations(engine, settings.stopTimeout()), new AuditVerifier(engine, proc, scanSettings, auditor,
        settings.grace()), settings, clock, Checkpoints::fromEnvironment, LockHolder::current);
  }

  /** With a verifier, checkpoints and lock holder of a test's choosing. */
  Recreator(Operations ops, Verifier verifier, EnforceSettings settings, Clock clock,
      Function<Consumer<String>, Checkpoints> checkpoints, Supplier<LockHolder> holder) {
    this.ops = ops;
    this.verifier = verifier;
    this.settings = settings;
    this.clock = clock;
    this.checkpoints = checkpoints;
    this.holder = holder;
    this.recovery = new Recovery(ops, settings);
  }

  /** An unfinished run of the container, and what --apply would do about it; reads only. */
  public Optional<PendingRecovery> pendingRecovery(String nameOrId) throws IOException {
    return recovery.pending(nameOf(nameOrId));
  }

  /**
   * Takes the container's lock, first rolling back an earlier run of it that was interrupted (its holder is gone).
   * Logs what it does.
   *
   * @throws EnforceRefused when another run holds the lock, the container removes itself on stop and that was not
   *     allowed, or it is one of enforce's own backups or replacements; nothing was changed then
   */
  public EnforceRun begin(String nameOrId, Consumer<String> log) throws EnforceRefused, IOException {
    Interruption interruption = new Interruption(settings.grace().plus(HOOK_MARGIN)
        .plus(settings.stopTimeout().orElse(Operations.ENGINE_STOP_TIMEOUT)));
    RunGuard guard = new RunGuard(ops, interruption, log);
    Checkpoints points = checkpoints.apply(log);
    try {
      String name = interruption.step(() -> nameOf(nameOrId));
      if (RunNames.isArtifact(name)) {
        throw new EnforceRefused(EnforceRefused.Reason.ARTIFACT, name + " is a lock, backup or replacement of"
            + " capaudit enforce; enforce the container that has the original name instead");
      }
      List<String> recovered = new ArrayList<>();
      byte[] random = new byte[6];
      RANDOM.nextBytes(random);
      String run = HexFormat.of().formatHex(random);
      for (int attempt = 0; attempt < 4; attempt++) {
        Optional<EnforceLock.Found> existing = interruption.step(() -> EnforceLock.read(ops, name));
        if (existing.isPresent()) {
          recovered.addAll(recovery.recover(existing.get(), name, interruption, log));
          continue;
        }
        ContainerFacts target = interruption.step(() -> ops.require(name));
        if (target.autoRemove() && !settings.allowAutoRemove()) {
          throw new EnforceRefused(EnforceRefused.Reason.AUTO_REMOVE, name + " removes itself when it stops"
              + " (AutoRemove, docker run --rm): enforce cannot keep it as a backup to roll back to. Pass"
              + " --allow-autoremove to enforce it anyway: its configuration and volumes are kept, what it wrote"
              + " outside its volumes is lost when it stops");
        }
        RunRecord record = new RunRecord(run, name, target.id(), target.running(), target.autoRemove()
            ? Optional.of(target.inspect().toString()) : Optional.empty(), holder.get(), clock.instant());
        interruption.allowFor(settings.grace().plus(HOOK_MARGIN).plus(ops.stopTimeout(target)));
        if (lock(record, target, guard, points)) {
          String stamp = STAMP.format(record.started()) + "-" + run.substring(0, 6);
          return new EnforceRun(new RunContext(ops, guard, verifier, settings, new Steps(log, points, interruption),
              stamp, log), recovered);
        }
      }
      throw new IOException("the lock " + RunNames.lock(name) + " kept changing hands; try again");
    } catch (Interruption.Stopped stopped) {
      interruption.awaitCleanup();
      throw interrupted(nameOrId);
    } catch (EnforceRefused | IOException | RuntimeException e) {
      releaseQuietly(guard);
      guard.close();
      throw e;
    }
  }

  /** Creates the lock; false when another run got it first. Refuses when the container changed meanwhile. */
  private boolean lock(RunRecord record, ContainerFacts target, RunGuard guard, Checkpoints points)
      throws EnforceRefused, IOException {
    Interruption interruption = guard.interruption();
    boolean locked = interruption.step(() -> {
      Optional<String> lockId = EnforceLock.tryCreate(ops, record, target.image());
      lockId.ifPresent(id -> guard.holding(record, id));
      if (lockId.isPresent()) {
        points.reached("in-lock", interruption);
      }
      return lockId.isPresent();
    });
    if (!locked) {
      return false;
    }
    // The record describes the container read before the lock existed: it must still be the one under the name.
    Optional<ContainerFacts> now = interruption.step(() -> ops.inspect(record.target()));
    if (now.isEmpty() || !now.get().id().equals(target.id()) || now.get().running() != target.running()) {
      interruption.step(() -> {
        guard.release();
        return null;
      });
      throw new EnforceRefused(EnforceRefused.Reason.CHANGED, record.target() + " changed while enforce took its"
          + " lock (another enforce, or someone started, stopped or replaced it); run again");
    }
    return true;
  }

  /** A lock taken before a failure is let go at once; if that fails too, the next --apply finds it stale. */
  private static void releaseQuietly(RunGuard guard) {
    if (guard.holdsLock()) {
      try {
        guard.release();
      } catch (IOException e) {
        // the holder (this process) is gone by the next run, which then removes it
      }
    }
  }

  /** How the container is stopped, read-only: for the plan. */
  public Optional<StopHandling> stopHandling(String nameOrId) throws IOException {
    return ops.inspect(nameOrId).map(c -> new StopHandling(c.autoRemove(), ops.stopTimeout(c),
        settings.stopTimeout().isEmpty() && c.stopTimeout().isPresent()));
  }

  /** The container's name, for a name or an id; the argument itself when no container has it (a free name). */
  private String nameOf(String nameOrId) throws IOException {
    return ops.inspect(nameOrId).map(ContainerFacts::name).orElse(nameOrId);
  }

  static IOException interrupted(String target) {
    return new IOException("enforce of " + target + " interrupted by a signal; the lines above say what the shutdown"
        + " hook did (before the commit it puts the original back, after it the replacement stays)");
  }
}
