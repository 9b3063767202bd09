package dev.capaudit.scanner.live;

import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.model.ContainerConfig;
import dev.capaudit.rules.model.ExecView;
import dev.capaudit.rules.model.ObservationSource;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.proc.ProcStatus;
import dev.capaudit.rules.proc.ProcStatusFormatException;
import dev.capaudit.rules.proc.ProcStatusParser;
import dev.capaudit.scanner.docker.DockerEngine;
import dev.capaudit.scanner.docker.ExecResult;
import dev.capaudit.scanner.inspect.InspectParser;
import dev.capaudit.scanner.inspect.InspectedContainer;
import dev.capaudit.scanner.proc.HostProc;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Audits one container: its configuration from inspect, its processes from the host's /proc (or, failing that, one
 * exec through its own binaries), and the view an exec shell gets. It changes nothing; its only effect on the
 * container is exec probes.
 */
final class ContainerScanner {
  private final DockerEngine engine;
  private final Optional<HostView> host;
  private final ScanSettings settings;
  private final CapabilityMask kernelCapabilities;

  ContainerScanner(DockerEngine engine, Optional<HostView> host, ScanSettings settings,
      CapabilityMask kernelCapabilities) {
    this.engine = engine;
    this.host = host;
    this.settings = settings;
    this.kernelCapabilities = kernelCapabilities;
  }

  TargetSnapshot scan(String nameOrId) {
    Optional<InspectedContainer> inspected;
    try {
      inspected = inspect(nameOrId);
    } catch (IOException e) {
      return TargetSnapshot.unreadable(TargetKind.CONTAINER, "", nameOrId, "", e.getMessage());
    }
    if (inspected.isEmpty()) {
      return TargetSnapshot.unreadable(TargetKind.CONTAINER, "", nameOrId, "", "no such container: " + nameOrId);
    }
    return new Observation(inspected.get()).read();
  }

  private Optional<InspectedContainer> inspect(String nameOrId) throws IOException {
    Optional<String> json = engine.inspectRaw(nameOrId);
    if (json.isEmpty()) {
      return Optional.empty();
    }
    List<InspectedContainer> parsed = InspectParser.parse(json.get(), kernelCapabilities);
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
      List<ProcessSnapshot> processes = List.of();
      List<ExecView> exec = List.of();
      if (!container.running()) {
        errors.add("container is not running (state " + container.state() + "): no process to audit");
      } else {
        processes = processes();
        exec = execViews();
        stillRunning();
      }
      return new TargetSnapshot(TargetKind.CONTAINER, container.id(), container.name(), container.image(),
          container.labels(), Optional.of(container.config()), processes, exec, errors, notes);
    }

    private List<ProcessSnapshot> processes() {
      if (host.isPresent()) {
        Optional<List<ProcessSnapshot>> fromHost = fromHostProc(host.get());
        if (fromHost.isPresent()) {
          return fromHost.get();
        }
      }
      if (container.paused()) {
        errors.add("container is paused and the host's /proc cannot be read: its processes cannot be listed");
        return List.of();
      }
      return fromExecDump();
    }

    private Optional<List<ProcessSnapshot>> fromHostProc(HostView view) {
      Optional<String> namespace = view.proc().pidNamespace(container.hostPid());
      Optional<String> owner = view.proc().containerIdFromCgroup(container.hostPid());
      // The same pid number on this host may be someone else's process when the engine runs elsewhere.
      if (namespace.isEmpty() || owner.isPresent() && !owner.get().equals(container.id())) {
        notes.add("the host's /proc has no pid " + container.hostPid() + " (State.Pid): the engine runs elsewhere;"
            + " processes were read through the container's own binaries");
        return Optional.empty();
      }
      if (view.index().unreadable(container.id()) > 0) {
        notes.add(view.index().unreadable(container.id()) + " of the container's processes could not be placed from"
            + " the host's /proc: processes were read through the container's own binaries instead");
        return Optional.empty();
      }
      List<ProcessSnapshot> processes = new ArrayList<>();
      for (int pid : view.index().pidsOf(container.id(), namespace.get(), view.proc().pidNamespace(1))) {
        view.proc().status(pid).flatMap(text -> parse(text, "host pid " + pid))
            .ifPresent(status -> processes.add(ProcessSnapshot.of(status, ObservationSource.HOST_PROC)));
      }
      if (processes.isEmpty()) {
        errors.add("no process of the container's pid namespace " + namespace.get() + " could be read");
      }
      return Optional.of(processes);
    }

