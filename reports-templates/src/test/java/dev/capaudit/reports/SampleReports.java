package dev.capaudit.reports;

import dev.capaudit.reports.json.JsonReport;
import dev.capaudit.rules.baseline.BaselineComparison;
import dev.capaudit.rules.baseline.BaselineEntry;
import dev.capaudit.rules.baseline.FindingKey;
import dev.capaudit.rules.baseline.HolderKey;
import dev.capaudit.rules.baseline.TargetKey;
import dev.capaudit.rules.engine.CapabilityRef;
import dev.capaudit.rules.engine.Rules;
import dev.capaudit.rules.policy.AuditContext;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.capability.CapabilitySets;
import dev.capaudit.rules.engine.AuditResult;
import dev.capaudit.rules.engine.Auditor;
import dev.capaudit.rules.model.ContainerConfig;
import dev.capaudit.rules.model.ExecView;
import dev.capaudit.rules.model.ImageFacts;
import dev.capaudit.rules.model.KubernetesIdentity;
import dev.capaudit.rules.model.ObservationSource;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.PrivilegedFile;
import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.model.TargetOrigin;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.model.ThreadSnapshot;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.rules.proc.ProcStatus;
import dev.capaudit.rules.proc.SeccompMode;
import dev.capaudit.scanner.policy.PolicyFiles;
import dev.capaudit.scanner.snapshot.SnapshotFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds audit reports for writer tests from samples/, with a fixed time so outputs are reproducible. */
public final class SampleReports {
  public static final Instant FIXED_TIME = Instant.parse("2026-11-28T12:00:00Z");
  /**
   * Markup, quotes, Markdown, NUL, BEL, ESC (a colour and an OSC 8 link ended by BEL), a C1 control (CSI), a
   * right-to-left override, a line separator, a noncharacter and a lone surrogate.
   */
  public static final String HOSTILE = "<img src=x onerror=alert(1)>&\"'`|*_[x](y)#\u0000\u0001\u0007\u001b[31m"
      + "\u001b]8;;http://evil\u0007\u009b\u202e\u2028\u0008\uFFFE\uD800";

  private SampleReports() {}

