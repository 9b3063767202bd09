package dev.capaudit.rules.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything observed of one target, neutral of where it came from (Docker, the host's /proc, a file).
 *
 * @param errors what could not be read; a target with errors and no violation is {@code error}, never {@code pass}
 * @param notes how the data was obtained where that matters to a reader (a derived exec view, a fallback)
 * @param gate what the image gate adds: the entrypoint's log and exit, and the image's privileged files
 * @param origin the engine, runtime and node the target was found on
 */
public record TargetSnapshot(
    TargetKind kind,
    String id,
    String name,
    String image,
    Map<String, String> labels,
    Optional<ContainerConfig> config,
    List<ProcessSnapshot> processes,
    List<ExecView> exec,
    List<String> errors,
    List<String> notes,
    Optional<ImageFacts> gate,
    TargetOrigin origin) {

  /** A target observed without the image gate. */
  public TargetSnapshot(TargetKind kind, String id, String name, String image, Map<String, String> labels,
      Optional<ContainerConfig> config, List<ProcessSnapshot> processes, List<ExecView> exec, List<String> errors,
      List<String> notes) {
    this(kind, id, name, image, labels, config, processes, exec, errors, notes, Optional.empty(),
        TargetOrigin.UNKNOWN);
  }

  /** A target whose origin is not known. */
  public TargetSnapshot(TargetKind kind, String id, String name, String image, Map<String, String> labels,
      Optional<ContainerConfig> config, List<ProcessSnapshot> processes, List<ExecView> exec, List<String> errors,
      List<String> notes, Optional<ImageFacts> gate) {
    this(kind, id, name, image, labels, config, processes, exec, errors, notes, gate, TargetOrigin.UNKNOWN);
  }

  public TargetSnapshot {
    notes = List.copyOf(notes);
    labels = Map.copyOf(labels);
    processes = List.copyOf(ProcessSnapshot.resolveParents(processes));
    exec = List.copyOf(exec);
    errors = List.copyOf(errors);
  }

  /** A target that could not be read at all. */
  public static TargetSnapshot unreadable(TargetKind kind, String id, String name, String image, String error) {
    return new TargetSnapshot(kind, id, name, image, Map.of(), Optional.empty(), List.of(), List.of(), List.of(error),
        List.of());
  }

  public boolean hasObservations() {
    return !processes.isEmpty() || !exec.isEmpty() || config.isPresent();
  }

  /** The same target found through another engine, runtime or node. */
  public TargetSnapshot withOrigin(TargetOrigin value) {
    return new TargetSnapshot(kind, id, name, image, labels, config, processes, exec, errors, notes, gate, value);
  }

  /** The same target with more errors and notes, as a caller that observed more (the image gate) adds them. */
  public TargetSnapshot withMore(List<String> moreErrors, List<String> moreNotes) {
    List<String> allErrors = new ArrayList<>(errors);
    allErrors.addAll(moreErrors);
    List<String> allNotes = new ArrayList<>(notes);
    allNotes.addAll(moreNotes);
    return new TargetSnapshot(kind, id, name, image, labels, config, processes, exec, allErrors, allNotes, gate,
        origin);
  }
}
