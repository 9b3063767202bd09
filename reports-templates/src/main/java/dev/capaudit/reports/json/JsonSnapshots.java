package dev.capaudit.reports.json;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.capability.CapabilitySets;
import dev.capaudit.rules.model.ContainerConfig;
import dev.capaudit.rules.model.ExecView;
import dev.capaudit.rules.model.ImageFacts;
import dev.capaudit.rules.model.KubernetesIdentity;
import dev.capaudit.rules.model.ObservationSource;
import dev.capaudit.rules.model.PrivilegedFile;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.model.TargetOrigin;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.model.ThreadSnapshot;
import dev.capaudit.rules.policy.AuditContext;
import dev.capaudit.rules.policy.LoadBearing;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.rules.policy.UnlistedAction;
import dev.capaudit.rules.proc.ProcStatus;
import dev.capaudit.rules.proc.SeccompMode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a schema version 2 report back into what it was judged from: the policy and every target's snapshot
 * (processes, threads, sets, exec views, configuration, gate, errors, notes, origin), so {@code merge} can judge it
 * again. Findings are not read: they follow from the snapshot and the policy.
 */
public final class JsonSnapshots {
  private JsonSnapshots() {}

  public static Policy policy(JsonReport report) throws JsonReportException {
    JsonReport.PolicyDoc doc = required(report.policy(), "policy");
    if (doc.sets() == null || doc.unlisted() == null || doc.mustDrop() == null || doc.loadBearing() == null) {
      throw new JsonReportException("the report's policy '" + doc.name() + "' is incomplete");
    }
    Set<CapabilitySetKind> sets = EnumSet.noneOf(CapabilitySetKind.class);
    for (String id : doc.sets()) {
      sets.add(CapabilitySetKind.fromId(id).orElseThrow(() -> new JsonReportException("unknown set '" + id + "'")));
    }
    Set<Capability> mustDrop = EnumSet.noneOf(Capability.class);
    for (String name : doc.mustDrop()) {
      mustDrop.add(capability(name));
    }
    Map<Capability, LoadBearing> loadBearing = new EnumMap<>(Capability.class);
    for (JsonReport.LoadBearingDoc lb : doc.loadBearing()) {
      Set<AuditContext> contexts = EnumSet.noneOf(AuditContext.class);
      for (String id : lb.contexts()) {
        contexts.add(AuditContext.fromId(id).orElseThrow(() -> new JsonReportException("unknown context '" + id
            + "'")));
      }
      loadBearing.put(capability(lb.capability()), new LoadBearing(capability(lb.capability()), lb.reason(),
          contexts));
    }
    try {
      return new Policy(doc.name(), doc.description() == null ? "" : doc.description(), mustDrop, loadBearing,
          UnlistedAction.valueOf(doc.unlisted().toUpperCase(Locale.ROOT)), sets);
    } catch (IllegalArgumentException e) {
      throw new JsonReportException("the report's policy '" + doc.name() + "' is invalid: " + e.getMessage());
    }
  }

  public static List<TargetSnapshot> targets(JsonReport report) throws JsonReportException {
    List<TargetSnapshot> targets = new ArrayList<>();
    for (JsonReport.Target t : required(report.targets(), "targets")) {
      targets.add(target(t));
    }
    return targets;
  }

  static TargetSnapshot target(JsonReport.Target t) throws JsonReportException {
    List<ProcessSnapshot> processes = new ArrayList<>();
    for (JsonReport.Process p : list(t.processes())) {
      processes.add(process(p));
    }
    List<ExecView> exec = new ArrayList<>();
    for (JsonReport.Exec e : list(t.exec())) {
      exec.add(new ExecView(e.user(), e.root(), sets(e.sets()), Optional.ofNullable(e.noNewPrivs()),
          source(e.source()), e.predicted() == null ? Optional.empty() : Optional.of(sets(e.predicted()))));
    }
    return new TargetSnapshot(kind(t.kind()), text(t.id()), text(t.name()), text(t.image()),
        t.labels() == null ? Map.of() : t.labels(), t.config() == null ? Optional.empty()
            : Optional.of(config(t.config())), processes, exec, list(t.errors()), list(t.notes()),
        t.gate() == null ? Optional.empty() : Optional.of(gate(t.gate())), origin(t.origin()));
  }

