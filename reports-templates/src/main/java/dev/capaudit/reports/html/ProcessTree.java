package dev.capaudit.reports.html;

import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.proc.ProcStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Orders a target's processes as a tree (parents before children), so the report reads like ps --forest. */
final class ProcessTree {
  private ProcessTree() {}

  static List<HtmlModel.ProcessRow> rows(TargetSnapshot target) {
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

  private static void visit(ProcessSnapshot process, int depth, List<ProcessSnapshot> all,
      List<HtmlModel.ProcessRow> rows, Set<Integer> shown) {
    if (!shown.add(process.pidInContainer())) {
      return;
    }
    ProcStatus s = process.status();
    rows.add(new HtmlModel.ProcessRow(depth, process.pidInContainer(), process.ppidInContainer(), s.name(),
        Integer.toUnsignedString(s.effectiveUid()), process.source().id(), HtmlModels.flag(s.noNewPrivs()),
        HtmlModels.seccomp(s.seccomp()), HtmlModels.sets(s.capabilities())));
    for (ProcessSnapshot child : all) {
      if (child.ppidInContainer() == process.pidInContainer() && child != process) {
        visit(child, depth + 1, all, rows, shown);
      }
    }
  }
}
