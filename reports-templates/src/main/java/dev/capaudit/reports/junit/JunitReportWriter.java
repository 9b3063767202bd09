package dev.capaudit.reports.junit;

import dev.capaudit.reports.AuditReport;
import dev.capaudit.reports.ReportWriter;
import dev.capaudit.rules.baseline.BaselineComparison;
import dev.capaudit.rules.engine.Finding;
import dev.capaudit.rules.engine.Rule;
import dev.capaudit.rules.engine.Rules;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.engine.Verdict;
import dev.capaudit.rules.model.TargetSnapshot;
import java.io.IOException;
import java.io.Writer;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.xml.stream.XMLStreamException;

/**
 * The JUnit XML report, for the test tabs of CI servers (Jenkins, GitLab, GitHub test reporters). It follows the
 * {@code junit-10.xsd} schema of the Jenkins xUnit plugin (what Jenkins, GitLab and the GitHub reporters read):
 *
 * <ul>
 *   <li>one {@code <testsuite>} per target, named after it, with the policy, target and verdict as properties and the
 *       target's notes as its {@code <system-out>};</li>
 *   <li>in each, a {@code target-readable} test case, an {@code <error>} when the target could not be read completely
 *       (never a pass), then one test case per rule in {@link Rules#all()}: a {@code <failure>} of type rule id when
 *       a finding of that rule fails the target, one line per finding; warnings (findings that do not fail the
 *       target) go to the case's {@code <system-out>}; a rule with no failing finding on a target that could not be
 *       read completely is {@code <skipped>}, since nothing proves it passes.</li>
 * </ul>
 *
 * <p>Output is deterministic: targets, rules and findings keep their order, the timestamp is the report's
 * {@code generatedAt} (UTC, in Ant's {@code yyyy-MM-dd'T'HH:mm:ss} form) and every time is 0, since nothing is timed.
 * Container-supplied text is shown with control and invisible characters escaped, and nothing XML 1.0 forbids is
 * ever written. The document declares UTF-8: {@code out} must encode UTF-8.
 */
public final class JunitReportWriter implements ReportWriter {
  /** The id of the test case that stands for "the target could be read". */
  static final String READABLE_ID = "target-readable";
  static final String READABLE_TITLE = "The target could be read";

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  public JunitReportWriter() {}

  @Override
  public void write(AuditReport report, Writer out) throws IOException {
    List<Suite> suites = suites(report);
    try {
      XmlOut xml = XmlOut.to(out);
      xml.startDocument();
      xml.start("testsuites",
          "name", "capaudit",
          "tests", Integer.toString(suites.stream().mapToInt(Suite::tests).sum()),
          "failures", Integer.toString(suites.stream().mapToInt(s -> s.count(Outcome.FAILURE)).sum()),
          "errors", Integer.toString(suites.stream().mapToInt(s -> s.count(Outcome.ERROR)).sum()),
          "time", "0");
      String timestamp = TIMESTAMP.format(report.generatedAt());
      for (int i = 0; i < suites.size(); i++) {
        writeSuite(xml, suites.get(i), i, timestamp);
      }
      xml.endDocument();
    } catch (XMLStreamException e) {
      throw new IOException("cannot write the JUnit report: " + e.getMessage(), e);
    }
  }

  private static void writeSuite(XmlOut xml, Suite suite, int index, String timestamp) throws XMLStreamException {
    xml.start("testsuite",
        "name", suite.name(),
        "tests", Integer.toString(suite.tests()),
        "failures", Integer.toString(suite.count(Outcome.FAILURE)),
        "errors", Integer.toString(suite.count(Outcome.ERROR)),
        "skipped", Integer.toString(suite.count(Outcome.SKIPPED)),
        "time", "0",
        "timestamp", timestamp,
        "id", Integer.toString(index));
    xml.start("properties");
    for (Map.Entry<String, String> property : suite.properties().entrySet()) {
      xml.empty("property", "name", property.getKey(), "value", property.getValue());
    }
    xml.end();
    for (Case c : suite.cases()) {
      writeCase(xml, suite.classname(), c);
    }
    if (!suite.systemOut().isEmpty()) {
      xml.textElement("system-out", suite.systemOut());
    }
    xml.end();
  }

