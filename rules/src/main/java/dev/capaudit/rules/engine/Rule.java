package dev.capaudit.rules.engine;

import java.util.List;

/**
 * A rule documented as data: what it checks, why it matters, which CIS control it implements and how to fix it.
 *
 * @param cisReferences the control in each benchmark numbering (5.3 in CIS 1.1-1.5 became 5.4 in CIS 1.6)
 */
public record Rule(
    String id, String title, Severity severity, String rationale, List<String> cisReferences, String remediation) {
  public Rule {
    cisReferences = List.copyOf(cisReferences);
  }
}
