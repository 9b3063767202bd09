package dev.capaudit.reports.html;

import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.model.ThreadSnapshot;
import dev.capaudit.rules.proc.ProcStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Orders a target's processes as a tree (parents before children), so the report reads like ps --forest; a thread
 * whose sets differ from its leader's follows its process. Siblings that are alike (name, user, source, sets) and
 * have no children or threads of their own are one row listing their pids: 300 identical workers are one line.
 */
final class ProcessTree {
  /** What makes two leaf siblings one row, as a string (a record key's hashCode is slow in a C1-only JVM). */
  private static String alike(ProcessSnapshot p) {
    StringBuilder key = new StringBuilder(p.status().name()).append('\0').append(p.status().effectiveUid())
        .append('\0').append(p.source().id()).append('\0').append(p.status().noNewPrivs());
    p.status().capabilities().masks().forEach((kind, mask) -> key.append('\0').append(kind.ordinal()).append('=')
        .append(mask.bits()));
    return key.toString();
  }

  private final String anchor;
  private final MaskLegend legend;
  private final List<HtmlModel.ProcessRow> rows = new ArrayList<>();
  private final Map<String, String> anchors = new HashMap<>();
  private final Set<Integer> shown = new HashSet<>();
  private final Map<Integer, List<ProcessSnapshot>> children = new HashMap<>();

  private ProcessTree(String anchor, MaskLegend legend) {
    this.anchor = anchor;
    this.legend = legend;
  }

  /** The tree of a target whose anchor is {@code anchor}; each row's anchor extends it. */
  static ProcessTree of(String anchor, TargetSnapshot target, MaskLegend legend) {
    ProcessTree tree = new ProcessTree(anchor, legend);
    tree.build(target);
    return tree;
  }

  List<HtmlModel.ProcessRow> rows() {
    return rows;
  }

  /** The anchor of the row showing a process ({@code tid} 0) or a thread, or the target's when none does. */
  String anchorOf(int pid, int tid) {
    return anchors.getOrDefault(pid + "/" + tid, anchor);
  }

  private void build(TargetSnapshot target) {
    List<ProcessSnapshot> processes = new ArrayList<>(target.processes());
    processes.sort(Comparator.comparingInt(ProcessSnapshot::pidInContainer));
    Set<Integer> pids = new HashSet<>();
    processes.forEach(p -> pids.add(p.pidInContainer()));
    List<ProcessSnapshot> roots = new ArrayList<>();
    for (ProcessSnapshot process : processes) {
      // A root of the tree: its parent is outside the container (the runtime's shim on the host).
      if (!pids.contains(process.ppidInContainer()) || process.ppidInContainer() == process.pidInContainer()) {
        roots.add(process);
      } else {
        children.computeIfAbsent(process.ppidInContainer(), p -> new ArrayList<>()).add(process);
      }
    }
    level(roots, 0);
    // Anything in a cycle is still shown, never dropped.
    level(processes.stream().filter(p -> !shown.contains(p.pidInContainer())).toList(), 0);
  }

  /** One level of the tree: alike leaves together at the place of the first, the others with their subtrees. */
  private void level(List<ProcessSnapshot> siblings, int depth) {
    Map<Object, List<ProcessSnapshot>> groups = new LinkedHashMap<>();
    for (ProcessSnapshot p : siblings) {
      boolean leaf = p.threads().isEmpty() && !children.containsKey(p.pidInContainer()) && p.nsPid().isEmpty();
      groups.computeIfAbsent(leaf ? alike(p) : Integer.valueOf(p.pidInContainer()), k -> new ArrayList<>()).add(p);
    }
    for (List<ProcessSnapshot> group : groups.values()) {
      ProcessSnapshot first = group.get(0);
      if (!shown.add(first.pidInContainer())) {
        continue;
      }
      String rowAnchor = anchor + "p" + first.pidInContainer();
      group.forEach(p -> {
        shown.add(p.pidInContainer());
        anchors.put(p.pidInContainer() + "/0", rowAnchor);
      });
      String pid = group.size() == 1 ? pid(first) : group.stream().map(p -> Integer.toString(p.pidInContainer()))
          .collect(Collectors.joining(", "));
      rows.add(row(rowAnchor, depth, pid, first.status(), first.source().id()));
      for (ThreadSnapshot thread : first.threads()) {
        String threadAnchor = rowAnchor + "t" + thread.tid();
        anchors.put(first.pidInContainer() + "/" + thread.tid(), threadAnchor);
        rows.add(row(threadAnchor, depth + 1, "tid " + thread.tid(), thread.status(), "thread"));
      }
      if (group.size() == 1) {
        level(children.getOrDefault(first.pidInContainer(), List.of()), depth + 1);
      }
    }
  }

  private static String pid(ProcessSnapshot process) {
    return process.pidInContainer() + process.nsPid().stream().mapToObj(ns -> " (" + ns + " nested)").findFirst()
        .orElse("");
  }

  private HtmlModel.ProcessRow row(String rowAnchor, int depth, String pid, ProcStatus s, String source) {
    return new HtmlModel.ProcessRow(rowAnchor, depth, pid, s.name(), Integer.toUnsignedString(s.effectiveUid()),
        source + " \u00b7 " + HtmlModels.flag(s.noNewPrivs()), legend.sets(s.capabilities().masks()));
  }
}