  private static ProcessSnapshot process(JsonReport.Process p) throws JsonReportException {
    ProcStatus status = new ProcStatus(p.hostPid(), list(p.nsPids()), p.hostPpid(), text(p.name()), (int) p.uid(),
        (int) p.euid(), (int) p.gid(), (int) p.egid(), sets(p.sets()), Optional.ofNullable(p.noNewPrivs()),
        seccomp(p.seccomp()));
    List<ThreadSnapshot> threads = new ArrayList<>();
    for (JsonReport.Thread t : list(p.threads())) {
      threads.add(new ThreadSnapshot(t.tid(), new ProcStatus(t.hostTid(), list(t.nsPids()), t.hostPpid(),
          text(t.name()), (int) t.uid(), (int) t.euid(), (int) t.gid(), (int) t.egid(), sets(t.sets()),
          Optional.ofNullable(t.noNewPrivs()), seccomp(t.seccomp()))));
    }
    return new ProcessSnapshot(status, p.pid(), p.ppid(), source(p.source()), threads);
  }

  private static ContainerConfig config(JsonReport.Config c) throws JsonReportException {
    return new ContainerConfig(c.privileged(), list(c.capAdd()), list(c.capDrop()), mask(c.boundingSet()),
        text(c.user()), c.noNewPrivileges(), Optional.ofNullable(c.seccompProfile()), list(c.securityOptions()),
        text(c.pidMode()));
  }

  private static ImageFacts gate(JsonReport.Gate g) throws JsonReportException {
    List<PrivilegedFile> files = new ArrayList<>();
    for (JsonReport.PrivilegedFile f : list(g.privilegedFiles())) {
      files.add(new PrivilegedFile(f.path(), f.setuid(), f.setgid(), f.owner(), mask(f.fileCapabilities())));
    }
    return new ImageFacts(text(g.profile()), mask(g.startingSet()), text(g.log()), g.logTruncated(),
        Optional.ofNullable(g.exitCode()), files);
  }

  private static TargetOrigin origin(JsonReport.Origin o) {
    if (o == null) {
      return TargetOrigin.UNKNOWN;
    }
    JsonReport.Kubernetes k = o.kubernetes();
    return new TargetOrigin(text(o.engine()), text(o.runtime()), text(o.namespace()), text(o.node()),
        k == null ? Optional.empty() : Optional.of(new KubernetesIdentity(k.pod(), k.podNamespace(), k.podUid(),
            k.container(), k.sandbox())));
  }

  private static CapabilitySets sets(Map<String, String> masks) throws JsonReportException {
    Map<CapabilitySetKind, CapabilityMask> result = new EnumMap<>(CapabilitySetKind.class);
    if (masks != null) {
      for (Map.Entry<String, String> e : masks.entrySet()) {
        result.put(CapabilitySetKind.fromId(e.getKey()).orElseThrow(() -> new JsonReportException("unknown set '"
            + e.getKey() + "'")), mask(e.getValue()));
      }
    }
    return new CapabilitySets(result);
  }

  private static CapabilityMask mask(String text) throws JsonReportException {
    try {
      return CapabilityMask.parse(required(text, "mask"));
    } catch (IllegalArgumentException e) {
      throw new JsonReportException(e.getMessage());
    }
  }

  private static Capability capability(String name) throws JsonReportException {
    return Capability.parse(name).orElseThrow(() -> new JsonReportException("unknown capability '" + name + "'"));
  }

  private static Optional<SeccompMode> seccomp(String id) throws JsonReportException {
    if (id == null) {
      return Optional.empty();
    }
    for (SeccompMode mode : SeccompMode.values()) {
      if (mode.id().equals(id)) {
        return Optional.of(mode);
      }
    }
    throw new JsonReportException("unknown seccomp mode '" + id + "'");
  }

  private static ObservationSource source(String id) throws JsonReportException {
    for (ObservationSource source : ObservationSource.values()) {
      if (source.id().equals(id)) {
        return source;
      }
    }
    throw new JsonReportException("unknown source '" + id + "'");
  }

  private static TargetKind kind(String id) throws JsonReportException {
    for (TargetKind kind : TargetKind.values()) {
      if (kind.id().equals(id)) {
        return kind;
      }
    }
    throw new JsonReportException("unknown target kind '" + id + "'");
  }

  private static <T> T required(T value, String what) throws JsonReportException {
    if (value == null) {
      throw new JsonReportException("the report has no " + what);
    }
    return value;
  }

  private static <T> List<T> list(List<T> values) {
    return values == null ? List.of() : values;
  }

  private static String text(String value) {
    return value == null ? "" : value;
  }
}
