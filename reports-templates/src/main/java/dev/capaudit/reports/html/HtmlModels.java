package dev.capaudit.reports.html;

import dev.capaudit.reports.AuditReport;
import dev.capaudit.rules.baseline.BaselineComparison;
import dev.capaudit.rules.baseline.FindingStatus;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.capability.CapabilitySets;
import dev.capaudit.rules.engine.Finding;
import dev.capaudit.rules.engine.Rule;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.engine.Verdict;
import dev.capaudit.rules.model.ContainerConfig;
import dev.capaudit.rules.model.ExecView;
import dev.capaudit.rules.model.ImageFacts;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.proc.SeccompMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Builds the HTML view model from an audit report: ordering, counts and decoding happen here, not in the template. */
public final class HtmlModels {
  private static final int WORST_SHOWN = 10;

  private HtmlModels() {}

  public static HtmlModel build(AuditReport report) {
    List<TargetResult> ordered = new ArrayList<>(report.result().targets());
    // Failing targets first, then unreadable ones, then passes: what needs a reader's attention leads.
    ordered.sort(Comparator.comparing((TargetResult t) -> verdictRank(t.verdict())));
    List<HtmlModel.TargetView> targets = new ArrayList<>();
    for (int i = 0; i < ordered.size(); i++) {
      targets.add(target("t" + i, ordered.get(i), report));
    }
    return new HtmlModel(report.result().policyName(), report.toolVersion(), report.generatedAt().toString(),
        report.baseline().map(BaselineComparison::baselineName).orElse(""), summary(report),
        worst(ordered, targets, report), targets, fixed(report));
  }

  private static List<HtmlModel.FixedRow> fixed(AuditReport report) {
    return report.baseline().map(b -> b.fixed().stream().map(e -> new HtmlModel.FixedRow(e.key().target(),
        e.key().rule(), e.key().capability(), e.key().holder(), e.key().set(), e.message())).toList())
        .orElse(List.of());
  }

  private static int verdictRank(Verdict verdict) {
    return switch (verdict) {
      case FAIL -> 0;
      case ERROR -> 1;
      case PASS -> 2;
    };
  }

  private static HtmlModel.Summary summary(AuditReport report) {
    int findings = 0;
    int fresh = 0;
    for (TargetResult target : report.result().targets()) {
      findings += target.findings().size();
      for (Finding finding : target.findings()) {
        if (report.statusOf(target.target(), finding).orElse(null) == FindingStatus.NEW) {
          fresh++;
        }
      }
    }
    return new HtmlModel.Summary(report.result().targets().size(), (int) report.result().count(Verdict.PASS),
        (int) report.result().count(Verdict.FAIL), (int) report.result().count(Verdict.ERROR), findings, fresh,
        report.baseline().map(b -> b.fixed().size()).orElse(0));
  }

  private static List<HtmlModel.TopFinding> worst(List<TargetResult> ordered, List<HtmlModel.TargetView> views,
      AuditReport report) {
    record Located(String anchor, TargetResult target, Finding finding) {}
    List<Located> all = new ArrayList<>();
    for (int i = 0; i < ordered.size(); i++) {
      for (Finding finding : ordered.get(i).findings()) {
        all.add(new Located(views.get(i).anchor(), ordered.get(i), finding));
      }
    }
    // One line per capability and holder: the bounding set is shown first, as it decides what can be regained.
    Set<String> shown = new HashSet<>();
    return all.stream()
        .sorted(Comparator.comparing(Located::finding, Finding.WORST_FIRST))
        .filter(l -> shown.add(l.anchor() + "|" + l.finding().rule().id() + "|" + l.finding().capability() + "|"
            + l.finding().subject()))
        .limit(WORST_SHOWN)
        .map(l -> new HtmlModel.TopFinding(l.anchor(), l.target().target().name(), l.finding().severity().id(),
            l.finding().rule().id(), status(report, l.target().target(), l.finding()), l.finding().message()))
        .toList();
  }

