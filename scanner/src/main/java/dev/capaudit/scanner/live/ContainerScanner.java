package dev.capaudit.scanner.live;

import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.capability.CapabilitySets;
import dev.capaudit.rules.model.ContainerConfig;
import dev.capaudit.rules.model.ExecView;
import dev.capaudit.rules.model.ObservationSource;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.model.TargetOrigin;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.model.ThreadSnapshot;
import dev.capaudit.rules.proc.ProcStatus;
import dev.capaudit.rules.proc.ProcStatusFormatException;
import dev.capaudit.rules.proc.ProcStatusParser;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.docker.ExecResult;
import dev.capaudit.scanner.inspect.InspectParser;
import dev.capaudit.scanner.inspect.InspectedContainer;
import dev.capaudit.scanner.proc.Attribution;
import dev.capaudit.scanner.proc.ProcessReader;
import dev.capaudit.scanner.proc.ProcessTable;
import dev.capaudit.scanner.runtime.ContainerFiles;
import dev.capaudit.scanner.runtime.OciBundle;
import dev.capaudit.scanner.runtime.OciSpec;
import dev.capaudit.scanner.runtime.SpecCapabilities;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Audits one container: its configuration from inspect and the runtime's own OCI spec, its processes and threads
 * from the host's /proc (or, failing that, one exec through its own binaries), and the view an exec shell gets. It
 * changes nothing; its only effect on the container is the exec probes, when they run.
 */
final class ContainerScanner {
  private final DockerEngine engine;
  private final Optional<HostView> host;
  private final ScanSettings settings;
  private final CapabilityMask allCapabilities;
  private final TargetOrigin origin;

  /**
   * @param allCapabilities what ALL and privileged expand to on this engine, for the inspect-based computation
   * @param origin the engine and runtime every target of this scan is found on
   */
  ContainerScanner(DockerEngine engine, Optional<HostView> host, ScanSettings settings,
      CapabilityMask allCapabilities, TargetOrigin origin) {
    this.engine = engine;
    this.host = host;
    this.settings = settings;
    this.allCapabilities = allCapabilities;
    this.origin = origin;
  }

  TargetSnapshot scan(String nameOrId) {
    Optional<InspectedContainer> inspected;
    try {
      inspected = inspect(nameOrId);
    } catch (IOException e) {
      return TargetSnapshot.unreadable(TargetKind.CONTAINER, "", nameOrId, "", e.getMessage()).withOrigin(origin);
    }
    if (inspected.isEmpty()) {
      return TargetSnapshot.unreadable(TargetKind.CONTAINER, "", nameOrId, "", "no such container: " + nameOrId)
          .withOrigin(origin);
    }
    return new Observation(inspected.get()).read();
  }

  private Optional<InspectedContainer> inspect(String nameOrId) throws IOException {
    Optional<String> json = engine.inspectRaw(nameOrId);
    if (json.isEmpty()) {
      return Optional.empty();
    }
    List<InspectedContainer> parsed = InspectParser.parse(json.get(), allCapabilities);
    return parsed.isEmpty() ? Optional.empty() : Optional.of(parsed.get(0));
  }

  /** The reading of one container, collecting errors and notes as it goes. */
  private final class Observation {
    private final InspectedContainer container;
    private final List<String> errors = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private boolean probeFailed;

    Observation(InspectedContainer container) {
      this.container = container;
    }

    TargetSnapshot read() {
      ContainerConfig config = container.config();
      List<ProcessSnapshot> processes = List.of();
      List<ExecView> exec = List.of();
      if (!container.running()) {
        errors.add("container is " + container.state() + ", not running: judged on its configuration only; with no"
            + " process to audit it cannot pass");
      } else {
        Optional<HostView> local = host.filter(this::visibleHere);
        Optional<OciSpec> spec = local.flatMap(h -> h.bundles().find(container.id(), container.hostPid(),
            notes::add)).map(OciBundle::spec);
        List<String> problems = new ArrayList<>();
        Optional<CapabilitySets> specSets = spec.flatMap(s -> SpecCapabilities.of(s, problems));
        problems.forEach(problem -> notes.add(problem + "; the configuration is computed from inspect instead"));
        if (specSets.isPresent()) {
          config = withSpecBoundingSet(config, specSets.get().getOrEmpty(CapabilitySetKind.BOUNDING));
        } else if (local.isPresent()) {
          notes.add("the runtime's OCI spec was not found on this host: the bounding set is computed from the"
              + " configuration as the engine computes it");
        }
        processes = local.map(this::fromHostProc).orElseGet(this::fromExecDump);
        exec = execViews(config, spec, specSets, local);
        stillRunning(local);
      }
      return new TargetSnapshot(TargetKind.CONTAINER, container.id(), container.name(), container.image(),
          container.labels(), Optional.of(config), processes, exec, errors, notes, Optional.empty(),
          origin);
    }

    /**
     * The same pid number on this host may be someone else's process when the engine runs elsewhere: the host's
     * view is used only when the container's init is here, in the container's cgroup.
     */
    private boolean visibleHere(HostView view) {
      Optional<ProcessTable.Entry> init = view.table().get(container.hostPid());
      if (init.isPresent() && init.get().containerIds().contains(container.id())) {
        return true;
      }
      notes.add("the host's /proc, as read for this scan, does not show pid " + container.hostPid() + " (State.Pid)"
          + " in this container's cgroup: the engine runs elsewhere, or the container started after /proc was read;"
          + " processes were read through the container's own binaries");
      return false;
    }

