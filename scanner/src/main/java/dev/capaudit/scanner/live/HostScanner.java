package dev.capaudit.scanner.live;

import dev.capaudit.rules.model.ContainerConfig;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.model.TargetOrigin;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.inspect.InspectParser;
import dev.capaudit.scanner.inspect.InspectedContainer;
import dev.capaudit.scanner.proc.Attribution;
import dev.capaudit.scanner.proc.HostProc;
import dev.capaudit.scanner.proc.ProcessReader;
import dev.capaudit.scanner.proc.ProcessTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every process on this host, each attributed to its container or to the host itself. A container is found by the
 * id its processes' cgroups name; with an engine, its init and pid mode attribute its processes exactly as a
 * container scan does (cgroup, own pid namespace, descent) and name it.
 */
public final class HostScanner {
  private final HostProc proc;

  public HostScanner(HostProc proc) {
    this.proc = proc;
  }

  public List<TargetSnapshot> scan(Optional<DockerEngine> engine) throws IOException {
    ProcessTable table = ProcessTable.read(proc);
    Set<String> ids = new LinkedHashSet<>();
    for (ProcessTable.Entry entry : table.entries()) {
      if (!entry.kernelThread() && !entry.containerIds().isEmpty()) {
        ids.add(entry.containerIds().iterator().next());
      }
    }
    Set<Integer> claimed = new HashSet<>();
    List<TargetSnapshot> containers = new ArrayList<>();
    for (String id : ids) {
      containers.add(container(table, id, ids, engine, claimed));
    }
    List<String> errors = new ArrayList<>();
    List<String> notes = new ArrayList<>(List.of("every process outside a container on this host"));
    List<ProcessSnapshot> hostProcesses = new ArrayList<>();
    ProcessReader reader = new ProcessReader(proc, errors, notes);
    for (ProcessTable.Entry entry : table.entries()) {
      if (!entry.kernelThread() && !claimed.contains(entry.pid())) {
        reader.read(new Attribution.Member(entry, entry.pid()), 0).ifPresent(hostProcesses::add);
      }
    }
    String hostname = proc.hostname().orElse("host");
    List<TargetSnapshot> targets = new ArrayList<>();
    targets.add(new TargetSnapshot(TargetKind.HOST, hostname, hostname, "", Map.of(), Optional.empty(),
        hostProcesses, List.of(), errors, notes, Optional.empty(), TargetOrigin.UNKNOWN.withNode(hostname)));
    targets.addAll(containers);
    return targets;
  }

  private TargetSnapshot container(ProcessTable table, String id, Set<String> ids, Optional<DockerEngine> engine,
      Set<Integer> claimed) {
    List<String> notes = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    Optional<InspectedContainer> inspected = engine.flatMap(e -> inspect(e, id, notes));
    if (engine.isEmpty()) {
      notes.add("no engine answered: attributed by cgroup and descent only, without name or configuration");
    }
    int init = inspected.map(InspectedContainer::hostPid).filter(pid -> pid > 0).orElseGet(() -> firstOf(table, id));
    Set<String> others = new HashSet<>(ids);
    others.remove(id);
    Attribution.Result attributed = Attribution.of(table, new Attribution.Container(id, init,
        inspected.map(c -> c.config().sharesHostPids()).orElse(false),
        inspected.map(c -> c.config().sharesContainerPids()).orElse(false), Optional.of(others)));
    notes.addAll(attributed.notes());
    ProcessReader reader = new ProcessReader(proc, errors, notes);
    List<ProcessSnapshot> processes = new ArrayList<>();
    for (Attribution.Member member : attributed.members()) {
      if (claimed.add(member.entry().pid())) {
        reader.read(member, attributed.level()).ifPresent(processes::add);
      }
    }
    String shortId = id.substring(0, 12);
    return new TargetSnapshot(TargetKind.CONTAINER, id, inspected.map(InspectedContainer::name).orElse(shortId),
        inspected.map(InspectedContainer::image).orElse(""),
        inspected.map(InspectedContainer::labels).orElse(Map.of()),
        inspected.map(InspectedContainer::config).map(ContainerConfig.class::cast), processes, List.of(), errors,
        notes, Optional.empty(), TargetOrigin.UNKNOWN.withEngine(engine.map(DockerEngine::host).orElse(""))
            .withNode(proc.hostname().orElse("")));
  }

  /** The lowest host pid in the container's cgroup: its init, as far as the cgroup alone can tell. */
  private static int firstOf(ProcessTable table, String id) {
    for (ProcessTable.Entry entry : table.entries()) {
      if (entry.containerIds().contains(id)) {
        return entry.pid();
      }
    }
    return 0;
  }

  private Optional<InspectedContainer> inspect(DockerEngine engine, String id, List<String> notes) {
    try {
      Optional<String> json = engine.inspectRaw(id);
      if (json.isEmpty()) {
        notes.add("the engine at " + engine.host() + " does not know this container: attributed by cgroup and"
            + " descent only");
        return Optional.empty();
      }
      List<InspectedContainer> parsed = InspectParser.parse(json.get(), proc.kernelCapabilities());
      return parsed.isEmpty() ? Optional.empty() : Optional.of(parsed.get(0));
    } catch (IOException e) {
      notes.add("inspect failed: " + e.getMessage());
      return Optional.empty();
    }
  }
}
