package dev.capaudit.reports.sarif;

import dev.capaudit.reports.AuditReport;
import dev.capaudit.reports.sarif.SarifLog.ArtifactLocation;
import dev.capaudit.reports.sarif.SarifLog.Invocation;
import dev.capaudit.reports.sarif.SarifLog.Location;
import dev.capaudit.reports.sarif.SarifLog.LogicalLocation;
import dev.capaudit.reports.sarif.SarifLog.LogicalLocationProperties;
import dev.capaudit.reports.sarif.SarifLog.Message;
import dev.capaudit.reports.sarif.SarifLog.MultiformatMessage;
import dev.capaudit.reports.sarif.SarifLog.Notification;
import dev.capaudit.reports.sarif.SarifLog.PhysicalLocation;
import dev.capaudit.reports.sarif.SarifLog.Region;
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
import dev.capaudit.rules.engine.Finding;
import dev.capaudit.rules.engine.Rule;
import dev.capaudit.rules.engine.Rules;
import dev.capaudit.rules.engine.Severity;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.engine.Verdict;
import dev.capaudit.rules.model.ExecView;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Maps an audit report onto a SARIF log: one run, every registered rule, one result per finding, and target read
 * problems as tool execution notifications. Every piece of text from the audited targets goes through
 * {@link SarifText} here, before Jackson sees it.
 */
public final class SarifMapper {
  static final String TOOL_NAME = "capaudit";
  /** The partial fingerprint that keeps a finding's alert the same across runs; versioned so it can change. */
  static final String FINGERPRINT = "capauditFindingKey/v1";
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
    List<Rule> rules = Rules.all();
    List<Result> results = new ArrayList<>();
    List<Notification> notifications = new ArrayList<>();
    for (TargetResult target : report.result().targets()) {
      for (Finding finding : target.findings()) {
        results.add(result(report, target.target(), finding));
      }
      notifications.addAll(notifications(target));
    }
    if (absentResults) {
      report.baseline().ifPresent(b -> b.fixed().forEach(entry -> results.add(absent(entry))));
    }
    Invocation invocation = new Invocation(executionSuccessful(report), report.generatedAt().toString(),
        notifications.isEmpty() ? null : notifications);
    Run run = new Run(new Tool(new ToolComponent(TOOL_NAME, SarifText.clean(report.toolVersion()), null,
        rules.stream().map(SarifMapper::rule).toList())), List.of(invocation), results, runProperties(report));
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

  private static Result result(AuditReport report, TargetSnapshot target, Finding finding) {
    FindingKey key = FindingKey.of(target, finding);
    String baselineState = report.statusOf(target, finding)
        .map(status -> status == FindingStatus.EXISTING ? "unchanged" : "new")
        .orElse(null);
    List<LogicalLocation> logical = new ArrayList<>();
    holder(target, finding).ifPresent(logical::add);
    logical.add(target(target));
    return new Result(finding.rule().id(), ruleIndex(finding.rule().id()), level(finding.severity()),
        new Message(SarifText.message(describe(target.kind().id(), target.name()) + ": " + finding.message())),
        List.of(new Location(anchor(target.kind().id(), target.name()), List.copyOf(logical))),
        Map.of(FINGERPRINT, SarifText.clean(key.toString())), baselineState,
        new ResultProperties(finding.severity().id(), SarifText.clean(finding.capability()),
            finding.set().map(s -> s.id()).orElse(null), finding.mask().orElse(null), finding.context().id(),
            finding.policyContext().id()));
  }

  /**
   * A baseline finding no longer present. Only its key, severity and message survive in a baseline, so its location
   * is rebuilt from the key and it has no mask or policy context.
   */
  private static Result absent(BaselineEntry entry) {
    FindingKey key = entry.key();
    int colon = key.target().indexOf(':');
    String kind = colon < 0 ? "target" : key.target().substring(0, colon);
    String name = colon < 0 ? key.target() : key.target().substring(colon + 1);
    Optional<Rule> rule = Rules.byId(key.rule());
    Severity severity = severity(entry.severity()).or(() -> rule.map(Rule::severity)).orElse(Severity.INFO);
    List<LogicalLocation> logical = new ArrayList<>();
    holder(kind, name, key).ifPresent(logical::add);
    logical.add(new LogicalLocation(SarifText.clean(name), fullyQualifiedName(kind, name), kind, null));
    String message = entry.message() != null ? entry.message()
        : rule.map(Rule::title).orElse(key.rule()) + " (" + key.capability() + ")";
    return new Result(SarifText.clean(key.rule()), rule.map(r -> ruleIndex(r.id())).orElse(null), level(severity),
        new Message(SarifText.message(describe(kind, name) + ": " + message)),
        List.of(new Location(anchor(kind, name), List.copyOf(logical))),
        Map.of(FINGERPRINT, SarifText.clean(key.toString())), "absent",
        new ResultProperties(severity.id(), SarifText.clean(key.capability()),
            "-".equals(key.set()) ? null : SarifText.clean(key.set()), null, SarifText.clean(key.context()), null));
  }

  private static Optional<Severity> severity(String id) {
    if (id == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Severity.valueOf(id.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Integer ruleIndex(String ruleId) {
    List<Rule> rules = Rules.all();
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).id().equals(ruleId)) {
        return i;
      }
    }
    return null;
  }