  private static void writeCase(XmlOut xml, String classname, Case c) throws XMLStreamException {
    String[] attributes = {"name", c.name(), "classname", classname, "time", "0"};
    if (c.outcome() == Outcome.PASS && c.systemOut().isEmpty()) {
      xml.empty("testcase", attributes);
      return;
    }
    xml.start("testcase", attributes);
    switch (c.outcome()) {
      case FAILURE -> xml.textElement("failure", c.body(), "message", c.message(), "type", c.type());
      case ERROR -> xml.textElement("error", c.body(), "message", c.message(), "type", c.type());
      case SKIPPED -> xml.empty("skipped", "message", c.message());
      case PASS -> { }
    }
    if (!c.systemOut().isEmpty()) {
      xml.textElement("system-out", c.systemOut());
    }
    xml.end();
  }

  // ---- the model: everything is computed before writing, since suites carry their counts as attributes ----

  enum Outcome { PASS, FAILURE, ERROR, SKIPPED }

  /** One test case; message, type and body belong to the failure, error or skip, systemOut to the case. */
  record Case(String name, Outcome outcome, String message, String type, String body, String systemOut) {
    static Case pass(String name, String systemOut) {
      return new Case(name, Outcome.PASS, "", "", "", systemOut);
    }
  }

  record Suite(String name, String classname, Map<String, String> properties, List<Case> cases, String systemOut) {
    int tests() {
      return cases.size();
    }

    int count(Outcome outcome) {
      return (int) cases.stream().filter(c -> c.outcome() == outcome).count();
    }
  }

  static List<Suite> suites(AuditReport report) {
    List<Suite> suites = new ArrayList<>();
    Set<String> classnames = new HashSet<>();
    List<TargetResult> targets = report.result().targets();
    for (int i = 0; i < targets.size(); i++) {
      TargetResult result = targets.get(i);
      String name = suiteName(result.target(), i);
      suites.add(new Suite(name, uniqueClassname(name, classnames), properties(report, result),
          cases(report, result), notes(result.target())));
    }
    return suites;
  }

  private static List<Case> cases(AuditReport report, TargetResult result) {
    List<Case> cases = new ArrayList<>();
    Optional<String> unreadable = unreadable(result);
    cases.add(readableCase(result.target(), unreadable));

    Map<String, Rule> rules = new LinkedHashMap<>();
    Rules.all().forEach(rule -> rules.put(rule.id(), rule));
    // A finding of a rule the registry does not know must still be reported, never dropped.
    result.findings().forEach(f -> rules.putIfAbsent(f.rule().id(), f.rule()));

    for (Rule rule : rules.values()) {
      List<Finding> ofRule = result.findings().stream().filter(f -> f.rule().id().equals(rule.id())).toList();
      List<Finding> failing = ofRule.stream().filter(Finding::failsTarget).toList();
      List<Finding> warnings = ofRule.stream().filter(f -> !f.failsTarget()).toList();
      String name = rule.id() + ": " + rule.title();
      String systemOut = warnings.isEmpty() ? ""
          : "Warnings (they do not fail the target):\n" + findingsBlock(report, result.target(), warnings);
      if (!failing.isEmpty()) {
        List<String> lines = failing.stream().map(f -> findingLine(report, result.target(), f)).toList();
        cases.add(new Case(name, Outcome.FAILURE, summary(lines), rule.id(),
            findingsBlock(report, result.target(), failing) + "\n\n" + ruleBlock(rule), systemOut));
      } else if (unreadable.isPresent()) {
        cases.add(new Case(name, Outcome.SKIPPED,
            "not proven: the target could not be read completely (see " + READABLE_ID + ")", "", "", systemOut));
      } else {
        cases.add(Case.pass(name, systemOut));
      }
    }
    return cases;
  }

  /**
   * Why the target is not completely read, if it is not: read errors, or no process and no exec view (the
   * auditor's condition for {@code error}), or an {@code error} verdict for any other reason.
   */
  private static Optional<String> unreadable(TargetResult result) {
    TargetSnapshot target = result.target();
    if (!target.errors().isEmpty()) {
      return Optional.of(summary(target.errors().stream().map(XmlText::printable).toList()));
    }
    if (target.processes().isEmpty() && target.exec().isEmpty()) {
      return Optional.of(target.config().isPresent()
          ? "no process or exec view could be read; only the configuration was judged"
          : "nothing could be read: no process, exec view or configuration");
    }
    if (result.verdict() == Verdict.ERROR) {
      return Optional.of("the target could not be judged");
    }
    return Optional.empty();
  }

  private static Case readableCase(TargetSnapshot target, Optional<String> unreadable) {
    String name = READABLE_ID + ": " + READABLE_TITLE;
    if (unreadable.isEmpty()) {
      return Case.pass(name, "");
    }
    StringBuilder body = new StringBuilder();
    if (target.errors().isEmpty()) {
      body.append(unreadable.get()).append('\n');
    } else {
      target.errors().forEach(e -> body.append(XmlText.printable(e)).append('\n'));
    }
    body.append("\nA target that cannot be read completely is an error, never a pass: nothing proves its processes"
        + " hold no capability the policy forbids.");
    return new Case(name, Outcome.ERROR, unreadable.get(), READABLE_ID, body.toString(), "");
  }

