package dev.capaudit.scanner.watch;

import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.model.ExecView;
import dev.capaudit.rules.model.ObservationSource;
import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.model.TargetOrigin;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.proc.ProcStatus;
import dev.capaudit.rules.proc.ProcStatusFormatException;
import dev.capaudit.rules.proc.ProcStatusParser;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.inspect.InspectParser;
import dev.capaudit.scanner.inspect.InspectedContainer;
import dev.capaudit.scanner.proc.HostProc;
import dev.capaudit.scanner.proc.ProcessTable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Reads the process an exec session started, from the host's /proc, as a target of one exec view: what the shell
 * really holds, not what its spec predicts. The engine names the process (the exec's inspect data); it is read only
 * when this host shows it in the container's own cgroup, since on a remote engine the same pid is another process.
 *
 * <p>The view is judged in the exec contexts ({@code root-exec} / {@code nonroot-exec}) by the effective uid the
 * kernel shows, not the user asked for: an exec session never passes through the entrypoint, and that is what the
 * exec contexts are for; judging it as a process of the container would give it what the policy allows the
 * entrypoint.
 */
final class ExecReader {
  /** While runc sets an exec up, the process is runc's own init, not yet the command. */
  private static final String RUNC_INIT = "runc:[";
  private static final Duration POLL = Duration.ofMillis(25);

  /** What was read: the exec's target and its process, or why it could not be. */
  record Read(TargetSnapshot target, ExecProcess exec) {}

  private final DockerEngine engine;
  private final HostProc proc;
  private final boolean hostReadable;
  private final Duration pidWait;
  private final TargetOrigin origin;

  ExecReader(DockerEngine engine, HostProc proc, boolean hostReadable, Duration pidWait, TargetOrigin origin) {
    this.engine = engine;
    this.proc = proc;
    this.hostReadable = hostReadable;
    this.pidWait = pidWait;
    this.origin = origin;
  }

  Read read(String containerId, String execId, String eventName) {
    List<String> errors = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Optional<InspectedContainer> container = inspect(containerId, errors);
    String name = container.map(InspectedContainer::name).orElse(eventName);
    Optional<DockerEngine.ExecSession> session = session(execId, errors);
    String user = user(session.map(DockerEngine.ExecSession::user).orElse(""),
        container.map(c -> c.config().user()).orElse(""));
    OptionalInt pid = session.filter(s -> s.pid() > 0 && s.pid() <= Integer.MAX_VALUE)
        .map(s -> OptionalInt.of((int) s.pid())).orElse(OptionalInt.empty());
    Optional<ProcStatus> status = Optional.empty();
    if (session.isPresent() && pid.isEmpty()) {
      errors.add("the engine never said which process exec session " + execId + " started"
          + session.get().exitCode().stream().mapToObj(code -> " (it ended with exit code " + code + ")")
              .findFirst().orElse(""));
    } else if (pid.isPresent()) {
      status = process(containerId, pid.getAsInt(), session.get(), errors);
    }
    List<ExecView> views = status.map(s -> List.of(new ExecView(user, s.runsAsRoot(), s.capabilities(),
        s.noNewPrivs(), ObservationSource.HOST_PROC))).orElse(List.of());
    status.ifPresent(s -> notes.add("the exec session's process (host pid " + s.pid() + ", " + s.name()
        + ") read from the host's /proc as it started; judged as " + (s.runsAsRoot() ? "a root" : "a non-root")
        + " exec shell by its effective uid " + Integer.toUnsignedLong(s.effectiveUid())));
    TargetSnapshot target = new TargetSnapshot(TargetKind.CONTAINER, containerId, name,
        container.map(InspectedContainer::image).orElse(""),
        container.map(InspectedContainer::labels).orElse(Map.of()), Optional.empty(), List.of(), views, errors,
        notes, Optional.empty(), origin);
    return new Read(target, new ExecProcess(execId, user, pid, status.map(ProcStatus::name).orElse(""),
        status.map(s -> OptionalLong.of(Integer.toUnsignedLong(s.effectiveUid()))).orElse(OptionalLong.empty()),
        session.map(DockerEngine.ExecSession::command).orElse(List.of()),
        session.map(DockerEngine.ExecSession::privileged).orElse(false)));
  }

  private Optional<InspectedContainer> inspect(String containerId, List<String> errors) {
    try {
      Optional<String> json = engine.inspectRaw(containerId);
      if (json.isEmpty()) {
        errors.add("the container is gone");
        return Optional.empty();
      }
      List<InspectedContainer> parsed = InspectParser.parse(json.get(), CapabilityMask.ALL_KNOWN);
      return parsed.isEmpty() ? Optional.empty() : Optional.of(parsed.get(0));
    } catch (IOException e) {
      errors.add("cannot inspect the container: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** The session once the engine has started its process (or it ended), within the pid wait. */
  private Optional<DockerEngine.ExecSession> session(String execId, List<String> errors) {
    long deadline = System.nanoTime() + pidWait.toNanos();
    try {
      while (true) {
        Optional<DockerEngine.ExecSession> session = engine.execSession(execId);
        if (session.isEmpty()) {
          errors.add("the engine does not know exec session " + execId + " (any more)");
          return session;
        }
        if (session.get().pid() > 0 || !session.get().running() || System.nanoTime() > deadline
            || Thread.currentThread().isInterrupted()) {
          return session;
        }
        pause();
      }
    } catch (IOException e) {
      errors.add("cannot inspect exec session " + execId + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  private Optional<ProcStatus> process(String containerId, int pid, DockerEngine.ExecSession session,
      List<String> errors) {
    if (!hostReadable) {
      errors.add("the host's /proc cannot be read here (capaudit needs root, or CAP_SYS_PTRACE, on the engine's"
          + " host): the exec session's process cannot be audited");
      return Optional.empty();
    }
    long deadline = System.nanoTime() + pidWait.toNanos();
    while (true) {
      Optional<String> text = proc.status(pid);
      if (text.isEmpty() || ProcessTable.isZombie(text.get())) {
        errors.add("exec session " + session.id() + " ended before its process (host pid " + pid + ") could be read");
        return Optional.empty();
      }
      // Only a process in this container's cgroup is the exec's: otherwise the pid is another host's number.
      if (!proc.containerIdFromCgroup(pid).map(containerId::equals).orElse(false)) {
        errors.add("host pid " + pid + " of exec session " + session.id() + " is not in the container's cgroup"
            + " here: the engine runs on another host, or the process has ended");
        return Optional.empty();
      }
      ProcStatus status;
      try {
        status = ProcStatusParser.parse(text.get());
      } catch (ProcStatusFormatException e) {
        errors.add("host pid " + pid + " of exec session " + session.id() + ": " + e.getMessage());
        return Optional.empty();
      }
      if (!status.name().startsWith(RUNC_INIT) || System.nanoTime() > deadline
          || Thread.currentThread().isInterrupted()) {
        return Optional.of(status);
      }
      pause();
    }
  }

  /** The user the exec runs as: the one asked for, else the container's own, else root; "root" is {@code 0}. */
  static String user(String asked, String configured) {
    String user = !asked.isBlank() ? asked.trim() : configured == null ? "" : configured.trim();
    return user.isEmpty() || user.toLowerCase(Locale.ROOT).equals("root") ? "0" : user;
  }

  private static void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
