package dev.capaudit.reports.html;

import dev.capaudit.reports.AuditReport;
import dev.capaudit.rules.baseline.BaselineComparison;
import dev.capaudit.rules.baseline.FindingStatus;
import dev.capaudit.rules.baseline.HolderKey;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.engine.Finding;
import dev.capaudit.rules.engine.Holder;
import dev.capaudit.rules.engine.Rule;
import dev.capaudit.rules.engine.Rules;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.engine.Verdict;
import dev.capaudit.rules.model.ContainerConfig;
import dev.capaudit.rules.model.ExecView;
import dev.capaudit.rules.model.ImageFacts;
import dev.capaudit.rules.model.TargetOrigin;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.proc.SeccompMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Builds the HTML view model from an audit report: grouping, counts and decoding happen here, not in the template. */
public final class HtmlModels {
  private HtmlModels() {}

  public static HtmlModel build(AuditReport report) {
    List<TargetResult> targets = report.result().targets(); // already worst first
    MaskLegend legend = new MaskLegend();
    List<HtmlModel.TargetView> views = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      views.add(target("t" + i, targets.get(i), report, legend));
    }
    return new HtmlModel(report.result().policyName(), report.toolVersion(), report.generatedAt().toString(),
        report.baseline().map(BaselineComparison::baselineName).orElse(""), summary(report),
        FleetGroups.of(targets, views), views, fixed(report), rules(targets), legend.capabilities(), legend.docs());
  }

  private static List<HtmlModel.FixedRow> fixed(AuditReport report) {
    return report.baseline().map(b -> b.fixed().stream().map(e -> new HtmlModel.FixedRow(e.key().target()
        .toString(), e.key().rule(), e.key().capability().name(), String.join(", ", e.holders().stream()
            .map(HolderKey::toString).toList()), e.message())).toList())
        .orElse(List.of());
  }

  private static HtmlModel.Summary summary(AuditReport report) {
    int fresh = 0;
    for (TargetResult target : report.result().targets()) {
      for (Finding finding : target.findings()) {
        if (report.statusOf(target.target(), finding).orElse(null) == FindingStatus.NEW) {
          fresh++;
        }
      }
    }
    return new HtmlModel.Summary(report.result().targets().size(), (int) report.result().count(Verdict.PASS),
        (int) report.result().count(Verdict.FAIL), (int) report.result().count(Verdict.ERROR),
        report.result().findingCount(), fresh, report.baseline().map(b -> b.fixed().size()).orElse(0));
  }

  private static HtmlModel.TargetView target(String anchor, TargetResult result, AuditReport report,
      MaskLegend legend) {
    TargetSnapshot t = result.target();
    List<String> labels = new ArrayList<>();
    t.labels().forEach((key, value) -> labels.add(key + "=" + value));
    labels.sort(String::compareTo);
    CapabilityMask observed = CapabilityMask.EMPTY;
    CapabilityMask beyond = CapabilityMask.EMPTY;
    for (var process : t.processes()) {
      CapabilityMask bounding = process.status().capabilities().getOrEmpty(CapabilitySetKind.BOUNDING);
      observed = observed.union(bounding);
      beyond = beyond.union(t.config().map(c -> bounding.minus(c.boundingSet())).orElse(CapabilityMask.EMPTY));
    }
    String severity = result.worstFinding().map(f -> f.severity().id())
        .orElse(result.verdict() == Verdict.ERROR ? "error" : "pass");
    ProcessTree tree = ProcessTree.of(anchor, t, legend);
    List<HtmlModel.ExecRow> exec = new ArrayList<>();
    Map<String, String> execAnchors = new HashMap<>();
    for (ExecView view : t.exec()) {
      String execAnchor = anchor + "e" + exec.size();
      execAnchors.putIfAbsent(view.user(), execAnchor);
      exec.add(exec(execAnchor, view, legend));
    }
    Function<Holder, String> anchorOf = holder -> switch (holder.kind()) {
      case CONFIG -> anchor + "c";
      case EXEC -> execAnchors.getOrDefault(holder.name(), anchor);
      case PROCESS, THREAD -> tree.anchorOf(holder.members().get(0).pid(), holder.members().get(0).tid().orElse(0));
    };
    return new HtmlModel.TargetView(anchor, t.name(), t.id().length() > 12 ? t.id().substring(0, 12) : t.id(),
        t.kind().id(), t.image(), t.origin().node(), origin(t.origin()), result.verdict().id(), severity,
        result.headline(), t.errors(), t.notes(), labels, t.config().map(c -> config(c, legend)).orElse(null),
        t.processes().isEmpty() ? null : legend.set("CapBnd", observed), beyond.names(), result.findings().size(),
        FindingRows.of(result, report, anchorOf), CapabilityMatrix.rows(result), tree.rows(), exec,
        t.gate().map(g -> gate(g, legend)).orElse(null));
  }

  /** {@code node-1 · containerd (k8s.io) · pod default/web-0 container app}; empty when nothing is known. */
  static String origin(TargetOrigin o) {
    List<String> parts = new ArrayList<>();
    if (!o.node().isEmpty()) {
      parts.add("node " + o.node());
    }
    if (!o.runtime().isEmpty()) {
      parts.add(o.runtime() + (o.namespace().isEmpty() ? "" : " (" + o.namespace() + ")"));
    }
    if (!o.engine().isEmpty()) {
      parts.add(o.engine());
    }
    o.kubernetes().ifPresent(k -> parts.add("pod " + k.podNamespace() + "/" + k.pod() + " container "
        + k.container() + (k.sandbox() ? " (sandbox)" : "")));
    return String.join(" · ", parts);
  }

  private static HtmlModel.ConfigView config(ContainerConfig c, MaskLegend legend) {
    return new HtmlModel.ConfigView(c.privileged(), c.capAdd(), c.capDrop(), c.user(), c.noNewPrivileges(),
        c.seccompProfile().orElse("default"), c.pidMode().isEmpty() ? "private" : c.pidMode(),
        legend.set("CapBnd", c.boundingSet()));
  }

  private static HtmlModel.GateView gate(ImageFacts g, MaskLegend legend) {
    List<HtmlModel.FileRow> files = g.privilegedFiles().stream().map(f -> new HtmlModel.FileRow(f.path(),
        (f.setuid() ? "setuid " : "") + (f.setgid() ? "setgid " : "") + (f.fileCapabilities().isEmpty() ? ""
            : "file capabilities"), Long.toString(f.ownerUid()), String.join(", ", f.fileCapabilities().names())))
        .toList();
    return new HtmlModel.GateView(g.profile(), legend.set("start", g.startingSet()), g.exitCode()
        .map(String::valueOf).orElse("still running when audited"), g.log(), g.logTruncated(), files);
  }

  private static HtmlModel.ExecRow exec(String anchor, ExecView view, MaskLegend legend) {
    return new HtmlModel.ExecRow(anchor, view.user(), view.root(), view.source().id() + " \u00b7 "
        + flag(view.noNewPrivs()), legend.sets(view.capabilities().masks()));
  }

  static String flag(Optional<Boolean> value) {
    return value.map(b -> b ? "1" : "0").orElse("not reported");
  }

  static String seccomp(Optional<SeccompMode> mode) {
    return mode.map(SeccompMode::id).orElse("not reported");
  }

  /** The rules that fired anywhere, worst first, documented once for the whole report. */
  private static List<HtmlModel.RuleDoc> rules(List<TargetResult> targets) {
    Map<String, Rule> fired = new LinkedHashMap<>(); // by id: hashing the rule records is slow under C1
    targets.forEach(t -> t.findings().forEach(f -> fired.putIfAbsent(f.rule().id(), f.rule())));
    List<Rule> registry = Rules.all();
    List<Rule> ordered = new ArrayList<>(fired.values());
    ordered.sort(Comparator.comparing(Rule::severity).thenComparingInt(registry::indexOf));
    return ordered.stream().map(r -> new HtmlModel.RuleDoc("r-" + r.id(), r.id(), r.title(), r.severity().id(),
        r.rationale(), String.join("; ", r.cisReferences()), r.remediation())).toList();
  }
}