  public static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("samples"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no samples/ above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  public static Policy policy(String name) throws Exception {
    return PolicyFiles.load(repoRoot().resolve("samples/policies/" + name + ".yaml"));
  }

  /** The report of one samples/cases case (or several), judged by a sample policy. */
  public static AuditReport ofCases(String policyName, String... cases) throws Exception {
    List<TargetSnapshot> targets = new ArrayList<>();
    for (String name : cases) {
      targets.addAll(SnapshotFiles.load(repoRoot().resolve("samples/cases/" + name + "/snapshot.yaml")));
    }
    return report(new Auditor(policy(policyName)).audit(targets), Optional.empty());
  }

  public static AuditReport report(AuditResult result, Optional<BaselineComparison> baseline) {
    return new AuditReport(result, "0.1.0", baseline, FIXED_TIME);
  }

  /** A baseline entry for a snapshot target's process finding, as an earlier run would have recorded it. */
  public static BaselineEntry entry(String target, String rule, String capability, String holder) {
    return new BaselineEntry(new FindingKey(new TargetKey(TargetKind.SNAPSHOT, target, "", "", ""), rule,
        CapabilityRef.parse(capability)), Rules.byId(rule).orElseThrow().severity(),
        List.of(new HolderKey(AuditContext.NONROOT_PROCESS, holder)), rule + " " + capability + " in " + holder);
  }

  public static AuditReport withBaseline(AuditReport report, List<BaselineEntry> baseline) {
    return report(report.result(), Optional.of(BaselineComparison.compare("baseline.json", report.result(),
        baseline)));
  }

  /** A root container with {@code count} processes, each its own name, that keep Docker's defaults plus SYS_ADMIN. */
  public static TargetSnapshot manyProcesses(String name, int count) {
    CapabilityMask permissive = CapabilityMask.parse("0xa82c25fb");
    List<ProcessSnapshot> processes = new ArrayList<>();
    for (int pid = 1; pid <= count; pid++) {
      ProcStatus status = new ProcStatus(10000 + pid, List.of(10000 + pid, pid), pid == 1 ? 900 : 10001, "worker-" + pid, 0,
          0, 0, 0, CapabilitySets.of(CapabilityMask.EMPTY, permissive, permissive, permissive, CapabilityMask.EMPTY),
          Optional.of(false), Optional.of(SeccompMode.FILTER));
      processes.add(ProcessSnapshot.of(status, ObservationSource.HOST_PROC));
    }
    return new TargetSnapshot(TargetKind.CONTAINER, name + "-id", name, "busybox", Map.of(), Optional.empty(),
        processes, List.of(), List.of(), List.of());
  }

  /**
   * A container whose every piece of text is hostile: markup, quotes, ampersands, control characters and the
   * characters XML 1.0 forbids. Its process holds CAP_SYS_ADMIN, so it produces findings that quote the name.
   */
  public static AuditReport hostile() throws Exception {
    String evil = HOSTILE;
    Map<CapabilitySetKind, CapabilityMask> masks = new EnumMap<>(CapabilitySetKind.class);
    masks.put(CapabilitySetKind.BOUNDING, CapabilityMask.parse("0x200100"));
    masks.put(CapabilitySetKind.EFFECTIVE, CapabilityMask.EMPTY);
    ProcStatus status = new ProcStatus(4242, List.of(4242, 1), 0, evil, 1000, 1000, 1000, 1000,
        new CapabilitySets(masks), Optional.of(false), Optional.of(SeccompMode.FILTER));
    ContainerConfig config = new ContainerConfig(false, List.of("SYS_ADMIN", evil), List.of(),
        CapabilityMask.parse("0xa82c25fb"), evil, false, Optional.empty(), List.of(evil));
    TargetSnapshot target = new TargetSnapshot(TargetKind.CONTAINER, "abc123", "sandbox-" + evil, "image:" + evil,
        Map.of("label" + evil, evil), Optional.of(config),
        List.of(ProcessSnapshot.of(status, ObservationSource.HOST_PROC)), List.of(), List.of("error " + evil),
        List.of("note " + evil));
    TargetSnapshot unreadable = TargetSnapshot.unreadable(TargetKind.CONTAINER, "def456", "gone-" + evil, evil,
        "cannot read " + evil);
    return report(new Auditor(policy("nemoclaw-sandbox")).audit(List.of(target, unreadable)), Optional.empty());
  }

  /**
   * An image-gate target with every optional part a report can hold: a Kubernetes origin, a configuration with a
   * seccomp profile, a process in a nested pid namespace with a thread of its own, an exec view with the spec's
   * prediction, a privileged file, an exit code, notes and errors, judged against a baseline that had one of its
   * findings and another that is gone.
   */
  public static AuditReport everyField() throws Exception {
    CapabilitySets sets = CapabilitySets.of(CapabilityMask.EMPTY, CapabilityMask.parse("0x200000"),
        CapabilityMask.parse("0x200000"), CapabilityMask.parse("0xa82c25fb"), CapabilityMask.EMPTY);
    ProcStatus leader = new ProcStatus(5000, List.of(5000, 7, 1), 4000, "bwrap", 1000, 1000, 1000, 1000, sets,
        Optional.of(false), Optional.of(SeccompMode.FILTER));
    ProcStatus helper = new ProcStatus(5001, List.of(5001, 8, 2), 4000, "helper", 0, 0, 0, 0, sets,
        Optional.of(false), Optional.of(SeccompMode.FILTER));
    ProcessSnapshot process = new ProcessSnapshot(leader, 7, 0, ObservationSource.HOST_PROC,
        List.of(new ThreadSnapshot(8, helper)));
    ExecView probed = new ExecView("0", true, sets, Optional.of(false), ObservationSource.EXEC_PROBE,
        Optional.of(CapabilitySets.of(CapabilityMask.EMPTY, CapabilityMask.EMPTY, CapabilityMask.EMPTY,
            CapabilityMask.parse("0xa80425fb"), CapabilityMask.EMPTY)));
    ContainerConfig config = new ContainerConfig(false, List.of("SYS_ADMIN"), List.of("NET_RAW"),
        CapabilityMask.parse("0xa82c25fb"), "1000", false, Optional.of("runtime/default"),
        List.of("seccomp=runtime/default"), "");
    ImageFacts gate = new ImageFacts("permissive", CapabilityMask.parse("0xa82c25fb"), "started\n", true,
        Optional.of(3L), List.of(new PrivilegedFile("/usr/bin/ping", false, false, 0,
            CapabilityMask.parse("0x2000"))));
    TargetSnapshot target = new TargetSnapshot(TargetKind.IMAGE, "abc", "web-0", "nginx", Map.of("app", "web"),
        Optional.of(config), List.of(process), List.of(probed), List.of("an error"), List.of("a note"),
        Optional.of(gate), new TargetOrigin("unix:///run/containerd/containerd.sock", "containerd", "k8s.io",
            "node-1", Optional.of(new KubernetesIdentity("web-0", "default", "uid-1", "app", false))));
    AuditReport report = report(new Auditor(policy("nemoclaw-sandbox")).audit(List.of(target)), Optional.empty());
    return withBaseline(report, List.of(new BaselineEntry(new FindingKey(TargetKey.of(target), "must-drop-present",
        CapabilityRef.parse("CAP_SYS_ADMIN")), Rules.MUST_DROP_PRESENT.severity(), List.of(new HolderKey(
            AuditContext.NONROOT_PROCESS, "process bwrap uid=1000")), "was there"), entry("gone",
                "must-drop-present", "CAP_NET_RAW", "process sleep uid=1000"))).withMinimize(minimizeRun());
  }

  /** A minimize run with every optional field: a kept capability with its failing trial, and trials of each end. */
  public static JsonReport.Minimize minimizeRun() {
    return new JsonReport.Minimize("sandbox:latest", "image", "Docker's defaults", "0xa80425fb", "minimal", "proven",
        "0xc0", List.of("CAP_SETGID", "CAP_SETUID"), 2, 3, 4.5,
        List.of(new JsonReport.MinimizeKept("CAP_SETUID", "root-start-up", "the root entrypoint needs it at start-up"
            + " (cap_add)", false, 3, "exited with code 1: setpriv: setresuid failed", List.of("pid 1 (sh, uid 0)"),
            List.of("root-process"))),
        List.of(new JsonReport.MinimizeTrial(1, "baseline", "0xa80425fb", List.of(), "pass", null, null, "running",
            List.of("ready"), 1.5), new JsonReport.MinimizeTrial(2, "confirm", "0xc0", List.of("CAP_CHOWN"), "pass",
                null, null, "running", List.of(), 1.0), new JsonReport.MinimizeTrial(3, "verify", "0x40",
                    List.of("CAP_SETUID"), "fail", "exited", 1L, "exited with code 1", List.of("setpriv: failed"),
                    2.0)), List.of("a note"));
  }
}
