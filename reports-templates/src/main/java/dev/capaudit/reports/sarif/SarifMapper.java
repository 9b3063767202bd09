package dev.capaudit.reports.sarif;

import dev.capaudit.reports.AuditReport;
import dev.capaudit.reports.sarif.SarifLog.Invocation;
import dev.capaudit.reports.sarif.SarifLog.Location;
import dev.capaudit.reports.sarif.SarifLog.Message;
import dev.capaudit.reports.sarif.SarifLog.MultiformatMessage;
import dev.capaudit.reports.sarif.SarifLog.Notification;
import dev.capaudit.reports.sarif.SarifLog.ReportingConfiguration;
import dev.capaudit.reports.sarif.SarifLog.ReportingDescriptor;
import dev.capaudit.reports.sarif.SarifLog.Result;
import dev.capaudit.reports.sarif.SarifLog.ResultProperties;
import dev.capaudit.reports.sarif.SarifLog.RuleProperties;
import dev.capaudit.reports.sarif.SarifLog.Run;
import dev.capaudit.reports.sarif.SarifLog.RunProperties;
import dev.capaudit.reports.sarif.SarifLog.Tool;
import dev.capaudit.reports.sarif.SarifLog.ToolComponent;
import dev.capaudit.rules.baseline.BaselineComparison;
import dev.capaudit.rules.baseline.BaselineEntry;
import dev.capaudit.rules.baseline.FindingKey;
import dev.capaudit.rules.baseline.FindingStatus;
import dev.capaudit.rules.baseline.HolderKey;
import dev.capaudit.rules.baseline.TargetKey;
import dev.capaudit.rules.engine.AuditResult;
import dev.capaudit.rules.engine.Finding;
import dev.capaudit.rules.engine.Occurrence;
import dev.capaudit.rules.engine.Rule;
import dev.capaudit.rules.engine.Rules;
import dev.capaudit.rules.engine.Severity;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.engine.Verdict;
import dev.capaudit.rules.model.TargetSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps an audit report onto a SARIF log: one run, every registered rule, one result per finding (the worst
 * {@value #MAX_RESULTS} at most), and incomplete targets as tool execution notifications. Every piece of text from
 * the audited targets goes through {@link SarifText} here, before Jackson sees it.
 */
public final class SarifMapper {
  static final String TOOL_NAME = "capaudit";
  /** The partial fingerprint that keeps a finding's alert the same across runs; versioned so it can change. */
  static final String FINGERPRINT = "capauditFindingKey/v2";
  /** GitHub code scanning shows at most 5,000 results of a run (and rejects more than 25,000). */
  public static final int MAX_RESULTS = 5000;
  private static final int MAX_OCCURRENCE_LINES = 20;
  private static final List<String> TAGS = List.of("security", "container", "linux-capabilities");

  private SarifMapper() {}

  /** The SARIF log of a report; with a baseline, baseline findings that are gone become {@code absent} results. */
  public static SarifLog toLog(AuditReport report) {
    return toLog(report, true);
  }

  /**
   * @param absentResults whether fixed baseline findings become {@code absent} results. GitHub code scanning ignores
   *     {@code baselineState} and would show them as open alerts; viewers that honour it (Azure DevOps, the SARIF
   *     viewers) show them as fixed.
   */
  public static SarifLog toLog(AuditReport report, boolean absentResults) {
    SarifLocations locations = new SarifLocations(new SourceLocator(report.sources()));
    record Located(TargetSnapshot target, Finding finding) {}
    List<Located> all = new ArrayList<>();
    List<Notification> notifications = new ArrayList<>();
    for (TargetResult target : report.result().targets()) {
      target.findings().forEach(f -> all.add(new Located(target.target(), f)));
      notifications.addAll(notifications(target));
    }
    all.sort(Comparator.comparing(Located::finding, Finding.WORST_FIRST)); // stable: targets stay worst first
    List<BaselineEntry> fixed = absentResults ? report.baseline().map(BaselineComparison::fixed).orElse(List.of())
        : List.of();
    Map<String, Integer> omitted = new LinkedHashMap<>();
    List<Result> results = new ArrayList<>();
    for (Located located : all) {
      if (results.size() < MAX_RESULTS) {
        results.add(result(report, locations, located.target(), located.finding()));
      } else {
        omitted.merge(located.finding().severity().id(), 1, Integer::sum);
      }
    }
    for (BaselineEntry entry : fixed) {
      if (results.size() < MAX_RESULTS) {
        results.add(absent(entry));
      } else {
        omitted.merge(entry.severity().id(), 1, Integer::sum);
      }
    }
    Invocation invocation = new Invocation(executionSuccessful(report), report.generatedAt().toString(),
        notifications.isEmpty() ? null : notifications);
    Run run = new Run(new Tool(new ToolComponent(TOOL_NAME, SarifText.clean(report.toolVersion()), null,
        Rules.all().stream().map(SarifMapper::rule).toList())), List.of(invocation), results,
        runProperties(report, all.size(), omitted));
    return new SarifLog(SarifLog.SCHEMA_URI, SarifLog.VERSION, List.of(run));
  }

  /** The one place a capaudit severity becomes a SARIF level. Low and info do not fail a target: both are notes. */
  static String level(Severity severity) {
    return switch (severity) {
      case HIGH -> "error";
      case MEDIUM -> "warning";
      case LOW, INFO -> "note";
    };
  }

  /** GitHub's {@code security-severity}: at least 7.0 shows as high, 4.0 as medium, 0.1 as low. */
  static String securitySeverity(Severity severity) {
    return switch (severity) {
      case HIGH -> "8.0";
      case MEDIUM -> "5.5";
      case LOW -> "3.0";
      case INFO -> "0.0";
    };
  }

  /**
   * The tool failed only if it could audit nothing at all: every target unreadable. A target that could not be read
   * while others were audited is a tool execution notification (and the CLI's exit code 5), not a failed run;
   * executionSuccessful=false there would hide the findings of the targets that were read.
   */
  static boolean executionSuccessful(AuditReport report) {
    List<TargetResult> targets = report.result().targets();
    return targets.isEmpty() || targets.stream().anyMatch(t -> t.target().hasObservations());
  }

  private static ReportingDescriptor rule(Rule rule) {
    String cis = String.join(", ", rule.cisReferences());
    String helpText = rule.rationale() + "\n\nRemediation: " + rule.remediation() + "\n\nCIS references: " + cis;
    StringBuilder helpMarkdown = new StringBuilder()
        .append("**Why it matters.** ").append(rule.rationale()).append("\n\n")
        .append("**Remediation.** ").append(rule.remediation()).append("\n\n")
        .append("**CIS references:**\n");
    rule.cisReferences().forEach(reference -> helpMarkdown.append("\n- ").append(reference));
    List<String> tags = new ArrayList<>(TAGS);
    tags.addAll(rule.cisReferences());
    return new ReportingDescriptor(rule.id(), ruleName(rule.id()),
        new MultiformatMessage(SarifText.message(rule.title()), null),
        new MultiformatMessage(SarifText.message(rule.rationale()), null),
        new MultiformatMessage(SarifText.message(helpText), SarifText.markdown(helpMarkdown.toString())),
        new ReportingConfiguration(level(rule.severity())),
        new RuleProperties(List.copyOf(tags), securitySeverity(rule.severity()), rule.severity().id(),
            rule.cisReferences()));
  }

  /** {@code must-drop-present} becomes {@code MustDropPresent}: SARIF's readable rule name. */
  static String ruleName(String id) {
    StringBuilder name = new StringBuilder();
    for (String part : id.split("-")) {
      if (!part.isEmpty()) {
        name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return name.toString();
  }

  private static Result result(AuditReport report, SarifLocations locations, TargetSnapshot target,
      Finding finding) {
    String baselineState = report.statusOf(target, finding)
        .map(status -> status == FindingStatus.EXISTING ? "unchanged" : "new")
        .orElse(null);
    List<String> lines = finding.occurrences().stream().limit(MAX_OCCURRENCE_LINES)
        .map(o -> SarifText.clean(occurrenceLine(o))).toList();
    return new Result(finding.rule().id(), ruleIndex(finding.rule().id()), level(finding.severity()),
        new Message(SarifText.message(describe(target) + ": " + finding.message())),
        List.of(locations.of(target, finding)),
        Map.of(FINGERPRINT, SarifText.clean(FindingKey.of(target, finding).toString())), baselineState,
        new ResultProperties(finding.severity().id(), SarifText.clean(finding.capability().name()),
            finding.capability().rank(), SarifText.clean(target.name()), blankToNull(target.origin().node()),
            finding.occurrences().stream().map(o -> o.context().id()).distinct().toList(), finding.holderCount(),
            lines));
  }

  static String occurrenceLine(Occurrence o) {
    return o.context().id() + " " + o.holder().describe() + (o.sets().isEmpty() ? "" : ": " + o.masks())
        + (o.note().isEmpty() ? "" : " (" + o.note() + ")");
  }

  /** A baseline finding no longer present: only its key, severity, holders and message survive in a baseline. */
  private static Result absent(BaselineEntry entry) {
    FindingKey key = entry.key();
    TargetKey target = key.target();
    Optional<Rule> rule = Rules.byId(key.rule());
    return new Result(SarifText.clean(key.rule()), rule.map(r -> ruleIndex(r.id())).orElse(null),
        level(entry.severity()),
        new Message(SarifText.message(target.kind().id() + " " + target.name() + ": " + entry.message())),
        List.of(new Location(SarifLocations.placeholder(target), List.of(SarifLocations.target(target)))),
        Map.of(FINGERPRINT, SarifText.clean(key.toString())), "absent",
        new ResultProperties(entry.severity().id(), SarifText.clean(key.capability().name()),
            key.capability().rank(), SarifText.clean(target.name()), blankToNull(target.node()),
            entry.holders().stream().map(h -> h.context().id()).distinct().toList(), entry.holders().size(),
            entry.holders().stream().map(HolderKey::toString).map(SarifText::clean).toList()));
  }

  private static Integer ruleIndex(String ruleId) {
    int index = Rules.byId(ruleId).map(Rules::position).orElse(-1);
    return index < 0 ? null : index;
  }

  /**
   * Read problems of one target. Nothing observed at all is an error (the target was not audited); a gap in what was
   * observed is a warning (the target was audited, but not fully); notes on how data was obtained are notes.
   */
  private static List<Notification> notifications(TargetResult result) {
    TargetSnapshot target = result.target();
    String level = target.hasObservations() ? "warning" : "error";
    List<Location> where = List.of(new Location(null, List.of(SarifLocations.target(target))));
    List<Notification> notifications = new ArrayList<>();
    result.incomplete().ifPresent(reason -> notifications.add(new Notification(level,
        new Message(SarifText.message(describe(target) + (target.hasObservations() ? " was only partly read: "
            : " could not be read: ") + reason)), where)));
    for (String note : target.notes()) {
      notifications.add(new Notification("note", new Message(SarifText.message(describe(target) + ": " + note)),
          where));
    }
    return notifications;
  }

  private static RunProperties runProperties(AuditReport report, int findings, Map<String, Integer> omitted) {
    AuditResult result = report.result();
    return new RunProperties(SarifText.clean(result.policyName()),
        report.baseline().map(BaselineComparison::baselineName).map(SarifText::clean).orElse(null),
        result.targets().size(), (int) result.count(Verdict.PASS), (int) result.count(Verdict.FAIL),
        (int) result.count(Verdict.ERROR), findings, omitted.values().stream().mapToInt(Integer::intValue).sum(),
        omitted.isEmpty() ? null : omitted, SarifLocations.PLACEHOLDER_ROOT + "/");
  }

  /** {@code container sandbox-7}, for messages; the node too when known. */
  private static String describe(TargetSnapshot target) {
    String node = target.origin().node();
    return target.kind().id() + " " + target.name() + (node.isEmpty() ? "" : " on " + node);
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : SarifText.clean(text);
  }
}