    /** The runtime applied its spec: where the settings predict another set, the spec is right and it is said. */
    private ContainerConfig withSpecBoundingSet(ContainerConfig config, CapabilityMask applied) {
      if (!applied.equals(config.boundingSet())) {
        notes.add("the runtime's OCI spec gives the bounding set " + applied + "; computed from the configuration"
            + " it would be " + config.boundingSet() + ": the spec's, which the runtime applied, is used");
      }
      return config.withBoundingSet(applied);
    }

    private List<ProcessSnapshot> fromHostProc(HostView view) {
      Attribution.Result attributed = Attribution.of(view.table(), new Attribution.Container(container.id(),
          container.hostPid(), container.config().sharesHostPids(), container.config().sharesContainerPids(),
          view.containerIds()));
      notes.addAll(attributed.notes());
      ProcessReader reader = new ProcessReader(view.proc(), errors, notes);
      List<ProcessSnapshot> processes = new ArrayList<>();
      for (Attribution.Member member : attributed.members()) {
        reader.read(member, attributed.level()).ifPresent(processes::add);
      }
      if (processes.isEmpty()) {
        errors.add("no process of the container could be read from the host's /proc");
      }
      return processes;
    }

    private List<ProcessSnapshot> fromExecDump() {
      if (container.paused()) {
        errors.add("container is paused and the host's /proc cannot be read: its processes cannot be listed");
        return List.of();
      }
      ExecResult result;
      try {
        result = probes(Optional.empty()).run("0", ProcStatusDump.COMMAND);
      } catch (IOException e) {
        errors.add("cannot list processes through the container (no shell or cat?): " + e.getMessage());
        return List.of();
      }
      if (!result.succeeded()) {
        errors.add("cannot list processes through the container (no shell or cat?): " + result.failure());
        return List.of();
      }
      notes.add("processes were read through the container's own sh and cat: a compromised image could lie");
      List<ProcessSnapshot> processes = processesOf(ProcStatusDump.split(result.stdout()));
      if (processes.isEmpty()) {
        errors.add("the exec dump listed no process");
      }
      return processes;
    }

    /** Groups the dump's thread sections by process: the leader's status, and the threads that differ from it. */
    private List<ProcessSnapshot> processesOf(List<ProcStatusDump.Section> sections) {
      Map<Integer, ProcStatus> leaders = new LinkedHashMap<>();
      Map<Integer, List<ThreadSnapshot>> threads = new LinkedHashMap<>();
      for (ProcStatusDump.Section section : sections) {
        Optional<ProcStatus> status = parse(section.text(), "exec dump of pid " + section.pid());
        if (status.isEmpty()) {
          continue;
        }
        if (section.leader()) {
          leaders.put(section.pid(), status.get());
        } else {
          threads.computeIfAbsent(section.pid(), k -> new ArrayList<>())
              .add(new ThreadSnapshot(section.tid(), status.get()));
        }
      }
      List<ProcessSnapshot> processes = new ArrayList<>();
      leaders.forEach((pid, leader) -> processes.add(new ProcessSnapshot(leader, pid, 0,
          ObservationSource.CONTAINER_EXEC, threads.getOrDefault(pid, List.of()).stream()
              .filter(t -> !t.sameCredentials(leader)).toList())));
      return processes;
    }

    private ProbeRunner probes(Optional<HostView> local) {
      return new ProbeRunner(engine, local.map(HostView::proc).or(() -> host.map(HostView::proc)), settings,
          container.id(), notes);
    }

    private List<ExecView> execViews(ContainerConfig config, Optional<OciSpec> spec,
        Optional<CapabilitySets> specSets, Optional<HostView> local) {
      Optional<ContainerFiles> files = local.map(h -> ContainerFiles.of(h.proc(), container.hostPid()));
      ExecViewReader reader = new ExecViewReader(Optional.of(probes(local)), settings.execViewMode(),
          ExecViewReader.Container.of(config, spec, specSets, files, !container.paused(),
              container.paused() ? "the container is paused" : ""), errors, notes);
      List<ExecView> views = reader.read(ExecViews.users(config.user(), settings.execUsers()));
      probeFailed = reader.probeFailed();
      return views;
    }

    private void stillRunning(Optional<HostView> local) {
      if (probeFailed) {
        // A failed probe is often the first sign of a container going away; the engine and the kernel need a
        // moment to show it (pid 1 lingers as a zombie until the shim reaps it).
        pause(Duration.ofMillis(300));
      }
      if (local.isPresent()) {
        // The kernel's own account settles it: no second round trip to the engine.
        if (!alive(local.get(), container.hostPid())) {
          errors.add("container exited during the scan (pid 1 is gone); what was read may be incomplete");
        }
        return;
      }
      try {
        Optional<InspectedContainer> after = inspect(container.id());
        if (after.isEmpty() || !after.get().running()) {
          errors.add("container exited during the scan; what was read may be incomplete");
        }
      } catch (IOException e) {
        errors.add("cannot confirm the container still runs: " + e.getMessage());
      }
    }

    /** Alive: its status is there and it is not a zombie, or it is a zombie leader whose threads live on. */
    private static boolean alive(HostView view, int pid) {
      Optional<String> status = view.proc().status(pid);
      if (status.isEmpty()) {
        return false;
      }
      if (!ProcessTable.isZombie(status.get())) {
        return view.proc().pidNamespace(pid).isPresent();
      }
      return view.proc().taskIds(pid).stream().anyMatch(tid -> tid != pid
          && view.proc().taskStatus(pid, tid).filter(text -> !ProcessTable.isZombie(text)).isPresent());
    }

    private static void pause(Duration duration) {
      try {
        Thread.sleep(duration.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private Optional<ProcStatus> parse(String text, String what) {
      try {
        return Optional.of(ProcStatusParser.parse(text));
      } catch (ProcStatusFormatException e) {
        errors.add(what + ": " + e.getMessage());
        return Optional.empty();
      }
    }
  }
}
