package dev.capaudit.reports;

import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySets;
import dev.capaudit.rules.model.ContainerConfig;
import dev.capaudit.rules.model.ExecView;
import dev.capaudit.rules.model.ObservationSource;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.model.TargetOrigin;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.proc.ProcStatus;
import dev.capaudit.rules.proc.SeccompMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A generated fleet shaped like what {@code capaudit scan} reads from a Docker host: each container with its
 * configuration, 5 processes read from the host's /proc, and the exec views the runtime's spec gives. A third run
 * Docker's defaults as root, a third add SYS_ADMIN and SYS_PTRACE (some NET_ADMIN too), a third step down to a
 * non-root agent that keeps SYS_ADMIN in its bounding set; one in a hundred exited before it could be read.
 */
public final class BenchFleet {
  static final CapabilityMask DEFAULTS = CapabilityMask.parse("0xa80425fb");
  private static final CapabilityMask PERMISSIVE = CapabilityMask.parse("0xa82c25fb");
  private static final CapabilityMask NET_ADMIN = CapabilityMask.parse("0x1000");
  private static final CapabilityMask AGENT = CapabilityMask.parse("0x200100");

  private BenchFleet() {}

  public static List<TargetSnapshot> of(int containers) {
    List<TargetSnapshot> fleet = new ArrayList<>();
    for (int c = 0; c < containers; c++) {
      fleet.add(c % 100 == 99 ? exited(c) : container(c));
    }
    return fleet;
  }

  private static TargetSnapshot container(int c) {
    boolean agent = c % 3 == 2;
    List<String> capAdd = c % 3 == 1 ? new ArrayList<>(List.of("SYS_ADMIN", "SYS_PTRACE")) : new ArrayList<>();
    CapabilityMask bounding = agent ? AGENT : c % 3 == 1 ? PERMISSIVE : DEFAULTS;
    if (c % 7 == 0 && !agent) {
      capAdd.add("NET_ADMIN");
      bounding = bounding.union(NET_ADMIN);
    }
    int uid = agent ? 1000 : 0;
    List<ProcessSnapshot> processes = new ArrayList<>();
    for (int p = 1; p <= 5; p++) {
      CapabilityMask held = uid == 0 ? bounding : CapabilityMask.EMPTY;
      int hostPid = 20000 + c * 10 + p;
      ProcStatus status = new ProcStatus(hostPid, List.of(hostPid, p), p == 1 ? 1 : 20000 + c * 10 + 1,
          p == 1 ? "entrypoint" : "worker-" + (p % 2), uid, uid, uid, uid,
          CapabilitySets.of(CapabilityMask.EMPTY, held, held, bounding, CapabilityMask.EMPTY),
          Optional.of(false), Optional.of(SeccompMode.FILTER));
      processes.add(ProcessSnapshot.of(status, ObservationSource.HOST_PROC));
    }
    List<ExecView> exec = new ArrayList<>();
    exec.add(new ExecView("0", true, CapabilitySets.of(CapabilityMask.EMPTY, bounding, bounding, bounding,
        CapabilityMask.EMPTY), Optional.of(false), ObservationSource.OCI_SPEC));
    if (agent) {
      exec.add(new ExecView("1000", false, CapabilitySets.of(CapabilityMask.EMPTY, CapabilityMask.EMPTY,
          CapabilityMask.EMPTY, bounding, CapabilityMask.EMPTY), Optional.of(false), ObservationSource.OCI_SPEC));
    }
    ContainerConfig config = new ContainerConfig(false, capAdd, agent ? List.of("ALL") : List.of(), bounding,
        agent ? "1000" : "", false, Optional.empty(), List.of());
    return new TargetSnapshot(TargetKind.CONTAINER, id(c), "svc-" + c, "registry/app:" + (c % 7),
        labels(c), Optional.of(config), processes, exec, List.of(), List.of())
        .withOrigin(origin(c));
  }

  private static TargetSnapshot exited(int c) {
    return TargetSnapshot.unreadable(TargetKind.CONTAINER, id(c), "svc-" + c,
        "registry/app:" + (c % 7), "the container exited while it was audited (no process to read)")
        .withOrigin(origin(c));
  }

  /** A container id as an engine gives it: 64 hex digits that differ from the first. */
  private static String id(int c) {
    return String.format("%016x", (c + 1) * 0x9E3779B97F4A7C15L).repeat(4);
  }

  private static Map<String, String> labels(int c) {
    return Map.of("com.docker.compose.project", "shop", "com.docker.compose.service", "svc-" + c, "team",
        "t" + (c % 5));
  }

  private static TargetOrigin origin(int c) {
    return new TargetOrigin("unix:///var/run/docker.sock", "docker", "", "node-" + (c % 4), Optional.empty());
  }
}
