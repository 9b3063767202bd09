package dev.capaudit.scanner.live;

import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.model.ContainerConfig;
import dev.capaudit.rules.model.ExecView;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.model.TargetOrigin;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.docker.EngineCapabilities;
import dev.capaudit.scanner.docker.EngineInfo;
import dev.capaudit.scanner.inspect.InspectParser;
import dev.capaudit.scanner.inspect.InspectedContainer;
import dev.capaudit.scanner.proc.Attribution;
import dev.capaudit.scanner.proc.HostProc;
import dev.capaudit.scanner.proc.ProcessReader;
import dev.capaudit.scanner.proc.ProcessTable;
import dev.capaudit.scanner.runtime.BundleLocator;
import dev.capaudit.scanner.runtime.ContainerFiles;
import dev.capaudit.scanner.runtime.DiscoveredContainer;
import dev.capaudit.scanner.runtime.OciBundle;
import dev.capaudit.scanner.runtime.RuntimeDiscovery;
import dev.capaudit.scanner.runtime.SpecCapabilities;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every process on a node, each attributed to its container or to the host itself. Containers are found in the
 * runtimes' own state (Docker, containerd and its Kubernetes pods, Podman, CRI-O) with no engine API; an engine, when
 * one answers, only names a container the state did not show. A container is attributed its processes exactly as a
 * container scan does (cgroup, own pid namespace, descent), and its exec views come from its spec.
 */
public final class HostScanner {
  private final HostProc proc;
  private final HostScanSettings settings;

  public HostScanner(HostProc proc) {
    this(proc, HostScanSettings.defaults());
  }

  public HostScanner(HostProc proc, HostScanSettings settings) {
    this.proc = proc;
    this.settings = settings;
  }

  public List<TargetSnapshot> scan(Optional<DockerEngine> engine) throws IOException {
    ProcessTable table = ProcessTable.read(proc);
    // In a pod the kernel's hostname is the pod's: the node's own name is given (--node) where it differs.
    String node = settings.node().or(proc::hostname).orElse("host");
    CapabilityMask kernel = proc.kernelCapabilities();
    EngineInfo info = engine.map(HostScanner::info).orElse(EngineInfo.UNKNOWN);
    List<String> problems = new ArrayList<>();
    BundleLocator bundles = new BundleLocator(proc, settings.layout().hostRoot(), settings.runtimeRoots());
    List<DiscoveredContainer> discovered = new RuntimeDiscovery(proc, settings.layout(), bundles,
        EngineCapabilities.all(info.serverVersion().isEmpty() ? new EngineInfo("20.10", "", "", "") : info, kernel),
        kernel, node).discover(problems);
    Map<String, DiscoveredContainer> byId = new LinkedHashMap<>();
    discovered.stream().filter(DiscoveredContainer::running).forEach(c -> byId.put(c.id(), c));
    Set<String> ids = new LinkedHashSet<>(byId.keySet());
    for (ProcessTable.Entry entry : table.entries()) {
      if (!entry.kernelThread() && !entry.containerIds().isEmpty()) {
        ids.add(entry.containerIds().iterator().next());
      }
    }
    Set<Integer> claimed = new HashSet<>();
    List<TargetSnapshot> containers = new ArrayList<>();
    for (String id : ids) {
      TargetSnapshot target = Optional.ofNullable(byId.get(id))
          .map(c -> fromState(table, c, ids, claimed))
          .orElseGet(() -> fromCgroup(table, id, ids, engine, claimed, node));
      if (settings.filter().accepts(target.origin(), target.labels())) {
        containers.add(target);
      }
    }
    List<TargetSnapshot> unnamed = unnamed(table, claimed, node);
    List<TargetSnapshot> targets = new ArrayList<>();
    if (!settings.filter().any()) {
      targets.add(hostTarget(table, claimed, node, problems));
      targets.addAll(unnamed);
    }
    targets.addAll(containers);
    return targets;
  }

  private static EngineInfo info(DockerEngine engine) {
    try {
      return engine.info();
    } catch (IOException e) {
      return EngineInfo.UNKNOWN;
    }
  }

