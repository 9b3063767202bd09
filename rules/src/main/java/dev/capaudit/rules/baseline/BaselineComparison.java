package dev.capaudit.rules.baseline;

import dev.capaudit.rules.engine.AuditResult;
import dev.capaudit.rules.engine.Finding;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.model.TargetSnapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The findings of a run compared with a baseline run: each current finding is new or existing, and baseline
 * findings that no longer appear are fixed. Lets a team adopt the gate without fixing everything on day one.
 *
 * @param baselineName where the baseline came from, for reports
 */
public record BaselineComparison(String baselineName, Set<FindingKey> baselineKeys, List<BaselineEntry> fixed) {
  public BaselineComparison {
    baselineKeys = Set.copyOf(baselineKeys);
    fixed = List.copyOf(fixed);
  }

  public static BaselineComparison compare(String baselineName, AuditResult current, List<BaselineEntry> baseline) {
    Set<FindingKey> currentKeys = new HashSet<>();
    for (TargetResult target : current.targets()) {
      for (Finding finding : target.findings()) {
        currentKeys.add(FindingKey.of(target.target(), finding));
      }
    }
    Map<FindingKey, BaselineEntry> byKey = new LinkedHashMap<>();
    baseline.forEach(entry -> byKey.putIfAbsent(entry.key(), entry));
    List<BaselineEntry> fixed = new ArrayList<>();
    byKey.forEach((key, entry) -> {
      if (!currentKeys.contains(key)) {
        fixed.add(entry);
      }
    });
    return new BaselineComparison(baselineName, byKey.keySet(), fixed);
  }

  public FindingStatus statusOf(TargetSnapshot target, Finding finding) {
    return baselineKeys.contains(FindingKey.of(target, finding)) ? FindingStatus.EXISTING : FindingStatus.NEW;
  }

  /** Whether any finding that fails a target is new: what {@code --fail-on new} gates on. */
  public boolean hasNewViolations(AuditResult current) {
    for (TargetResult target : current.targets()) {
      for (Finding finding : target.findings()) {
        if (finding.failsTarget() && statusOf(target.target(), finding) == FindingStatus.NEW) {
          return true;
        }
      }
    }
    return false;
  }
}
