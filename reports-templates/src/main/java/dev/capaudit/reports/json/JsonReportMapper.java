package dev.capaudit.reports.json;

import dev.capaudit.reports.AuditReport;
import dev.capaudit.rules.baseline.BaselineComparison;
import dev.capaudit.rules.baseline.FindingStatus;
import dev.capaudit.rules.capability.CapabilitySets;
import dev.capaudit.rules.engine.AuditResult;
import dev.capaudit.rules.engine.Finding;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.engine.Verdict;
import dev.capaudit.rules.model.ContainerConfig;
import dev.capaudit.rules.model.ExecView;
import dev.capaudit.rules.model.ImageFacts;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.proc.ProcStatus;
import dev.capaudit.rules.proc.SeccompMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Maps an audit result onto the JSON report records. */
public final class JsonReportMapper {
  private JsonReportMapper() {}

  public static JsonReport toReport(AuditReport report) {
    AuditResult result = report.result();
    List<JsonReport.Target> targets = result.targets().stream().map(t -> target(t, report)).toList();
    return new JsonReport(JsonReport.SCHEMA_VERSION, new JsonReport.Tool("capaudit", report.toolVersion()),
        new JsonReport.PolicyRef(result.policyName()), report.generatedAt().toString(),
        report.baseline().map(JsonReportMapper::baseline).orElse(null), targets,
        new JsonReport.Summary(result.targets().size(), (int) result.count(Verdict.PASS),
            (int) result.count(Verdict.FAIL), (int) result.count(Verdict.ERROR)));
  }

  private static JsonReport.Baseline baseline(BaselineComparison comparison) {
    return new JsonReport.Baseline(comparison.baselineName(), comparison.fixed().stream()
        .map(e -> new JsonReport.FixedFinding(e.key().target(), e.key().rule(), e.key().capability(),
            e.key().context(), e.key().holder(), e.key().set(), e.severity(), e.message()))
        .toList());
  }

  private static JsonReport.Target target(TargetResult result, AuditReport report) {
    TargetSnapshot t = result.target();
    return new JsonReport.Target(t.kind().id(), t.id(), t.name(), t.image(), result.verdict().id(), t.errors(), t.notes(),
        t.labels(), t.config().map(JsonReportMapper::config).orElse(null),
        t.gate().map(JsonReportMapper::gate).orElse(null),
        t.processes().stream().map(JsonReportMapper::process).toList(),
        t.exec().stream().map(JsonReportMapper::exec).toList(),
        result.findings().stream().map(f -> finding(f, report.statusOf(t, f).map(FindingStatus::id).orElse(null)))
            .toList());
  }

  private static JsonReport.Gate gate(ImageFacts g) {
    return new JsonReport.Gate(g.profile(), g.startingSet().toString(), g.exitCode().orElse(null), g.log(),
        g.logTruncated(), g.privilegedFiles().stream().map(f -> new JsonReport.PrivilegedFile(f.path(), f.setuid(),
            f.setgid(), f.ownerUid(), f.fileCapabilities().toString())).toList());
  }

  private static JsonReport.Config config(ContainerConfig c) {
    return new JsonReport.Config(c.privileged(), c.capAdd(), c.capDrop(), c.boundingSet().toString(), c.user(),
        c.noNewPrivileges(), c.seccompProfile().orElse(null), c.securityOptions());
  }

  private static JsonReport.Process process(ProcessSnapshot p) {
    ProcStatus s = p.status();
    return new JsonReport.Process(p.pidInContainer(), p.nsPid().isPresent() ? p.nsPid().getAsInt() : null, s.pid(),
        p.ppidInContainer(), s.name(), Integer.toUnsignedLong(s.realUid()), Integer.toUnsignedLong(s.effectiveUid()),
        Integer.toUnsignedLong(s.realGid()), p.source().id(), s.noNewPrivs().orElse(null),
        s.seccomp().map(SeccompMode::id).orElse(null), sets(s.capabilities()),
        p.threads().isEmpty() ? null : p.threads().stream().map(t -> new JsonReport.Thread(t.tid(),
            t.status().name(), Integer.toUnsignedLong(t.status().realUid()),
            Integer.toUnsignedLong(t.status().effectiveUid()), t.status().noNewPrivs().orElse(null),
            sets(t.status().capabilities()))).toList());
  }

  private static JsonReport.Exec exec(ExecView e) {
    return new JsonReport.Exec(e.user(), e.root(), e.source().id(), e.noNewPrivs().orElse(null),
        sets(e.capabilities()));
  }

  private static JsonReport.Finding finding(Finding f, String status) {
    return new JsonReport.Finding(f.rule().id(), f.severity().id(), f.capability(), f.context().id(),
        f.policyContext().id(), f.pid().orElse(null), f.tid().orElse(null), f.execUser().orElse(null),
        f.set().map(s -> s.id()).orElse(null), f.mask().orElse(null), status, f.message());
  }

  private static Map<String, String> sets(CapabilitySets sets) {
    Map<String, String> result = new LinkedHashMap<>();
    sets.masks().forEach((kind, mask) -> result.put(kind.id(), mask.toString()));
    return result;
  }

}
