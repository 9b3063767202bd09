package dev.capaudit.reports.junit;

import dev.capaudit.reports.AuditReport;
import dev.capaudit.rules.engine.Finding;
import dev.capaudit.rules.engine.Occurrence;
import dev.capaudit.rules.engine.Rule;
import dev.capaudit.rules.engine.Rules;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.model.TargetOrigin;
import dev.capaudit.rules.model.TargetSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The test cases of one target: {@code target-readable}, one case per finding (rule and capability, named so it
 * survives a restart: {@code must-drop-present CAP_SYS_ADMIN}), and one case per rule with no finding, which passes,
 * or is skipped when the target could not be read completely.
 */
final class JunitCases {
  static final String READABLE_ID = "target-readable";
  /** Jenkins and GitLab keep failure bodies in memory and in their databases: each stays below this. */
  static final int MAX_BODY_CHARS = 16 * 1024;
  private static final int MAX_MESSAGE_CHARS = 1024;

  private JunitCases() {}

  /** One test case; message, type and body belong to the failure, error or skip, systemOut to the case. */
  record Case(String name, String classname, Outcome outcome, String message, String type, String body,
      String systemOut) {}

  enum Outcome { PASS, FAILURE, ERROR, SKIPPED }

  static List<Case> of(AuditReport report, TargetResult result, String classname) {
    List<Case> cases = new ArrayList<>();
    cases.add(readable(result, classname));
    Map<String, Rule> quiet = new LinkedHashMap<>();
    Rules.all().forEach(rule -> quiet.put(rule.id(), rule));
    for (Finding finding : result.findings()) {
      quiet.remove(finding.rule().id());
      cases.add(finding(report, result.target(), finding, classname));
    }
    for (Rule rule : quiet.values()) {
      cases.add(result.incomplete().isPresent()
          ? new Case(rule.id(), classname, Outcome.SKIPPED, "not proven: the target could not be read completely"
              + " (see " + READABLE_ID + ")", "", "", "")
          : new Case(rule.id(), classname, Outcome.PASS, "", "", "", ""));
    }
    return cases;
  }

  private static Case readable(TargetResult result, String classname) {
    String about = about(result);
    if (result.incomplete().isEmpty()) {
      return new Case(READABLE_ID, classname, Outcome.PASS, "", "", "", about);
    }
    TargetSnapshot target = result.target();
    StringBuilder body = new StringBuilder();
    if (target.errors().isEmpty()) {
      body.append(XmlText.printable(result.incomplete().get())).append('\n');
    } else {
      target.errors().forEach(e -> body.append(XmlText.printable(e)).append('\n'));
    }
    body.append("\nA target that cannot be read completely is an error, never a pass: nothing proves its processes"
        + " hold no capability the policy forbids.");
    return new Case(READABLE_ID, classname, Outcome.ERROR, bounded(XmlText.printable(result.incomplete().get()),
        MAX_MESSAGE_CHARS), READABLE_ID, bounded(body.toString(), MAX_BODY_CHARS), about);
  }

  /** What the target is: shown once per target, in the readable case's output. */
  private static String about(TargetResult result) {
    TargetSnapshot t = result.target();
    TargetOrigin o = t.origin();
    StringBuilder text = new StringBuilder("Target: ").append(t.kind().id()).append(' ')
        .append(XmlText.printable(t.name()));
    if (!t.id().isBlank()) {
      text.append("\nId: ").append(XmlText.printable(t.id()));
    }
    if (!t.image().isBlank()) {
      text.append("\nImage: ").append(XmlText.printable(t.image()));
    }
    if (!o.equals(TargetOrigin.UNKNOWN)) {
      text.append("\nOrigin: node ").append(XmlText.printable(o.node())).append(", engine ")
          .append(XmlText.printable(o.engine())).append(", runtime ").append(XmlText.printable(o.runtime()));
      o.kubernetes().ifPresent(k -> text.append(", pod ").append(XmlText.printable(k.podNamespace() + "/" + k.pod()))
          .append(" container ").append(XmlText.printable(k.container())));
    }
    text.append("\nVerdict: ").append(result.verdict().id()).append("\nHeadline: ")
        .append(XmlText.printable(result.headline()));
    t.notes().forEach(n -> text.append("\nNote: ").append(XmlText.printable(n)));
    return text.toString();
  }

  private static Case finding(AuditReport report, TargetSnapshot target, Finding finding, String classname) {
    String name = finding.rule().id() + " " + XmlText.printable(finding.capability().name());
    Optional<String> status = report.statusOf(target, finding).map(s -> "[" + s.id() + "] ");
    String message = bounded(status.orElse("") + finding.severity().id() + ": "
        + XmlText.printable(finding.message()), MAX_MESSAGE_CHARS);
    String body = bounded(body(report, target, finding), MAX_BODY_CHARS);
    return finding.failsTarget()
        ? new Case(name, classname, Outcome.FAILURE, message, finding.rule().id(), body, "")
        : new Case(name, classname, Outcome.PASS, "", "", "", "Warning (it does not fail the target): " + message
            + "\n\n" + body);
  }

  /** Every holder on its own line, then the rule: what a reader of a CI test tab needs to act. */
  private static String body(AuditReport report, TargetSnapshot target, Finding finding) {
    StringBuilder body = new StringBuilder();
    body.append(XmlText.printable(finding.message())).append("\n\nHeld by ").append(finding.holderCount())
        .append(finding.holderCount() == 1 ? " holder:" : " holders:");
    for (Occurrence o : finding.occurrences()) {
      body.append("\n- ");
      report.statusOf(target, finding, o).ifPresent(s -> body.append('[').append(s.id()).append("] "));
      body.append(o.context().id()).append(": ").append(XmlText.printable(o.holder().describe()));
      if (!o.sets().isEmpty()) {
        body.append(" (").append(o.masks()).append(')');
      }
      if (!o.note().isEmpty()) {
        body.append(", ").append(XmlText.printable(o.note()));
      }
      if (body.length() > MAX_BODY_CHARS) {
        break;
      }
    }
    Rule rule = finding.rule();
    body.append("\n\nRule ").append(rule.id()).append(" (").append(finding.severity().id()).append("): ")
        .append(rule.title()).append("\nWhy: ").append(rule.rationale()).append("\nFix: ").append(rule.remediation())
        .append("\nCIS: ").append(String.join(", ", rule.cisReferences()));
    return body.toString();
  }

  /** Cut at the limit with a note saying where the rest is; never mid surrogate pair. */
  static String bounded(String text, int limit) {
    if (text.length() <= limit) {
      return text;
    }
    String note = " [... cut at " + limit / 1024 + " KiB; the JSON report has every holder]";
    int cut = limit - note.length();
    if (Character.isHighSurrogate(text.charAt(cut - 1))) {
      cut--;
    }
    return text.substring(0, cut) + note;
  }
}
