package dev.capaudit.reports.html;

import dev.capaudit.reports.AuditReport;
import dev.capaudit.rules.baseline.FindingStatus;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.engine.Finding;
import dev.capaudit.rules.engine.Holder;
import dev.capaudit.rules.engine.Occurrence;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.policy.AuditContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A target's findings as rows. Each holder is named by a few words linking to the row that shows its sets once (its
 * process, thread or exec row, or the configuration), and the findings of one rule that the same holders hold in
 * the same sets are one row: three root workers holding NET_RAW, SYS_PTRACE and SYS_ADMIN alike make one row, not
 * three rows repeating the same holders.
 */
final class FindingRows {
  /** Holders named per finding; the rest are counted (the JSON report has them all). */
  static final int HOLDERS_SHOWN = 5;

  /** What makes findings one row: everything shown but the capability. */
  private record Alike(String severity, String rule, String status, String reason, List<HtmlModel.HeldIn> heldBy,
      int moreHolders) {}

  private FindingRows() {}

  /** @param anchorOf where a holder's sets are shown */
  static List<HtmlModel.FindingRow> of(TargetResult result, AuditReport report, Function<Holder, String> anchorOf) {
    Map<Alike, List<String>> rows = new LinkedHashMap<>();
    for (Finding f : result.findings()) {
      // Holders seen in the same context and sets are listed together, the sets named once.
      Map<List<Object>, List<HtmlModel.HolderRef>> byPlace = new LinkedHashMap<>();
      // "and 1 more" would take the place of the one it hides.
      int limit = f.occurrences().size() == HOLDERS_SHOWN + 1 ? HOLDERS_SHOWN + 1 : HOLDERS_SHOWN;
      List<Occurrence> shown = f.occurrences().subList(0, Math.min(limit, f.occurrences().size()));
      for (Occurrence o : shown) {
        String sets = o.sets().keySet().stream().map(CapabilitySetKind::procField).collect(Collectors.joining(" "));
        byPlace.computeIfAbsent(List.of(o.context(), sets), c -> new ArrayList<>()).add(new HtmlModel.HolderRef(
            anchorOf.apply(o.holder()), o.holder().describe(),
            report.statusOf(result.target(), f, o).map(FindingStatus::id).orElse(""), o.note()));
      }
      List<HtmlModel.HeldIn> heldBy = new ArrayList<>();
      byPlace.forEach((place, refs) -> heldBy.add(new HtmlModel.HeldIn(((AuditContext) place.get(0)).id(),
          (String) place.get(1), refs)));
      Alike key = new Alike(f.severity().id(), f.rule().id(), report.statusOf(result.target(), f)
          .map(FindingStatus::id).orElse(""), f.reason(), heldBy, f.occurrences().size() - shown.size());
      rows.computeIfAbsent(key, k -> new ArrayList<>()).add(f.capability().name());
    }
    List<HtmlModel.FindingRow> merged = new ArrayList<>();
    rows.forEach((k, capabilities) -> merged.add(new HtmlModel.FindingRow(k.severity(), k.rule(), k.status(),
        capabilities, k.reason(), k.heldBy(), k.moreHolders())));
    return merged;
  }
}
