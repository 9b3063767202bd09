package dev.capaudit.reports.html;

import dev.capaudit.rules.engine.Finding;
import dev.capaudit.rules.engine.Occurrence;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.engine.Verdict;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.policy.AuditContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Groups targets by their finding signature (each finding's rule, capability and contexts): 282 containers running
 * Docker's defaults plus SYS_ADMIN as root are one entry on the first screen, not 282. Worst group first: failing
 * before unreadable before warnings before clean; then by the worst finding (severity, then the capability's risk
 * rank); then by how many capabilities fail at that severity (SYS_ADMIN, SYS_PTRACE and NET_RAW held as root before
 * SYS_ADMIN alone); then finding by finding, a group with more findings before one whose findings are a subset of
 * it; then the bigger group.
 */
final class FleetGroups {
  private static final int CAPABILITIES_FLAGGED = 6;
  private static final int CAPABILITIES_PER_RULE = 4;

  /** A group being built: its members' indexes in the report's (worst first) order. */
  private record Members(List<Integer> indexes, TargetResult first) {}

  private static final Comparator<Members> WORST_FIRST = Comparator
      .comparingInt((Members m) -> standing(m.first()))
      .thenComparing((a, b) -> a.first().worstFinding().isPresent() && b.first().worstFinding().isPresent()
          ? Finding.WORST_FIRST.compare(a.first().worstFinding().get(), b.first().worstFinding().get()) : 0)
      .thenComparingInt(m -> -capabilitiesAtWorstSeverity(m.first()))
      .thenComparing((a, b) -> compareFindings(a.first().findings(), b.first().findings()))
      .thenComparing(m -> -m.indexes().size())
      .thenComparingInt(m -> m.indexes().get(0));

  private FleetGroups() {}

  static List<HtmlModel.Group> of(List<TargetResult> targets, List<HtmlModel.TargetView> views) {
    Map<String, Members> bySignature = new LinkedHashMap<>();
    for (int i = 0; i < targets.size(); i++) {
      TargetResult target = targets.get(i);
      bySignature.computeIfAbsent(signature(target), s -> new Members(new ArrayList<>(), target)).indexes().add(i);
    }
    List<Members> ordered = new ArrayList<>(bySignature.values());
    ordered.sort(WORST_FIRST);
    List<HtmlModel.Group> groups = new ArrayList<>();
    for (Members members : ordered) {
      List<HtmlModel.TargetLink> links = members.indexes().stream().map(i -> link(views.get(i))).toList();
      List<TargetSnapshot> snapshots = members.indexes().stream().map(i -> targets.get(i).target()).toList();
      TargetResult first = members.first();
      HtmlModel.TargetView firstView = views.get(members.indexes().get(0));
      // An unreadable group is marked as such, whatever was found in what could be read.
      groups.add(new HtmlModel.Group(first.verdict() == Verdict.ERROR ? "error" : firstView.severity(),
          first.verdict().id(), size(snapshots),
          first.verdict() == Verdict.ERROR ? "" : TargetProfile.common(snapshots).map(TargetProfile::toString)
              .orElse("various configurations"),
          flagged(first), findings(first), link(firstView), first.headline(), links));
    }
    return groups;
  }

  private static HtmlModel.TargetLink link(HtmlModel.TargetView view) {
    return new HtmlModel.TargetLink(view.anchor(), view.name(), view.node());
  }

  /** Unreadable targets form one group whatever their reasons; the others group by what was found. */
  private static String signature(TargetResult target) {
    if (target.verdict() == Verdict.ERROR) {
      return "error";
    }
    return target.verdict().id() + "|" + target.findings().stream()
        .map(f -> f.rule().id() + " " + f.capability().name() + " " + contexts(f))
        .collect(Collectors.joining(";"));
  }

  /** Failing targets, unreadable ones, those with warnings only, clean passes. */
  private static int standing(TargetResult target) {
    if (target.verdict() == Verdict.FAIL) {
      return 0;
    }
    if (target.verdict() == Verdict.ERROR) {
      return 1;
    }
    return target.findings().isEmpty() ? 3 : 2;
  }

  private static int capabilitiesAtWorstSeverity(TargetResult target) {
    return target.worstFinding().map(worst -> (int) target.findings().stream()
        .filter(f -> f.severity() == worst.severity()).map(f -> f.capability().name()).distinct().count()).orElse(0);
  }

  /** Finding by finding, worst first; when one list is the start of the other, the longer one is worse. */
  private static int compareFindings(List<Finding> a, List<Finding> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int order = Finding.WORST_FIRST.compare(a.get(i), b.get(i));
      if (order != 0) {
        return order;
      }
    }
    return Integer.compare(b.size(), a.size());
  }

  /** {@code 282 containers}, {@code 1 snapshot}, {@code 3 targets} when the kinds differ. */
  private static String size(List<TargetSnapshot> targets) {
    Set<String> kinds = targets.stream().map(t -> t.kind().id()).collect(Collectors.toSet());
    String noun = kinds.size() == 1 ? kinds.iterator().next() : "target";
    return targets.size() + " " + noun + (targets.size() == 1 ? "" : "s");
  }

  /** The capabilities that fail the group (its warnings when nothing fails), worst first. */
  private static String flagged(TargetResult target) {
    boolean failing = target.findings().stream().anyMatch(Finding::failsTarget);
    Set<String> names = new LinkedHashSet<>();
    target.findings().stream().filter(f -> f.failsTarget() == failing)
        .forEach(f -> names.add(shortName(f.capability().name())));
    return shown(new ArrayList<>(names), CAPABILITIES_FLAGGED);
  }

  /** Each rule of the signature with its capabilities and contexts, in the order the findings come. */
  private static List<HtmlModel.GroupFinding> findings(TargetResult target) {
    Map<String, Set<String>> capabilities = new LinkedHashMap<>();
    Map<String, Set<AuditContext>> contexts = new LinkedHashMap<>();
    Map<String, String> severity = new LinkedHashMap<>();
    for (Finding f : target.findings()) {
      String rule = f.rule().id();
      capabilities.computeIfAbsent(rule, r -> new LinkedHashSet<>()).add(shortName(f.capability().name()));
      f.occurrences().forEach(o -> contexts.computeIfAbsent(rule, r -> EnumSet.noneOf(AuditContext.class))
          .add(o.context()));
      severity.putIfAbsent(rule, f.severity().id());
    }
    List<HtmlModel.GroupFinding> rows = new ArrayList<>();
    capabilities.forEach((rule, names) -> rows.add(new HtmlModel.GroupFinding(rule, severity.get(rule),
        shown(new ArrayList<>(names), CAPABILITIES_PER_RULE), contexts.get(rule).stream().map(AuditContext::id)
            .collect(Collectors.joining(", ")))));
    return rows;
  }

  private static String shown(List<String> names, int limit) {
    return names.size() <= limit ? String.join(", ", names)
        : String.join(", ", names.subList(0, limit)) + ", \u2026 (" + names.size() + ")";
  }

  /** {@code SYS_ADMIN} for {@code CAP_SYS_ADMIN}; {@code CAP_41} and CapAdd's unrecognised names stay as they are. */
  static String shortName(String capability) {
    return capability.startsWith("CAP_") && !capability.substring(4).matches("[0-9]+") ? capability.substring(4)
        : capability;
  }

  private static String contexts(Finding finding) {
    return finding.occurrences().stream().map(Occurrence::context).distinct().sorted()
        .map(c -> c.id()).collect(Collectors.joining(", "));
  }
}
