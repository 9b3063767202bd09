package dev.capaudit.reports.html;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySets;
import dev.capaudit.rules.engine.Finding;
import dev.capaudit.rules.engine.Occurrence;
import dev.capaudit.rules.engine.Rules;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.model.ExecView;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.policy.AuditContext;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The capability x context matrix, one row per context a target holds capabilities in (contexts that hold the same
 * alike share a row): each capability held there, most dangerous first, under what the policy made of it. Listing
 * names per judgement keeps a row short where a grid of 41 capabilities
 * by 5 contexts would be mostly empty cells. The judgement is read off the findings, so the matrix and the findings
 * can never disagree.
 */
final class CapabilityMatrix {
  /** Judgements from worst to best; a capability judged in several findings shows the worst. */
  private enum Mark { MUST_DROP, NOT_ALLOWED, WARNING, ALLOWED }

  private CapabilityMatrix() {}

  static List<HtmlModel.ContextRow> rows(TargetResult result) {
    Map<AuditContext, CapabilityMask> held = held(result.target());
    Map<AuditContext, Map<String, Mark>> judged = judged(result.findings());
    // Contexts that hold the same with the same judgements share a row (a root container's processes, its root
    // exec shell and its configuration often do).
    Map<String, List<String>> cellsOf = new LinkedHashMap<>();
    Map<String, List<String>> rows = new LinkedHashMap<>();
    for (AuditContext context : AuditContext.values()) {
      CapabilityMask mask = held.getOrDefault(context, CapabilityMask.EMPTY);
      if (mask.isEmpty()) {
        continue;
      }
      // Most dangerous first, as findings are ordered; known capabilities without CAP_, as policies name them.
      Map<Mark, List<String>> byMark = new EnumMap<>(Mark.class);
      Map<String, Mark> marks = judged.getOrDefault(context, Map.of());
      for (Capability capability : Capability.byRisk()) {
        if (mask.contains(capability)) {
          byMark.computeIfAbsent(marks.getOrDefault(capability.canonicalName(), Mark.ALLOWED),
              m -> new ArrayList<>()).add(capability.name());
        }
      }
      for (int bit : mask.unknownBits()) {
        String name = CapabilityMask.unknownName(bit);
        byMark.computeIfAbsent(marks.getOrDefault(name, Mark.ALLOWED), m -> new ArrayList<>()).add(name);
      }
      List<String> cells = new ArrayList<>();
      for (Mark m : Mark.values()) {
        cells.add(String.join(", ", byMark.getOrDefault(m, List.of())));
      }
      String key = String.join("\n", cells);
      cellsOf.putIfAbsent(key, cells);
      rows.computeIfAbsent(key, c -> new ArrayList<>()).add(context.id());
    }
    List<HtmlModel.ContextRow> merged = new ArrayList<>();
    rows.forEach((key, contexts) -> {
      List<String> cells = cellsOf.get(key);
      merged.add(new HtmlModel.ContextRow(String.join(", ", contexts), cells.get(0), cells.get(1), cells.get(2),
          cells.get(3)));
    });
    return merged;
  }

  /** Every capability held in any set, per context. */
  private static Map<AuditContext, CapabilityMask> held(TargetSnapshot target) {
    Map<AuditContext, CapabilityMask> held = new EnumMap<>(AuditContext.class);
    for (ProcessSnapshot process : target.processes()) {
      held.merge(AuditContext.forProcess(process.status().runsAsRoot()), union(process.status().capabilities()),
          CapabilityMask::union);
      process.threads().forEach(t -> held.merge(AuditContext.forProcess(t.status().runsAsRoot()),
          union(t.status().capabilities()), CapabilityMask::union));
    }
    for (ExecView view : target.exec()) {
      held.merge(AuditContext.forExec(view.root()), union(view.capabilities()), CapabilityMask::union);
    }
    target.config().ifPresent(config -> held.put(AuditContext.CONFIG, config.boundingSet()));
    return held;
  }

  private static CapabilityMask union(CapabilitySets sets) {
    CapabilityMask all = CapabilityMask.EMPTY;
    for (CapabilityMask mask : sets.masks().values()) {
      all = all.union(mask);
    }
    return all;
  }

  private static Map<AuditContext, Map<String, Mark>> judged(List<Finding> findings) {
    Map<AuditContext, Map<String, Mark>> judged = new EnumMap<>(AuditContext.class);
    for (Finding finding : findings) {
      Mark mark = mark(finding);
      if (mark == null) {
        continue;
      }
      for (Occurrence occurrence : finding.occurrences()) {
        judged.computeIfAbsent(occurrence.context(), c -> new HashMap<>())
            .merge(finding.capability().name(), mark, (a, b) -> a.ordinal() < b.ordinal() ? a : b);
      }
    }
    return judged;
  }

  /** Only the rules that judge a held capability mark the matrix; config-only rules have their own findings. */
  private static Mark mark(Finding finding) {
    if (finding.rule() == Rules.MUST_DROP_PRESENT || finding.rule() == Rules.REGAIN_PATH) {
      return Mark.MUST_DROP;
    }
    if (finding.rule() == Rules.OUTSIDE_ALLOWED_CONTEXT || finding.rule() == Rules.AMBIENT_ON_NON_ROOT
        || finding.rule() == Rules.UNLISTED_CAPABILITY) {
      return finding.failsTarget() ? Mark.NOT_ALLOWED : Mark.WARNING;
    }
    return null;
  }
}