  private static HtmlModel.TargetView target(String anchor, TargetResult result, AuditReport report) {
    TargetSnapshot t = result.target();
    List<String> labels = new ArrayList<>();
    t.labels().forEach((key, value) -> labels.add(key + "=" + value));
    labels.sort(String::compareTo);
    CapabilityMask observed = CapabilityMask.EMPTY;
    for (var process : t.processes()) {
      observed = observed.union(process.status().capabilities().getOrEmpty(
          CapabilitySetKind.BOUNDING));
    }
    CapabilityMask beyond = t.config().map(c -> observedBeyond(c, t)).orElse(CapabilityMask.EMPTY);
    return new HtmlModel.TargetView(anchor, t.name(), t.id().length() > 12 ? t.id().substring(0, 12) : t.id(),
        t.kind().id(), t.image(), result.verdict().id(), t.errors(), t.notes(), labels,
        t.config().map(HtmlModels::config).orElse(null), mask(observed), beyond.names(), ProcessTree.rows(t),
        t.exec().stream().map(HtmlModels::exec).toList(), CapabilityMatrix.COLUMNS,
        CapabilityMatrix.rows(result), findings(result, report), rules(result),
        t.gate().map(HtmlModels::gate).orElse(null));
  }

  /** Capabilities some process holds in its bounding set beyond what the configuration grants: never expected. */
  private static CapabilityMask observedBeyond(ContainerConfig config, TargetSnapshot target) {
    CapabilityMask beyond = CapabilityMask.EMPTY;
    for (var process : target.processes()) {
      beyond = beyond.union(process.status().capabilities()
          .getOrEmpty(CapabilitySetKind.BOUNDING).minus(config.boundingSet()));
    }
    return beyond;
  }

  private static HtmlModel.GateView gate(ImageFacts g) {
    List<HtmlModel.FileRow> files = g.privilegedFiles().stream().map(f -> new HtmlModel.FileRow(f.path(),
        (f.setuid() ? "setuid " : "") + (f.setgid() ? "setgid " : "") + (f.fileCapabilities().isEmpty() ? ""
            : "file capabilities"), Long.toString(f.ownerUid()), String.join(", ", f.fileCapabilities().names())))
        .toList();
    return new HtmlModel.GateView(g.profile(), mask(g.startingSet()), g.exitCode().map(String::valueOf)
        .orElse("still running when audited"), g.log(), g.logTruncated(), files);
  }

  static HtmlModel.MaskView mask(CapabilityMask mask) {
    return new HtmlModel.MaskView(mask.toString(), mask.names());
  }

  static List<HtmlModel.SetView> sets(CapabilitySets sets) {
    List<HtmlModel.SetView> views = new ArrayList<>();
    sets.masks().forEach((kind, mask) -> views.add(new HtmlModel.SetView(kind.procField(), mask(mask))));
    return views;
  }

  private static HtmlModel.ConfigView config(ContainerConfig c) {
    return new HtmlModel.ConfigView(c.privileged(), c.capAdd(), c.capDrop(), c.user().isEmpty() ? "(image default)"
        : c.user(), c.noNewPrivileges(), c.seccompProfile().orElse("default"), mask(c.boundingSet()));
  }

  private static HtmlModel.ExecRow exec(ExecView view) {
    return new HtmlModel.ExecRow(view.user(), view.root(), view.source().id(), flag(view.noNewPrivs()),
        sets(view.capabilities()));
  }

  static String flag(Optional<Boolean> value) {
    return value.map(b -> b ? "1" : "0").orElse("not reported");
  }

  static String seccomp(Optional<SeccompMode> mode) {
    return mode.map(SeccompMode::id).orElse("not reported");
  }

  private static List<HtmlModel.FindingRow> findings(TargetResult result, AuditReport report) {
    return result.findings().stream()
        .sorted(Comparator.comparing(Finding::severity))
        .map(f -> new HtmlModel.FindingRow(f.severity().id(), f.rule().id(), status(report, result.target(), f),
            f.capability(), f.subject(), f.set().map(s -> s.procField()).orElse("-"), f.mask().orElse("-"),
            f.message()))
        .toList();
  }

  private static String status(AuditReport report, TargetSnapshot target, Finding finding) {
    return report.statusOf(target, finding).map(FindingStatus::id).orElse("");
  }

  private static List<HtmlModel.RuleDoc> rules(TargetResult result) {
    Map<String, Rule> fired = new LinkedHashMap<>();
    result.findings().stream().sorted(Comparator.comparing(Finding::severity))
        .forEach(f -> fired.putIfAbsent(f.rule().id(), f.rule()));
    return fired.values().stream().map(r -> new HtmlModel.RuleDoc(r.id(), r.title(), r.severity().id(),
        r.rationale(), String.join("; ", r.cisReferences()), r.remediation())).toList();
  }
}
