package dev.capaudit.reports.json;

import dev.capaudit.reports.AuditReport;
import dev.capaudit.rules.baseline.BaselineComparison;
import dev.capaudit.rules.baseline.FindingStatus;
import dev.capaudit.rules.baseline.HolderKey;
import dev.capaudit.rules.capability.CapabilitySets;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.engine.AuditResult;
import dev.capaudit.rules.engine.Finding;
import dev.capaudit.rules.engine.Holder;
import dev.capaudit.rules.engine.Occurrence;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.engine.Verdict;
import dev.capaudit.rules.model.ContainerConfig;
import dev.capaudit.rules.model.ExecView;
import dev.capaudit.rules.model.ImageFacts;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetOrigin;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.model.ThreadSnapshot;
import dev.capaudit.rules.policy.AuditContext;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.rules.proc.ProcStatus;
import dev.capaudit.rules.proc.SeccompMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Maps an audit report onto the JSON report records. */
public final class JsonReportMapper {
  private JsonReportMapper() {}

  public static JsonReport toReport(AuditReport report) {
    AuditResult result = report.result();
    List<JsonReport.Target> targets = result.targets().stream().map(t -> target(t, report)).toList();
    return new JsonReport(JsonReport.SCHEMA_VERSION, new JsonReport.Tool("capaudit", report.toolVersion()),
        policy(result.policy()), report.generatedAt().toString(),
        report.baseline().map(JsonReportMapper::baseline).orElse(null), targets,
        new JsonReport.Summary(result.targets().size(), (int) result.count(Verdict.PASS),
            (int) result.count(Verdict.FAIL), (int) result.count(Verdict.ERROR), result.findingCount()),
        report.minimize().orElse(null));
  }

  static JsonReport.PolicyDoc policy(Policy policy) {
    return new JsonReport.PolicyDoc(policy.name(), policy.description(),
        policy.checkedSets().stream().map(CapabilitySetKind::id).toList(), policy.unlisted().id(),
        policy.mustDrop().stream().map(c -> c.canonicalName()).toList(),
        policy.loadBearing().values().stream().map(lb -> new JsonReport.LoadBearingDoc(
            lb.capability().canonicalName(), lb.reason(), lb.contexts().stream().sorted().map(AuditContext::id)
                .toList())).toList());
  }

  private static JsonReport.Baseline baseline(BaselineComparison comparison) {
    return new JsonReport.Baseline(comparison.baselineName(), comparison.fixed().stream()
        .map(e -> new JsonReport.FixedFinding(new JsonReport.TargetRef(e.key().target().kind().id(),
            e.key().target().name(), e.key().target().node(), e.key().target().engine(),
            e.key().target().runtime()), e.key().rule(), e.key().capability().name(), e.severity().id(),
            e.holders().stream().map(HolderKey::toString).toList(), e.message()))
        .toList());
  }

  private static JsonReport.Target target(TargetResult result, AuditReport report) {
    TargetSnapshot t = result.target();
    return new JsonReport.Target(t.kind().id(), t.id(), t.name(), t.image(), origin(t.origin()),
        result.verdict().id(), result.headline(), result.incomplete().orElse(null), t.errors(), t.notes(),
        t.labels(), t.config().map(JsonReportMapper::config).orElse(null),
        t.gate().map(JsonReportMapper::gate).orElse(null),
        t.processes().stream().map(JsonReportMapper::process).toList(),
        t.exec().stream().map(JsonReportMapper::exec).toList(),
        result.findings().stream().map(f -> finding(report, t, f)).toList());
  }

  private static JsonReport.Origin origin(TargetOrigin o) {
    if (o.equals(TargetOrigin.UNKNOWN)) {
      return null;
    }
    return new JsonReport.Origin(o.engine(), o.runtime(), o.namespace(), o.node(), o.kubernetes()
        .map(k -> new JsonReport.Kubernetes(k.pod(), k.podNamespace(), k.podUid(), k.container(), k.sandbox()))
        .orElse(null));
  }

