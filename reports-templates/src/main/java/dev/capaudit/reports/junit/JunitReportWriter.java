package dev.capaudit.reports.junit;

import dev.capaudit.reports.AuditReport;
import dev.capaudit.reports.ReportWriter;
import dev.capaudit.reports.junit.JunitCases.Case;
import dev.capaudit.reports.junit.JunitCases.Outcome;
import dev.capaudit.rules.baseline.BaselineComparison;
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
import java.util.Set;
import javax.xml.stream.XMLStreamException;

/**
 * The JUnit XML report, for CI test tabs. One {@code <testsuite>} is the root: Ant's {@code junitreport} accepts
 * nothing else, and Jenkins ({@code junit-10.xsd}) and GitLab read it as well. Each target is a class
 * ({@code capaudit.<node>.<name>}) whose cases are listed in {@link JunitCases}.
 *
 * <p>Output is deterministic: targets keep the report's worst-first order, the timestamp is the report's
 * {@code generatedAt} (UTC, in Ant's {@code yyyy-MM-dd'T'HH:mm:ss} form) and every time is 0, since nothing is timed.
 * Container-supplied text is shown with control and invisible characters escaped, and nothing XML 1.0 forbids is
 * ever written. The document declares UTF-8: {@code out} must encode UTF-8.
 */
public final class JunitReportWriter implements ReportWriter {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  @Override
  public void write(AuditReport report, Writer out) throws IOException {
    List<Case> cases = cases(report);
    try {
      XmlOut xml = XmlOut.to(out);
      xml.startDocument();
      xml.start("testsuite",
          "name", "capaudit",
          "tests", Integer.toString(cases.size()),
          "failures", count(cases, Outcome.FAILURE),
          "errors", count(cases, Outcome.ERROR),
          "skipped", count(cases, Outcome.SKIPPED),
          "time", "0",
          "timestamp", TIMESTAMP.format(report.generatedAt()));
      xml.start("properties");
      for (Map.Entry<String, String> property : properties(report).entrySet()) {
        xml.empty("property", "name", property.getKey(), "value", property.getValue());
      }
      xml.end();
      for (Case c : cases) {
        writeCase(xml, c);
      }
      xml.endDocument();
    } catch (XMLStreamException e) {
      throw new IOException("cannot write the JUnit report: " + e.getMessage(), e);
    }
  }

  static List<Case> cases(AuditReport report) {
    List<Case> cases = new ArrayList<>();
    Set<String> classnames = new HashSet<>();
    for (TargetResult target : report.result().targets()) {
      cases.addAll(JunitCases.of(report, target, uniqueClassname(target.target(), classnames)));
    }
    return cases;
  }

  private static String count(List<Case> cases, Outcome outcome) {
    return Long.toString(cases.stream().filter(c -> c.outcome() == outcome).count());
  }

  private static void writeCase(XmlOut xml, Case c) throws XMLStreamException {
    String[] attributes = {"name", c.name(), "classname", c.classname(), "time", "0"};
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

  private static Map<String, String> properties(AuditReport report) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("capaudit.version", XmlText.printable(report.toolVersion()));
    properties.put("capaudit.policy", XmlText.printable(report.result().policyName()));
    report.baseline().map(BaselineComparison::baselineName)
        .ifPresent(name -> properties.put("capaudit.baseline", XmlText.printable(name)));
    properties.put("capaudit.targets", Integer.toString(report.result().targets().size()));
    for (Verdict verdict : Verdict.values()) {
      properties.put("capaudit.targets." + verdict.id(), Long.toString(report.result().count(verdict)));
    }
    return properties;
  }

  /**
   * {@code capaudit.<node>.<name>} with everything but letters, digits, {@code _} and {@code -} made {@code _}: CI
   * servers split a classname into package and class at its dots, so a node becomes a package. A name that collides
   * after that gets a {@code _2}, ...
   */
  private static String uniqueClassname(TargetSnapshot target, Set<String> taken) {
    String name = token(target.name().isBlank() ? target.id() : target.name());
    String node = target.origin().node();
    String base = "capaudit." + (node.isBlank() ? "" : token(node) + ".") + (name.isEmpty() ? "target" : name);
    String classname = base;
    for (int n = 2; !taken.add(classname); n++) {
      classname = base + "_" + n;
    }
    return classname;
  }

  private static String token(String text) {
    StringBuilder token = new StringBuilder();
    XmlText.printable(text).strip().codePoints().forEach(cp -> token.append(
        cp < 0x80 && (Character.isLetterOrDigit(cp) || cp == '_' || cp == '-') ? (char) cp : '_'));
    return token.toString();
  }
}