  private TargetSnapshot hostTarget(ProcessTable table, Set<Integer> claimed, String node, List<String> problems) {
    // State that could not be read may hide containers among these processes: the host's audit is then incomplete.
    List<String> errors = new ArrayList<>(problems);
    List<String> notes = new ArrayList<>(List.of("every process outside a container on this host"));
    List<ProcessSnapshot> processes = new ArrayList<>();
    ProcessReader reader = new ProcessReader(proc, errors, notes);
    for (ProcessTable.Entry entry : table.entries()) {
      if (!entry.kernelThread() && !claimed.contains(entry.pid())) {
        reader.read(new Attribution.Member(entry, entry.pid()), 0).ifPresent(processes::add);
      }
    }
    return new TargetSnapshot(TargetKind.HOST, node, node, "", Map.of(), Optional.empty(), processes, List.of(),
        errors, notes, Optional.empty(), TargetOrigin.UNKNOWN.withNode(node));
  }

  /** A container its runtime's state describes: configuration and exec views from its spec. */
  private TargetSnapshot fromState(ProcessTable table, DiscoveredContainer container, Set<String> known,
      Set<Integer> claimed) {
    List<String> errors = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    ContainerConfig config = container.config().orElse(null);
    List<ProcessSnapshot> processes = processes(table, container.id(), container.initPid(),
        config != null && config.sharesHostPids(), config != null && config.sharesContainerPids(), known, claimed,
        errors, notes);
    List<ExecView> exec = List.of();
    if (config != null) {
      List<String> problems = new ArrayList<>();
      ExecViewReader reader = new ExecViewReader(Optional.empty(), ExecViewMode.DERIVE,
          ExecViewReader.Container.of(config, container.bundle().map(OciBundle::spec),
              container.bundle().flatMap(b -> SpecCapabilities.of(b.spec(), problems)),
              Optional.of(ContainerFiles.of(proc, container.initPid())), false, "no engine"),
          errors, notes);
      exec = reader.read(ExecViews.users(config.user(), List.of()));
      notes.addAll(problems);
    } else {
      errors.add("the runtime's spec of this container cannot be read: its configuration is unknown");
    }
    if (processes.isEmpty()) {
      errors.add("no process of the container could be read from the host's /proc");
    }
    return new TargetSnapshot(TargetKind.CONTAINER, container.id(), container.name(), container.image(),
        container.labels(), Optional.ofNullable(config), processes, exec, errors, notes, Optional.empty(),
        container.origin());
  }

  /** A container only its processes' cgroup names: the engine, when one answers, names and configures it. */
  private TargetSnapshot fromCgroup(ProcessTable table, String id, Set<String> known, Optional<DockerEngine> engine,
      Set<Integer> claimed, String node) {
    List<String> notes = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    Optional<InspectedContainer> inspected = engine.flatMap(e -> inspect(e, id, notes));
    if (inspected.isEmpty()) {
      errors.add("no runtime state or engine describes this container (attributed by its cgroup): its configuration"
          + " and exec views are unknown");
    }
    int init = inspected.map(InspectedContainer::hostPid).filter(pid -> pid > 0).orElseGet(() -> firstOf(table, id));
    List<ProcessSnapshot> processes = processes(table, id, init,
        inspected.map(c -> c.config().sharesHostPids()).orElse(false),
        inspected.map(c -> c.config().sharesContainerPids()).orElse(false), known, claimed, errors, notes);
    String shortId = id.substring(0, 12);
    return new TargetSnapshot(TargetKind.CONTAINER, id, inspected.map(InspectedContainer::name).orElse(shortId),
        inspected.map(InspectedContainer::image).orElse(""),
        inspected.map(InspectedContainer::labels).orElse(Map.of()),
        inspected.map(InspectedContainer::config).map(ContainerConfig.class::cast), processes, List.of(), errors,
        notes, Optional.empty(), TargetOrigin.UNKNOWN.withEngine(engine.map(DockerEngine::host).orElse(""))
            .withRuntime(inspected.isPresent() ? "docker" : "").withNode(node));
  }

