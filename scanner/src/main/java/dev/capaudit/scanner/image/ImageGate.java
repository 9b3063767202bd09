package dev.capaudit.scanner.image;

import dev.capaudit.rules.model.ImageFacts;
import dev.capaudit.rules.model.PrivilegedFile;
import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.docker.ExecResult;
import dev.capaudit.scanner.inspect.InspectedContainer;
import dev.capaudit.scanner.live.LiveScanner;
import dev.capaudit.scanner.live.ScanSettings;
import dev.capaudit.scanner.proc.HostProc;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The CI gate: runs an image in a throwaway container under a chosen runtime profile, waits for the entrypoint to
 * settle, audits it exactly like a live scan, and always removes the container: on success, failure, timeout and
 * interruption ({@link ThrowawayContainers}).
 */
public final class ImageGate {
  private static final int LOG_CAP = 64 * 1024;
  /** How long removal waits for the create in flight on Ctrl-C: one engine call's limit, at most. */
  private static final Duration DRAIN = Duration.ofSeconds(60);

  private final DockerEngine engine;
  private final HostProc proc;
  private final ScanSettings scanSettings;

  public ImageGate(DockerEngine engine, HostProc proc, ScanSettings scanSettings) {
    this.engine = engine;
    this.proc = proc;
    this.scanSettings = scanSettings;
  }

  /**
   * Runs and audits the image.
   *
   * @throws IOException when the engine refuses to create or start the container (no such image, bad option)
   */
  public TargetSnapshot run(GateSettings settings) throws IOException {
    String runId = UUID.randomUUID().toString().substring(0, 12);
    try (ThrowawayContainers throwaway = new ThrowawayContainers(engine, CreateRequest.LABEL, runId,
        DRAIN)) {
      String id = throwaway.create("capaudit-gate-" + runId, CreateRequest.json(settings, runId));
      engine.start(id);
      return new Run(settings, id).audit();
    }
  }

  /** One run of the gate, collecting errors and notes. */
  private final class Run {
    private final GateSettings settings;
    private final String id;
    private final List<String> errors = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    Run(GateSettings settings, String id) {
      this.settings = settings;
      this.id = id;
    }

    TargetSnapshot audit() throws IOException {
      Optional<Long> exit = settle();
      ExecResult log = engine.logs(id, LOG_CAP);
      InspectedContainer now = inspect();
      TargetSnapshot scanned;
      List<PrivilegedFile> files = List.of();
      if (exit.isPresent() || !now.running()) {
        long code = now.running() ? exit.orElse(-1L) : now.exitCode();
        errors.add("the entrypoint exited with code " + code + " before it could be audited; see its log");
        scanned = new TargetSnapshot(TargetKind.IMAGE, id, settings.image(), settings.image(), now.labels(),
            Optional.of(now.config()), List.of(), List.of(), List.of(), List.of());
        exit = Optional.of(code);
      } else {
        scanned = new LiveScanner(engine, proc, scanSettings).scanOne(id);
        files = privilegedFiles(now);
      }
      ImageFacts facts = new ImageFacts(settings.profile().id(), now.config().boundingSet(), log.stdout(),
          log.truncated(), exit, files);
      List<String> allErrors = new ArrayList<>(errors);
      allErrors.addAll(scanned.errors());
      List<String> allNotes = new ArrayList<>(notes);
      allNotes.addAll(scanned.notes());
      return new TargetSnapshot(TargetKind.IMAGE, id, settings.image(), settings.image(), scanned.labels(),
          scanned.config(), scanned.processes(), scanned.exec(), allErrors, allNotes, Optional.of(facts));
    }

    /** Waits until the process tree stops changing (or the fixed --settle time); the exit code if it exited. */
    private Optional<Long> settle() throws IOException {
      EntrypointWait.Waited waited = EntrypointWait.await(engine, proc, id, settings.settle(), settings.timeout(),
          () -> false);
      waited.note().ifPresent(notes::add);
      if (waited.timedOut()) {
        errors.add(EntrypointWait.timedOut(settings.timeout()));
      }
      return waited.outcome().exitCode();
    }

    private InspectedContainer inspect() throws IOException {
      return EntrypointWait.inspect(engine, proc, id);
    }

    private List<PrivilegedFile> privilegedFiles(InspectedContainer container) {
      if (!proc.readable()) {
        notes.add("setuid and file-capability binaries not listed: the host's /proc cannot be read");
        return List.of();
      }
      // The walk goes through /proc/PID/root: make sure PID is still this container's pid 1, not a reused number.
      if (!proc.containerIdFromCgroup(container.hostPid()).map(id::equals).orElse(false)) {
        errors.add("the container's pid 1 is gone: its setuid and file-capability binaries could not be listed");
        return List.of();
      }
      PrivilegedFileFinder finder = new PrivilegedFileFinder();
      List<PrivilegedFile> files = finder.find(proc.root().resolve(Integer.toString(container.hostPid()))
          .resolve("root"));
      notes.addAll(finder.notes());
      return files;
    }
  }

}
