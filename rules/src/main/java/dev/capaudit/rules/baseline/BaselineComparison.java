package dev.capaudit.rules.baseline;

import dev.capaudit.rules.engine.AuditResult;
import dev.capaudit.rules.engine.Finding;
import dev.capaudit.rules.engine.Occurrence;
import dev.capaudit.rules.engine.Severity;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.model.TargetSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The findings of a run compared with a baseline run: each current finding is new or existing, and baseline
 * findings that no longer appear are fixed. A finding is existing when the baseline had it (target, rule,
 * capability) and every holder of it now was a holder then, matched by name and uid, never by pid: a restart does
 * not make it new, a new process holding it does. Lets a team adopt the gate without fixing everything on day one.
 *
 * @param baselineName where the baseline came from, for reports
 * @param known the baseline's holders of each finding
 */
public record BaselineComparison(String baselineName, Map<FindingKey, Set<HolderKey>> known,
    List<BaselineEntry> fixed) {
  public BaselineComparison {
    known = Map.copyOf(known);
    fixed = List.copyOf(fixed);
  }

  public static BaselineComparison compare(String baselineName, AuditResult current, List<BaselineEntry> baseline) {
    return compare(baselineName, BaselineEntry.of(current), baseline);
  }

  public static BaselineComparison compare(String baselineName, List<BaselineEntry> current,
      List<BaselineEntry> baseline) {
    Map<FindingKey, Set<HolderKey>> known = new HashMap<>();
    Map<FindingKey, BaselineEntry> first = new LinkedHashMap<>();
    for (BaselineEntry entry : baseline) {
      known.computeIfAbsent(entry.key(), k -> new HashSet<>()).addAll(entry.holders());
      first.putIfAbsent(entry.key(), entry);
    }
    Set<FindingKey> now = new HashSet<>();
    current.forEach(e -> {
      now.add(e.key());
      now.add(e.key().withoutOrigin());
    });
    List<BaselineEntry> fixed = new ArrayList<>();
    first.forEach((key, entry) -> {
      if (!now.contains(key)) {
        fixed.add(entry);
      }
    });
    return new BaselineComparison(baselineName, known, fixed);
  }

  public FindingStatus statusOf(TargetSnapshot target, Finding finding) {
    return statusOf(BaselineEntry.of(target, finding));
  }

  public FindingStatus statusOf(BaselineEntry entry) {
    Set<HolderKey> holders = holders(entry.key());
    return holders.containsAll(entry.holders()) && !holders.isEmpty() ? FindingStatus.EXISTING : FindingStatus.NEW;
  }

  /** Whether this one holder of a finding was already a holder in the baseline. */
  public FindingStatus statusOf(TargetSnapshot target, Finding finding, Occurrence occurrence) {
    return holders(FindingKey.of(target, finding)).contains(HolderKey.of(occurrence)) ? FindingStatus.EXISTING
        : FindingStatus.NEW;
  }

  /** Whether any finding of at least {@code threshold} severity is new: what {@code --fail-on new} gates on. */
  public boolean hasNewViolations(AuditResult current, Severity threshold) {
    for (TargetResult target : current.targets()) {
      for (Finding finding : target.findings()) {
        if (finding.severity().compareTo(threshold) <= 0
            && statusOf(target.target(), finding) == FindingStatus.NEW) {
          return true;
        }
      }
    }
    return false;
  }

  /** Holders the baseline knows; a baseline that knew no origin (schema version 1) matches by kind and name. */
  private Set<HolderKey> holders(FindingKey key) {
    Set<HolderKey> exact = known.get(key);
    if (exact != null) {
      return exact;
    }
    return key.target().hasOrigin() ? known.getOrDefault(key.withoutOrigin(), Set.of()) : Set.of();
  }
}