  /**
   * Processes in a pid namespace below the host's that nothing else claimed: a container of a runtime capaudit does
   * not read, one whose state could not be read, or a sandbox on the host. Each such tree is a target of its own,
   * never folded into the host's, and incomplete: nothing names or configures it.
   */
  private List<TargetSnapshot> unnamed(ProcessTable table, Set<Integer> claimed, String node) {
    Map<Integer, List<ProcessTable.Entry>> trees = new TreeMap<>();
    for (ProcessTable.Entry entry : table.entries()) {
      if (!entry.kernelThread() && !claimed.contains(entry.pid()) && nested(entry)) {
        trees.computeIfAbsent(topOf(table, entry, claimed), k -> new ArrayList<>()).add(entry);
      }
    }
    List<TargetSnapshot> targets = new ArrayList<>();
    trees.forEach((top, entries) -> {
      List<String> errors = new ArrayList<>(List.of("no runtime state, engine or cgroup names these processes in"
          + " a pid namespace of their own (below host pid " + top + "): a container capaudit cannot name, whose"
          + " configuration and exec views are unknown"));
      List<String> notes = new ArrayList<>();
      List<ProcessSnapshot> processes = new ArrayList<>();
      ProcessReader reader = new ProcessReader(proc, errors, notes);
      for (ProcessTable.Entry entry : entries) {
        claimed.add(entry.pid());
        List<Integer> nsPids = entry.status().map(st -> st.nsPids()).orElse(List.of());
        reader.read(new Attribution.Member(entry, nsPids.isEmpty() ? entry.pid() : nsPids.get(nsPids.size() - 1)),
            Math.max(0, nsPids.size() - 1)).ifPresent(processes::add);
      }
      String id = "pidns-" + top;
      targets.add(new TargetSnapshot(TargetKind.CONTAINER, id, "unnamed pid namespace of host pid " + top, "",
          Map.of(), Optional.empty(), processes, List.of(), errors, notes, Optional.empty(),
          TargetOrigin.UNKNOWN.withNode(node)));
    });
    return targets;
  }

  /** Whether the process runs in a pid namespace below the one this /proc belongs to (NSpid has several pids). */
  private static boolean nested(ProcessTable.Entry entry) {
    return entry.status().map(st -> st.nsPids().size() > 1).orElse(false);
  }

  /** The outermost unclaimed ancestor still in a nested namespace: the tree's first process. */
  private static int topOf(ProcessTable table, ProcessTable.Entry entry, Set<Integer> claimed) {
    ProcessTable.Entry top = entry;
    for (int depth = 0; depth < 4096; depth++) {
      Optional<ProcessTable.Entry> parent = table.get(top.ppid()).filter(p -> !claimed.contains(p.pid()))
          .filter(HostScanner::nested);
      if (parent.isEmpty() || parent.get().pid() == top.pid()) {
        break;
      }
      top = parent.get();
    }
    return top.pid();
  }

  private List<ProcessSnapshot> processes(ProcessTable table, String id, int init, boolean sharesHost,
      boolean sharesContainer, Set<String> known, Set<Integer> claimed, List<String> errors, List<String> notes) {
    Attribution.Result attributed = Attribution.of(table, new Attribution.Container(id, init, sharesHost,
        sharesContainer, Optional.of(known)));
    notes.addAll(attributed.notes());
    ProcessReader reader = new ProcessReader(proc, errors, notes);
    List<ProcessSnapshot> processes = new ArrayList<>();
    for (Attribution.Member member : attributed.members()) {
      if (claimed.add(member.entry().pid())) {
        reader.read(member, attributed.level()).ifPresent(processes::add);
      }
    }
    return processes;
  }

  /** The lowest host pid in the container's cgroup: its init, as far as the cgroup alone can tell. */
  private static int firstOf(ProcessTable table, String id) {
    return table.inContainer(id).stream().mapToInt(ProcessTable.Entry::pid).min().orElse(0);
  }

  private Optional<InspectedContainer> inspect(DockerEngine engine, String id, List<String> notes) {
    try {
      Optional<String> json = engine.inspectRaw(id);
      if (json.isEmpty()) {
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
