package dev.capaudit.reports.json;

import dev.capaudit.rules.baseline.BaselineEntry;
import dev.capaudit.rules.baseline.FindingKey;
import java.util.ArrayList;
import java.util.List;

/** Turns an earlier JSON report into baseline entries, keyed exactly as {@link FindingKey#of} keys live findings. */
public final class JsonBaselines {
  private JsonBaselines() {}

  public static List<BaselineEntry> entries(JsonReport report) {
    List<BaselineEntry> entries = new ArrayList<>();
    for (JsonReport.Target target : nullToEmpty(report.targets())) {
      for (JsonReport.Finding f : nullToEmpty(target.findings())) {
        String holder = f.pid() != null ? "pid=" + f.pid() : f.execUser() != null ? "user=" + f.execUser() : "config";
        entries.add(new BaselineEntry(new FindingKey(target.kind() + ":" + target.name(), f.rule(), f.capability(),
            f.context(), holder, f.set() == null ? "-" : f.set()), f.severity(), f.message()));
      }
    }
    return entries;
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
