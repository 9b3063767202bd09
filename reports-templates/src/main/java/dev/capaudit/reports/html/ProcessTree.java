package dev.capaudit.reports.html;

import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.model.ThreadSnapshot;
import dev.capaudit.rules.proc.ProcStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Orders a target's processes as a tree (parents before children), so the report reads like ps --forest; a thread
 * whose sets differ from its leader's follows its process.
 */
final class ProcessTree {
  private final MaskLegend legend;

  ProcessTree(MaskLegend legend) {
    this.legend = legend;
  }

  List<HtmlModel.ProcessRow> rows(TargetSnapshot target) {
    List<ProcessSnapshot> processes = new ArrayList<>(target.processes());
    processes.sort(Comparator.comparingInt(ProcessSnapshot::pidInContainer));
    Set<Integer> pids = new HashSet<>();
    processes.forEach(p -> pids.add(p.pidInContainer()));
    List<HtmlModel.ProcessRow> rows = new ArrayList<>();
    Set<Integer> shown = new HashSet<>();
    for (ProcessSnapshot process : processes) {
      // A root of the tree: its parent is outside the container (the runtime's shim on the host).
      if (!pids.contains(process.ppidInContainer()) || process.ppidInContainer() == process.pidInContainer()) {
        visit(process, 0, processes, rows, shown);
      }
    }
    // Anything in a cycle or orphaned oddly is still shown, never dropped.
    processes.stream().filter(p -> !shown.contains(p.pidInContainer())).forEach(p -> visit(p, 0, processes, rows,
        shown));
    return rows;
  }

  private void visit(ProcessSnapshot process, int depth, List<ProcessSnapshot> all, List<HtmlModel.ProcessRow> rows,
      Set<Integer> shown) {
    if (!shown.add(process.pidInContainer())) {
      return;
    }
    String pid = process.pidInContainer() + process.nsPid().stream().mapToObj(ns -> " (" + ns + " nested)")
        .findFirst().orElse("");
    rows.add(row(depth, pid, process.status(), process.source().id()));
    for (ThreadSnapshot thread : process.threads()) {
      rows.add(row(depth + 1, "tid " + thread.tid(), thread.status(), "thread"));
    }
    for (ProcessSnapshot child : all) {
      if (child.ppidInContainer() == process.pidInContainer() && child != process) {
        visit(child, depth + 1, all, rows, shown);
      }
    }
  }

  private HtmlModel.ProcessRow row(int depth, String pid, ProcStatus s, String source) {
    return new HtmlModel.ProcessRow(depth, pid, s.name(), Integer.toUnsignedString(s.effectiveUid()), source,
        HtmlModels.flag(s.noNewPrivs()), HtmlModels.sets(legend, s.capabilities()));
  }
}