  /**
   * One finding on one line: {@code [new] CAP_SYS_ADMIN in bounding (CapBnd=0x200100) of pid 1 (sleep, uid 1000),
   * process context}. The subject names the pid or exec user; the status marker appears only with a baseline.
   */
  static String findingLine(AuditReport report, TargetSnapshot target, Finding finding) {
    StringBuilder line = new StringBuilder();
    report.statusOf(target, finding).ifPresent(status -> line.append('[').append(status.id()).append("] "));
    line.append(XmlText.printable(finding.capability()));
    if (finding.set().isPresent()) {
      line.append(" in ").append(finding.set().get().id());
      finding.mask().ifPresent(mask -> line.append(" (").append(finding.set().get().procField()).append('=')
          .append(XmlText.printable(mask)).append(')'));
      line.append(" of ");
    } else {
      line.append(" in ");
    }
    line.append(XmlText.printable(finding.subject())).append(", ").append(finding.context().id()).append(" context");
    return line.toString();
  }

  /** The one-line lines, then the engine's message for each, with its severity. */
  private static String findingsBlock(AuditReport report, TargetSnapshot target, List<Finding> findings) {
    StringBuilder block = new StringBuilder();
    findings.forEach(f -> block.append(findingLine(report, target, f)).append('\n'));
    block.append("\nDetails:");
    findings.forEach(f -> block.append("\n- ").append(f.severity().id()).append(": ")
        .append(XmlText.printable(f.message())));
    return block.toString();
  }

  private static String ruleBlock(Rule rule) {
    return "Rule " + rule.id() + " (" + rule.severity().id() + "): " + rule.title() + "\n"
        + "Why: " + rule.rationale() + "\n"
        + "Fix: " + rule.remediation() + "\n"
        + "CIS: " + String.join(", ", rule.cisReferences());
  }

  /** The first line, and how many more: what a test tab shows in its one-line message. */
  private static String summary(List<String> lines) {
    return lines.size() == 1 ? lines.get(0) : lines.get(0) + " (+" + (lines.size() - 1) + " more)";
  }

  private static Map<String, String> properties(AuditReport report, TargetResult result) {
    TargetSnapshot target = result.target();
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("capaudit.version", XmlText.printable(report.toolVersion()));
    properties.put("capaudit.policy", XmlText.printable(report.result().policyName()));
    report.baseline().map(BaselineComparison::baselineName)
        .ifPresent(name -> properties.put("capaudit.baseline", XmlText.printable(name)));
    properties.put("capaudit.target.kind", target.kind().id());
    putIfPresent(properties, "capaudit.target.id", target.id());
    putIfPresent(properties, "capaudit.target.image", target.image());
    properties.put("capaudit.verdict", result.verdict().id());
    return properties;
  }

  /** Snapshots often have no id or image: leave the property out rather than write an empty value. */
  private static void putIfPresent(Map<String, String> properties, String name, String value) {
    String shown = XmlText.printable(value);
    if (!shown.isBlank()) {
      properties.put(name, shown);
    }
  }

  private static String notes(TargetSnapshot target) {
    if (target.notes().isEmpty()) {
      return "";
    }
    return target.notes().stream().map(n -> "- " + XmlText.printable(n))
        .collect(Collectors.joining("\n", "Notes:\n", ""));
  }

  private static String suiteName(TargetSnapshot target, int index) {
    String name = XmlText.printable(target.name()).strip();
    if (name.isEmpty()) {
      name = XmlText.printable(target.id()).strip();
    }
    return name.isEmpty() ? "target-" + index : name;
  }

  /**
   * {@code capaudit.<name>} with everything but letters, digits, {@code _} and {@code -} made {@code _}: CI servers
   * split a classname into package and class at its dots. A name that collides after that gets a {@code _2}, ...
   */
  private static String uniqueClassname(String suiteName, Set<String> taken) {
    StringBuilder token = new StringBuilder();
    suiteName.codePoints().forEach(cp -> token.append(
        cp < 0x80 && (Character.isLetterOrDigit(cp) || cp == '_' || cp == '-') ? (char) cp : '_'));
    String base = "capaudit." + token;
    String classname = base;
    for (int n = 2; !taken.add(classname); n++) {
      classname = base + "_" + n;
    }
    return classname;
  }
}