    private List<ProcessSnapshot> fromExecDump() {
      ExecResult result;
      try {
        result = engine.exec(container.id(), "0", ProcStatusDump.COMMAND, settings.execTimeout(),
            settings.execOutputCap());
      } catch (IOException e) {
        errors.add("cannot list processes through the container (no shell or cat?): " + e.getMessage());
        return List.of();
      }
      if (!result.succeeded()) {
        errors.add("cannot list processes through the container (no shell or cat?): " + result.failure());
        return List.of();
      }
      List<ProcessSnapshot> processes = new ArrayList<>();
      for (String section : ProcStatusDump.split(result.stdout())) {
        parse(section, "exec dump").ifPresent(s -> processes.add(ProcessSnapshot.of(s,
            ObservationSource.CONTAINER_EXEC)));
      }
      notes.add("processes were read through the container's own sh and cat: a compromised image could lie");
      if (processes.isEmpty()) {
        errors.add("the exec dump listed no process");
      }
      return processes;
    }

    private List<ExecView> execViews() {
      List<ExecView> views = new ArrayList<>();
      for (String user : ExecViews.users(container.config().user(), settings.execUsers())) {
        views.add(execView(user, container.config()));
      }
      return views;
    }

    private ExecView execView(String user, ContainerConfig config) {
      String reason;
      if (!settings.probeExec()) {
        reason = "probing disabled with --exec-view derive";
      } else if (container.paused()) {
        reason = "the container is paused";
      } else {
        try {
          ExecResult result = engine.exec(container.id(), user, ExecViews.PROBE_COMMAND, settings.execTimeout(),
              settings.execOutputCap());
          if (result.succeeded()) {
            Optional<ProcStatus> status = parse(result.stdout(), "exec probe as " + user);
            if (status.isPresent()) {
              return checked(user, status.get(), config);
            }
          }
          reason = result.failure();
        } catch (IOException e) {
          reason = e.getMessage();
        }
        probeFailed = true;
      }
      notes.add("exec view as " + user + " derived from the configured bounding set " + config.boundingSet()
          + ": no probe ran (" + reason + ")");
      return ExecViews.derived(user, config);
    }

    /** A container whose pid 1 died while it was read is not a pass: what was read may be half of it. */
    /**
     * The probe runs the container's own cat, which a hostile image can replace. The engine starts an exec from the
     * container's configured bounding set, so a probe showing less than that is not believed: the view is judged by
     * the configured set and the disagreement is noted. A probe showing more is kept: it is what was observed.
     */
    private ExecView checked(String user, ProcStatus status, ContainerConfig config) {
      boolean root = status.runsAsRoot() || ExecViews.isRoot(user);
      CapabilityMask probed = status.capabilities().getOrEmpty(CapabilitySetKind.BOUNDING);
      if (!config.boundingSet().minus(probed).isEmpty()) {
        notes.add("the exec probe as " + user + " reported CapBnd=" + probed + ", less than the configured "
            + config.boundingSet() + ": the container's cat may lie; judged by the configured set");
        ExecView derived = ExecViews.derived(user, config);
        return new ExecView(user, root, root == derived.root() ? derived.capabilities()
            : ExecViews.derived(root ? "0" : user, config).capabilities(), derived.noNewPrivs(),
            ObservationSource.DERIVED);
      }
      return new ExecView(user, root, status.capabilities(), status.noNewPrivs(), ObservationSource.EXEC_PROBE);
    }

    private void stillRunning() {
      if (probeFailed) {
        // A failed probe is often the first sign of a container going away; the engine and the kernel need a
        // moment to show it (pid 1 lingers as a zombie until the shim reaps it).
        pause(Duration.ofMillis(300));
      }
      if (host.isPresent() && !alive(host.get().proc(), container.hostPid())) {
        errors.add("container exited during the scan (pid 1 is gone); what was read may be incomplete");
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

    private static boolean alive(HostProc proc, int pid) {
      return proc.pidNamespace(pid).isPresent()
          && proc.status(pid).map(text -> !text.contains("\nState:\tZ") && !text.contains("\nState:\tX"))
              .orElse(false);
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
