package dev.capaudit.scanner.snapshot;

import dev.capaudit.rules.model.ContainerConfig;
import dev.capaudit.rules.model.ExecView;
import dev.capaudit.rules.model.ObservationSource;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.model.ThreadSnapshot;
import dev.capaudit.rules.proc.ProcStatus;
import dev.capaudit.rules.proc.ProcStatusFormatException;
import dev.capaudit.rules.proc.ProcStatusParser;
import dev.capaudit.scanner.inspect.InspectedContainer;
import dev.capaudit.scanner.io.BoundedFiles;
import dev.capaudit.scanner.io.InputFileException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Reads one snapshot target, turning every unreadable part into an error of that target. */
final class TargetReader {
  private final Path base;
  private final List<String> errors = new ArrayList<>();

  TargetReader(Path base) {
    this.base = base;
  }

  TargetSnapshot read(SnapshotSpec.TargetSpec spec) {
    errors.addAll(Objects.requireNonNullElse(spec.errors(), List.of()));
    Optional<InspectedContainer> inspected = Optional.ofNullable(spec.inspect())
        .flatMap(file -> path(file, "inspect")).flatMap(path -> SnapshotInspect.read(path, errors));
    List<ProcessSnapshot> processes = new ArrayList<>();
    for (SnapshotSpec.StatusSpec status : Objects.requireNonNullElse(spec.processes(),
        List.<SnapshotSpec.StatusSpec>of())) {
      process(status).ifPresent(processes::add);
    }
    List<ExecView> exec = new ArrayList<>();
    for (SnapshotSpec.ExecSpec view : Objects.requireNonNullElse(spec.exec(), List.<SnapshotSpec.ExecSpec>of())) {
      status(view.file(), view.status()).ifPresent(s -> exec.add(new ExecView(view.user(), s.runsAsRoot(),
          s.capabilities(), s.noNewPrivs(), ObservationSource.EXEC_PROBE)));
    }
    Optional<ContainerConfig> config = inspected.map(InspectedContainer::config);
    return new TargetSnapshot(
        kind(spec.kind(), inspected.isPresent()),
        firstNonBlank(spec.id(), inspected.map(InspectedContainer::id).orElse("")),
        firstNonBlank(spec.name(), inspected.map(InspectedContainer::name).orElse("unnamed")),
        firstNonBlank(spec.image(), inspected.map(InspectedContainer::image).orElse("")),
        spec.labels() != null ? spec.labels() : inspected.map(InspectedContainer::labels).orElse(Map.of()),
        config, processes, exec, errors, List.of());
  }

  /**
   * A process with the threads whose credentials differ from its leader's. The tid is the one the thread's own
   * status gives for the innermost namespace (NSpid, else Pid), as a live read of {@code task/TID/status} would.
   */
  private Optional<ProcessSnapshot> process(SnapshotSpec.StatusSpec spec) {
    Optional<ProcStatus> leader = status(spec.file(), spec.status());
    List<ThreadSnapshot> threads = new ArrayList<>();
    Set<Integer> tids = new HashSet<>();
    for (SnapshotSpec.ThreadSpec threadSpec : Objects.requireNonNullElse(spec.threads(),
        List.<SnapshotSpec.ThreadSpec>of())) {
      Optional<ProcStatus> thread = status(threadSpec.file(), threadSpec.status());
      if (thread.isEmpty() || leader.isEmpty()) {
        continue;
      }
      ThreadSnapshot snapshot = new ThreadSnapshot(thread.get().innermostPid(), thread.get());
      String label = "thread " + snapshot.tid() + " of pid " + leader.get().innermostPid();
      if (!tids.add(snapshot.tid())) {
        errors.add(label + " is listed twice");
      } else if (snapshot.sameCredentials(leader.get())) {
        continue; // as a live scan does: a thread that holds what its leader holds adds nothing
      } else if (snapshot.tid() == leader.get().innermostPid()) {
        errors.add(label + " is the leader itself, but its status differs from the leader's");
      } else {
        threads.add(snapshot);
      }
    }
    return leader.map(status -> ProcessSnapshot.of(status, source(spec)).withThreads(threads));
  }

  private Optional<ProcStatus> status(String file, String inline) {
    if ((file == null) == (inline == null)) {
      errors.add(file == null ? "a status entry needs 'file' or 'status'"
          : "status " + file + ": give 'file' or 'status', not both");
      return Optional.empty();
    }
    try {
      if (inline != null) {
        return Optional.of(parse(inline, "inline status"));
      }
      Optional<Path> path = path(file, "status");
      // A status is what the kernel prints for one process, about 1.5 KiB: the kernel-file limit applies.
      return path.isEmpty() ? Optional.empty()
          : Optional.of(parse(BoundedFiles.readText(path.get(), BoundedFiles.PROC_LIMIT, "status"), file));
    } catch (InputFileException | ProcStatusFormatException e) {
      errors.add(e.getMessage());
      return Optional.empty();
    }
  }

  private static ProcStatus parse(String text, String label) throws ProcStatusFormatException {
    try {
      return ProcStatusParser.parse(text);
    } catch (ProcStatusFormatException e) {
      throw new ProcStatusFormatException("status " + label + ": " + e.getMessage());
    }
  }

  /** The file a snapshot names, relative to the snapshot; a name no file system can hold is an error. */
  private Optional<Path> path(String file, String what) {
    try {
      return Optional.of(base.resolve(file));
    } catch (InvalidPathException e) {
      errors.add(what + " '" + file + "': not a valid path (" + e.getReason() + ")");
      return Optional.empty();
    }
  }

  private ObservationSource source(SnapshotSpec.StatusSpec status) {
    if (status.source() == null) {
      return ObservationSource.SNAPSHOT;
    }
    return Arrays.stream(ObservationSource.values()).filter(s -> s.id().equals(status.source())).findFirst()
        .orElseGet(() -> {
          errors.add("unknown source '" + status.source() + "'; kept as snapshot");
          return ObservationSource.SNAPSHOT;
        });
  }

  private TargetKind kind(String kind, boolean inspected) {
    if (kind == null) {
      return inspected ? TargetKind.CONTAINER : TargetKind.SNAPSHOT;
    }
    try {
      return TargetKind.valueOf(kind.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      errors.add("unknown target kind '" + kind + "'");
      return TargetKind.SNAPSHOT;
    }
  }

  private static String firstNonBlank(String first, String second) {
    return first != null && !first.isBlank() ? first : second;
  }
}
