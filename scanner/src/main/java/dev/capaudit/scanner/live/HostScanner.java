package dev.capaudit.scanner.live;

import dev.capaudit.rules.model.ContainerConfig;
import dev.capaudit.rules.model.ObservationSource;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.proc.ProcStatus;
import dev.capaudit.rules.proc.ProcStatusFormatException;
import dev.capaudit.rules.proc.ProcStatusParser;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.inspect.InspectParser;
import dev.capaudit.scanner.inspect.InspectedContainer;
import dev.capaudit.scanner.proc.HostProc;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every process on this host, each attributed to its container (by the container id in its cgroup) or to the host
 * itself. With an engine, container targets also carry their name, image and configuration.
 */
public final class HostScanner {
  private static final String HOST = "";

  private final HostProc proc;

  public HostScanner(HostProc proc) {
    this.proc = proc;
  }

  public List<TargetSnapshot> scan(Optional<DockerEngine> engine) throws IOException {
    Map<String, List<ProcessSnapshot>> byContainer = new LinkedHashMap<>();
    byContainer.put(HOST, new ArrayList<>());
    List<String> errors = new ArrayList<>();
    for (int pid : proc.pids()) {
      Optional<String> text = proc.status(pid);
      if (text.isEmpty()) {
        continue; // exited while the scan ran
      }
      ProcStatus status;
      try {
        status = ProcStatusParser.parse(text.get());
      } catch (ProcStatusFormatException e) {
        errors.add("host pid " + pid + ": " + e.getMessage());
        continue;
      }
      if (isKernelThread(status)) {
        continue;
      }
      String owner = proc.containerIdFromCgroup(pid).orElse(HOST);
      byContainer.computeIfAbsent(owner, k -> new ArrayList<>()).add(ProcessSnapshot.of(status,
          ObservationSource.HOST_PROC));
    }
    List<TargetSnapshot> targets = new ArrayList<>();
    targets.add(new TargetSnapshot(TargetKind.HOST, hostname(), hostname(), "", Map.of(), Optional.empty(),
        byContainer.remove(HOST), List.of(), errors, List.of("every process outside a container on this host")));
    for (Map.Entry<String, List<ProcessSnapshot>> entry : byContainer.entrySet()) {
      targets.add(container(entry.getKey(), entry.getValue(), engine));
    }
    return targets;
  }

  /** Kernel threads are not programs anyone runs; kthreadd is pid 2 and parents them all. */
  private static boolean isKernelThread(ProcStatus status) {
    return status.pid() == 2 || status.ppid() == 2;
  }

  private TargetSnapshot container(String id, List<ProcessSnapshot> processes, Optional<DockerEngine> engine) {
    String shortId = id.substring(0, 12);
    List<String> notes = new ArrayList<>();
    Optional<InspectedContainer> inspected = Optional.empty();
    if (engine.isPresent()) {
      try {
        inspected = engine.get().inspectRaw(id).map(json -> parseFirst(json, notes));
      } catch (IOException e) {
        notes.add("inspect failed: " + e.getMessage());
      }
    } else {
      notes.add("no engine answered: attributed by cgroup only, without name or configuration");
    }
    return new TargetSnapshot(TargetKind.CONTAINER, id,
        inspected.map(InspectedContainer::name).orElse(shortId), inspected.map(InspectedContainer::image).orElse(""),
        inspected.map(InspectedContainer::labels).orElse(Map.of()),
        inspected.map(InspectedContainer::config).map(ContainerConfig.class::cast), processes, List.of(), List.of(),
        notes);
  }

  private InspectedContainer parseFirst(String json, List<String> notes) {
    try {
      return InspectParser.parse(json, proc.kernelCapabilities()).get(0);
    } catch (IOException | IndexOutOfBoundsException e) {
      notes.add("inspect output unreadable: " + e.getMessage());
      return null;
    }
  }

  private String hostname() {
    return proc.hostname().orElse("host");
  }
}
