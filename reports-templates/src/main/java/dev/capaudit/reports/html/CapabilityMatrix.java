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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The capability x context matrix: for every capability held anywhere in a target, whether each context holds it
 * and what the policy made of it there. The judgement is read off the findings, so the matrix and the findings
 * list can never disagree.
 */
final class CapabilityMatrix {
  static final List<String> COLUMNS = List.of("root process", "non-root process", "exec shell", "configuration");

  /** The columns, each the policy contexts it covers. */
  private static final List<List<AuditContext>> COLUMN_CONTEXTS = List.of(
      List.of(AuditContext.ROOT_PROCESS), List.of(AuditContext.NONROOT_PROCESS),
      List.of(AuditContext.ROOT_EXEC, AuditContext.NONROOT_EXEC), List.of(AuditContext.CONFIG));

  /** Cell kinds from worst to best; a cell shows the worst judgement among the contexts it covers. */
  private enum Mark {
    MUST_DROP("must-drop", "must drop"),
    NOT_ALLOWED("not-allowed", "not allowed"),
    WARNING("warning", "warning"),
    ALLOWED("allowed", "allowed"),
    ABSENT("absent", "-");

    final String css;
    final String label;

    Mark(String css, String label) {
      this.css = css;
      this.label = label;
    }
  }

  private CapabilityMatrix() {}

  static List<HtmlModel.MatrixRow> rows(TargetResult result) {
    Map<AuditContext, CapabilityMask> held = held(result.target());
    Map<AuditContext, Map<String, Mark>> judged = judged(result.findings());
    TreeSet<Integer> bits = new TreeSet<>();
    held.values().forEach(mask -> {
      for (int bit = 0; bit < Long.SIZE; bit++) {
        if (mask.hasBit(bit)) {
          bits.add(bit);
        }
      }
    });
    List<HtmlModel.MatrixRow> rows = new ArrayList<>();
    for (int bit : bits) {
      Optional<Capability> capability = Capability.ofBit(bit);
      String name = capability.map(Capability::canonicalName).orElse(CapabilityMask.unknownName(bit));
      List<HtmlModel.Cell> cells = new ArrayList<>();
      for (List<AuditContext> contexts : COLUMN_CONTEXTS) {
        Mark mark = Mark.ABSENT;
        for (AuditContext context : contexts) {
          if (held.getOrDefault(context, CapabilityMask.EMPTY).hasBit(bit)) {
            Mark here = judged.getOrDefault(context, Map.of()).getOrDefault(name, Mark.ALLOWED);
            mark = here.ordinal() < mark.ordinal() ? here : mark;
          }
        }
        cells.add(new HtmlModel.Cell(mark.css, mark.label));
      }
      rows.add(new HtmlModel.MatrixRow(name, capability.map(Capability::risk).orElse("unknown to capaudit"), cells));
    }
    return rows;
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

  /** Only the rules that judge a held capability colour the matrix; config-only rules have their own list. */
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