  private static JsonReport.Gate gate(ImageFacts g) {
    return new JsonReport.Gate(g.profile(), g.startingSet().toString(), g.exitCode().orElse(null), g.log(),
        g.logTruncated(), g.privilegedFiles().stream().map(f -> new JsonReport.PrivilegedFile(f.path(), f.setuid(),
            f.setgid(), f.ownerUid(), f.fileCapabilities().toString())).toList());
  }

  private static JsonReport.Config config(ContainerConfig c) {
    return new JsonReport.Config(c.privileged(), c.capAdd(), c.capDrop(), c.boundingSet().toString(), c.user(),
        c.noNewPrivileges(), c.seccompProfile().orElse(null), c.securityOptions(), c.pidMode());
  }

  private static JsonReport.Process process(ProcessSnapshot p) {
    ProcStatus s = p.status();
    return new JsonReport.Process(p.pidInContainer(), p.nsPid().isPresent() ? p.nsPid().getAsInt() : null, s.pid(),
        p.ppidInContainer(), s.ppid(), s.nsPids(), s.name(), unsigned(s.realUid()), unsigned(s.effectiveUid()),
        unsigned(s.realGid()), unsigned(s.effectiveGid()), p.source().id(), s.noNewPrivs().orElse(null),
        s.seccomp().map(SeccompMode::id).orElse(null), sets(s.capabilities()),
        p.threads().isEmpty() ? null : p.threads().stream().map(JsonReportMapper::thread).toList());
  }

  private static JsonReport.Thread thread(ThreadSnapshot t) {
    ProcStatus s = t.status();
    return new JsonReport.Thread(t.tid(), s.pid(), s.ppid(), s.nsPids(), s.name(), unsigned(s.realUid()),
        unsigned(s.effectiveUid()), unsigned(s.realGid()), unsigned(s.effectiveGid()), s.noNewPrivs().orElse(null),
        s.seccomp().map(SeccompMode::id).orElse(null), sets(s.capabilities()));
  }

  private static JsonReport.Exec exec(ExecView e) {
    return new JsonReport.Exec(e.user(), e.root(), e.source().id(), e.noNewPrivs().orElse(null),
        sets(e.capabilities()), e.predicted().map(JsonReportMapper::sets).orElse(null));
  }

  private static JsonReport.Finding finding(AuditReport report, TargetSnapshot target, Finding f) {
    return new JsonReport.Finding(f.rule().id(), f.severity().id(), f.downgraded(), f.capability().name(),
        f.capability().rank(), report.statusOf(target, f).map(FindingStatus::id).orElse(null), f.message(),
        f.reason(), f.holderCount(), f.occurrences().stream().map(o -> occurrence(report, target, f, o)).toList());
  }

  private static JsonReport.Occurrence occurrence(AuditReport report, TargetSnapshot target, Finding f,
      Occurrence o) {
    Holder h = o.holder();
    boolean threads = h.kind() == Holder.Kind.THREAD;
    Map<String, String> sets = new LinkedHashMap<>();
    o.sets().forEach((kind, mask) -> sets.put(kind.id(), mask.toString()));
    return new JsonReport.Occurrence(o.where().id(), o.context().id(),
        new JsonReport.Holder(h.kind().name().toLowerCase(Locale.ROOT), h.kind() == Holder.Kind.CONFIG
            ? null : h.name(), h.uid().isPresent() ? h.uid().getAsLong() : null, h.count(),
            h.members().isEmpty() ? null : h.members().stream().map(Holder.Member::pid).toList(),
            threads ? h.members().stream().map(m -> m.tid().orElse(0)).toList() : null),
        sets.isEmpty() ? null : sets, o.note().isEmpty() ? null : o.note(),
        report.statusOf(target, f, o).map(FindingStatus::id).orElse(null));
  }

  static Map<String, String> sets(CapabilitySets sets) {
    Map<String, String> result = new LinkedHashMap<>();
    sets.masks().forEach((kind, mask) -> result.put(kind.id(), mask.toString()));
    return result;
  }

  private static long unsigned(int id) {
    return Integer.toUnsignedLong(id);
  }
}
