package dev.capaudit.reports.json;

import dev.capaudit.rules.capability.CapabilitySets;
import dev.capaudit.rules.engine.AuditResult;
import dev.capaudit.rules.engine.Finding;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.engine.Verdict;
import dev.capaudit.rules.model.ContainerConfig;
import dev.capaudit.rules.model.ExecView;
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

  public static JsonReport toReport(AuditResult result, String toolVersion) {
    List<JsonReport.Target> targets = result.targets().stream().map(JsonReportMapper::target).toList();
    return new JsonReport(JsonReport.SCHEMA_VERSION, new JsonReport.Tool("capaudit", toolVersion),
        new JsonReport.PolicyRef(result.policyName()), targets,
        new JsonReport.Summary(result.targets().size(), (int) result.count(Verdict.PASS),
            (int) result.count(Verdict.FAIL), (int) result.count(Verdict.ERROR)));
  }

  private static JsonReport.Target target(TargetResult result) {
    TargetSnapshot t = result.target();
    return new JsonReport.Target(t.kind().id(), t.id(), t.name(), t.image(), result.verdict().id(), t.errors(), t.notes(),
        t.labels(), t.config().map(JsonReportMapper::config).orElse(null),
        t.processes().stream().map(JsonReportMapper::process).toList(),
        t.exec().stream().map(JsonReportMapper::exec).toList(),
        result.findings().stream().map(JsonReportMapper::finding).toList());
  }

  private static JsonReport.Config config(ContainerConfig c) {
    return new JsonReport.Config(c.privileged(), c.capAdd(), c.capDrop(), c.boundingSet().toString(), c.user(),
        c.noNewPrivileges(), c.seccompProfile().orElse(null), c.securityOptions());
  }

  private static JsonReport.Process process(ProcessSnapshot p) {
    ProcStatus s = p.status();
    return new JsonReport.Process(p.pidInContainer(), s.pid(), s.ppid(), s.name(), Integer.toUnsignedLong(
        s.realUid()), Integer.toUnsignedLong(s.effectiveUid()), Integer.toUnsignedLong(s.realGid()), p.source().id(),
        s.noNewPrivs().orElse(null), s.seccomp().map(SeccompMode::id).orElse(null), sets(s.capabilities()));
  }

  private static JsonReport.Exec exec(ExecView e) {
    return new JsonReport.Exec(e.user(), e.root(), e.source().id(), e.noNewPrivs().orElse(null),
        sets(e.capabilities()));
  }

  private static JsonReport.Finding finding(Finding f) {
    return new JsonReport.Finding(f.rule().id(), f.severity().id(), f.capability(), f.context().id(),
        f.policyContext().id(), f.pid().orElse(null), f.execUser().orElse(null),
        f.set().map(s -> s.id()).orElse(null), f.mask().orElse(null), f.message());
  }

  private static Map<String, String> sets(CapabilitySets sets) {
    Map<String, String> result = new LinkedHashMap<>();
    sets.masks().forEach((kind, mask) -> result.put(kind.id(), mask.toString()));
    return result;
  }

}
