package dev.capaudit.reports.html;

import dev.capaudit.reports.AuditReport;
import dev.capaudit.rules.baseline.FindingStatus;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.engine.Finding;
import dev.capaudit.rules.engine.Holder;
import dev.capaudit.rules.engine.Occurrence;
import dev.capaudit.rules.engine.TargetResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A target's findings as rows. Each holder links to the row that shows its sets once (its process, thread or exec
 * row, or the configuration), and the findings of one rule that the same holders hold in the same sets are one row:
 * three root workers holding NET_RAW, SYS_PTRACE and SYS_ADMIN alike make one row, not three rows repeating the same
 * holders.
 */
final class FindingRows {
  /** Holders named per finding; the rest are counted (the JSON report has them all). */
  static final int HOLDERS_SHOWN = 5;

  /** A row being built: everything shown but the capabilities, which it collects. */
  private record Row(String severity, String rule, String status, String reason, List<HtmlModel.HeldIn> heldBy,
      int moreHolders, List<String> capabilities) {}

  private FindingRows() {}

  /** @param anchorOf where a holder's sets are shown */
  static List<HtmlModel.FindingRow> of(TargetResult result, AuditReport report, Function<Holder, String> anchorOf) {
    // Keyed by a string of what is shown: a record key's hashCode is slow in a C1-only JVM.
    Map<String, Row> rows = new LinkedHashMap<>();
    for (Finding f : result.findings()) {
      StringBuilder key = new StringBuilder();
      // Holders seen in the same context and sets are listed together, the sets named once.
      Map<String, List<HtmlModel.HolderRef>> byPlace = new LinkedHashMap<>();
      // "and 1 more" would take the place of the one it hides.
      int limit = f.occurrences().size() == HOLDERS_SHOWN + 1 ? HOLDERS_SHOWN + 1 : HOLDERS_SHOWN;
      List<Occurrence> shown = f.occurrences().subList(0, Math.min(limit, f.occurrences().size()));
      for (Occurrence o : shown) {
        String place = o.context().id() + "\0" + o.sets().keySet().stream().map(CapabilitySetKind::procField)
            .collect(Collectors.joining(" "));
        HtmlModel.HolderRef ref = new HtmlModel.HolderRef(anchorOf.apply(o.holder()), o.holder().describe(),
            report.statusOf(result.target(), f, o).map(FindingStatus::id).orElse(""), o.note());
        byPlace.computeIfAbsent(place, c -> new ArrayList<>()).add(ref);
        key.append(place).append('\0').append(ref.anchor()).append('\0').append(ref.label()).append('\0')
            .append(ref.status()).append('\0').append(ref.note()).append('\n');
      }
      List<HtmlModel.HeldIn> heldBy = new ArrayList<>();
      byPlace.forEach((place, refs) -> {
        int split = place.indexOf('\0');
        heldBy.add(new HtmlModel.HeldIn(place.substring(0, split), place.substring(split + 1), refs));
      });
      String status = report.statusOf(result.target(), f).map(FindingStatus::id).orElse("");
      int more = f.occurrences().size() - shown.size();
      // The holders not shown must be alike too, or "and N more" would stand for different holders.
      f.occurrences().subList(shown.size(), f.occurrences().size()).forEach(o -> key.append(o.context().id())
          .append('\0').append(o.holder().describe()).append('\0').append(o.sets().keySet()).append('\n'));
      key.append(f.severity().id()).append('\0').append(f.rule().id()).append('\0').append(status).append('\0')
          .append(f.reason()).append('\0').append(more);
      rows.computeIfAbsent(key.toString(), k -> new Row(f.severity().id(), f.rule().id(), status, f.reason(), heldBy,
          more, new ArrayList<>())).capabilities().add(f.capability().name());
    }
    List<HtmlModel.FindingRow> merged = new ArrayList<>();
    rows.values().forEach(r -> merged.add(new HtmlModel.FindingRow(r.severity(), r.rule(), r.status(),
        r.capabilities(), r.reason(), r.heldBy(), r.moreHolders())));
    return merged;
  }
}