  /**
   * Where GitHub code scanning files the result. SARIF allows a result with logical locations only, but GitHub
   * rejects the whole upload unless every result has {@code physicalLocation.artifactLocation.uri} and a region. A
   * container is no file, so the location is a relative URI naming the target ({@code container/sandbox-7}), the
   * same for every run, which also keeps alerts stable; line 1 stands for "the whole target".
   */
  private static PhysicalLocation anchor(String kind, String name) {
    return new PhysicalLocation(new ArtifactLocation(SarifText.uriSegment(kind) + "/" + SarifText.uriSegment(name)),
        new Region(1));
  }

  private static LogicalLocation target(TargetSnapshot target) {
    String kind = target.kind().id();
    String id = blankToNull(target.id());
    String image = blankToNull(target.image());
    return new LogicalLocation(SarifText.clean(target.name()), fullyQualifiedName(kind, target.name()), kind,
        id == null && image == null ? null : new LogicalLocationProperties(id, image, null, null, null));
  }

  /** The process, exec view or configuration that holds the capability. */
  private static Optional<LogicalLocation> holder(TargetSnapshot target, Finding finding) {
    String prefix = target.kind().id() + "/" + target.name();
    switch (finding.context()) {
      case PROCESS -> {
        if (finding.pid().isEmpty()) {
          return Optional.empty();
        }
        int pid = finding.pid().get();
        Optional<ProcessSnapshot> process = target.processes().stream()
            .filter(p -> p.pidInContainer() == pid).findFirst();
        String name = process.map(p -> p.status().name()).orElse("pid " + pid);
        return Optional.of(new LogicalLocation(SarifText.clean(name), SarifText.clean(prefix + "/pid/" + pid),
            "process", new LogicalLocationProperties(null, null, pid, null,
                process.map(p -> p.source().id()).orElse(null))));
      }
      case EXEC -> {
        if (finding.execUser().isEmpty()) {
          return Optional.empty();
        }
        String user = finding.execUser().get();
        Optional<ExecView> view = target.exec().stream().filter(e -> e.user().equals(user)).findFirst();
        return Optional.of(new LogicalLocation(SarifText.clean(user), SarifText.clean(prefix + "/exec/" + user),
            "exec", new LogicalLocationProperties(null, null, null, SarifText.clean(user),
                view.map(e -> e.source().id()).orElse(null))));
      }
      case CONFIG -> {
        return Optional.of(new LogicalLocation("config", SarifText.clean(prefix + "/config"), "config", null));
      }
      default -> throw new IllegalStateException("unknown finding context " + finding.context());
    }
  }

  /** The holder of a baseline finding, from its key: {@code pid=1}, {@code user=0} or {@code config}. */
  private static Optional<LogicalLocation> holder(String kind, String name, FindingKey key) {
    String prefix = kind + "/" + name;
    String holder = key.holder();
    if (holder.startsWith("pid=")) {
      String pid = holder.substring(4);
      Integer number = parseInt(pid);
      return Optional.of(new LogicalLocation(SarifText.clean("pid " + pid), SarifText.clean(prefix + "/pid/" + pid),
          "process", number == null ? null : new LogicalLocationProperties(null, null, number, null, null)));
    }
    if (holder.startsWith("user=")) {
      String user = holder.substring(5);
      return Optional.of(new LogicalLocation(SarifText.clean(user), SarifText.clean(prefix + "/exec/" + user), "exec",
          new LogicalLocationProperties(null, null, null, SarifText.clean(user), null)));
    }
    if (holder.equals("config")) {
      return Optional.of(new LogicalLocation("config", SarifText.clean(prefix + "/config"), "config", null));
    }
    return Optional.empty();
  }

  private static Integer parseInt(String text) {
    try {
      return Integer.valueOf(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Read problems of one target. Nothing observed at all is an error (the target was not audited); a gap in what was
   * observed is a warning (the target was audited, but not fully); notes on how data was obtained are notes.
   */
  private static List<Notification> notifications(TargetResult result) {
    TargetSnapshot target = result.target();
    String level = target.hasObservations() ? "warning" : "error";
    String what = describe(target.kind().id(), target.name());
    List<Location> where = List.of(new Location(null, List.of(target(target))));
    List<Notification> notifications = new ArrayList<>();
    for (String error : target.errors()) {
      String text = target.hasObservations()
          ? what + " was only partly read: " + error
          : what + " could not be read: " + error;
      notifications.add(new Notification(level, new Message(SarifText.message(text)), where));
    }
    if (target.errors().isEmpty() && result.verdict() == Verdict.ERROR) {
      notifications.add(new Notification(level,
          new Message(SarifText.message(what + ": no process or exec data could be read")), where));
    }
    for (String note : target.notes()) {
      notifications.add(new Notification("note", new Message(SarifText.message(what + ": " + note)), where));
    }
    return notifications;
  }

  private static RunProperties runProperties(AuditReport report) {
    var result = report.result();
    return new RunProperties(SarifText.clean(result.policyName()),
        report.baseline().map(BaselineComparison::baselineName).map(SarifText::clean).orElse(null),
        result.targets().size(), (int) result.count(Verdict.PASS), (int) result.count(Verdict.FAIL),
        (int) result.count(Verdict.ERROR));
  }

  /** {@code container sandbox-7}, for messages. */
  private static String describe(String kind, String name) {
    return kind + " " + name;
  }

  private static String fullyQualifiedName(String kind, String name) {
    return SarifText.clean(kind + "/" + name);
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : SarifText.clean(text);
  }
}
