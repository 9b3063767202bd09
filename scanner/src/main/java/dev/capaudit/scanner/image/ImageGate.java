package dev.capaudit.scanner.image;

import dev.capaudit.rules.model.ImageFacts;
import dev.capaudit.rules.model.PrivilegedFile;
import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.docker.ExecResult;
import dev.capaudit.scanner.inspect.InspectParser;
import dev.capaudit.scanner.inspect.InspectedContainer;
import dev.capaudit.scanner.live.LiveScanner;
import dev.capaudit.scanner.live.ScanSettings;
import dev.capaudit.scanner.proc.HostProc;
import dev.capaudit.scanner.proc.SettleLoop;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The CI gate: runs an image in a throwaway container under a chosen runtime profile, waits for the entrypoint to
 * settle, audits it exactly like a live scan, and always removes the container: on success, failure, timeout and
 * interruption (a shutdown hook covers Ctrl-C).
 */
public final class ImageGate {
  private static final int LOG_CAP = 64 * 1024;

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
    String id = engine.create("capaudit-gate-" + runId, CreateRequest.json(settings, runId));
    Thread cleanup = new Thread(() -> removeQuietly(id), "capaudit-gate-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      engine.start(id);
      return new Run(settings, id).audit();
    } finally {
      removeQuietly(id);
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running already and removes the container itself
      }
    }
  }

  private void removeQuietly(String id) {
    try {
      engine.remove(id);
    } catch (IOException e) {
      // Already gone (removed by the other path, or the engine went away): nothing more to do.
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
      SettleLoop loop = new SettleLoop(proc, this::state, () -> false);
      SettleLoop.Outcome outcome;
      if (settings.settle().isPresent() || !proc.readable()) {
        Duration wait = settings.settle().orElse(Duration.ofSeconds(3));
        if (settings.settle().isEmpty()) {
          notes.add("the host's /proc cannot be read: waited a fixed " + wait.toSeconds() + " s for the entrypoint");
        }
        outcome = loop.waitFixed(wait.compareTo(settings.timeout()) < 0 ? wait : settings.timeout());
      } else {
        outcome = loop.watch(settings.timeout());
      }
      if (outcome.result() == SettleLoop.Result.TIMED_OUT) {
        errors.add("the entrypoint did not settle within " + settings.timeout().toSeconds()
            + " s (its processes or capability sets kept changing)");
      }
      return outcome.exitCode();
    }

    private SettleLoop.State state() throws IOException {
      InspectedContainer state = inspect();
      return new SettleLoop.State(state.running(), state.hostPid(), state.exitCode());
    }

    private InspectedContainer inspect() throws IOException {
      String json = engine.inspectRaw(id).orElseThrow(() -> new IOException("container " + id + " vanished"));
      return InspectParser.parse(json, proc.kernelCapabilities()).get(0);
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
