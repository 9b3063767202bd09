package dev.capaudit.rules.baseline;

import dev.capaudit.rules.engine.AuditResult;
import dev.capaudit.rules.engine.Finding;
import dev.capaudit.rules.engine.Severity;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.model.TargetSnapshot;
import java.util.ArrayList;
import java.util.List;

/** One finding of a run, as far as a comparison needs it: its key, severity, holders and message. */
public record BaselineEntry(FindingKey key, Severity severity, List<HolderKey> holders, String message) {
  public BaselineEntry {
    holders = List.copyOf(holders);
  }

  public static BaselineEntry of(TargetSnapshot target, Finding finding) {
    return new BaselineEntry(FindingKey.of(target, finding), finding.severity(),
        finding.occurrences().stream().map(HolderKey::of).distinct().toList(), finding.message());
  }

  /** Every finding of a run. */
  public static List<BaselineEntry> of(AuditResult result) {
    List<BaselineEntry> entries = new ArrayList<>();
    for (TargetResult target : result.targets()) {
      target.findings().forEach(f -> entries.add(of(target.target(), f)));
    }
    return entries;
  }
}
