package dev.capaudit.reports.html;

import dev.capaudit.rules.engine.Finding;
import dev.capaudit.rules.engine.Occurrence;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.engine.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Groups targets by their finding signature (each finding's rule, capability and contexts): 52 containers running
 * Docker's defaults as root are one line on the first screen, not 52. Targets arrive worst first, so groups do too.
 */
final class FleetGroups {
  private static final int CAPABILITIES_NAMED = 4;

  private FleetGroups() {}

  static List<HtmlModel.Group> of(List<TargetResult> targets, List<HtmlModel.TargetView> views) {
    Map<String, List<Integer>> bySignature = new LinkedHashMap<>();
    for (int i = 0; i < targets.size(); i++) {
      bySignature.computeIfAbsent(signature(targets.get(i)), s -> new ArrayList<>()).add(i);
    }
    List<HtmlModel.Group> groups = new ArrayList<>();
    bySignature.forEach((signature, members) -> {
      TargetResult first = targets.get(members.get(0));
      List<HtmlModel.TargetLink> links = members.stream().map(i -> new HtmlModel.TargetLink(views.get(i).anchor(),
          views.get(i).name(), views.get(i).origin())).toList();
      groups.add(new HtmlModel.Group(views.get(members.get(0)).severity(), first.verdict().id(), members.size(),
          label(first), first.headline(), links));
    });
    return groups;
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

  private static String label(TargetResult target) {
    if (target.verdict() == Verdict.ERROR) {
      return "could not be read completely, so they cannot pass";
    }
    if (target.findings().isEmpty()) {
      return "no finding: every capability held is one the policy allows where it is held";
    }
    Map<String, Set<String>> byRule = new LinkedHashMap<>();
    for (Finding f : target.findings()) {
      byRule.computeIfAbsent(f.rule().id() + " (" + contexts(f) + ")", r -> new LinkedHashSet<>())
          .add(f.capability().name().replaceFirst("^CAP_", ""));
    }
    List<String> parts = new ArrayList<>();
    byRule.forEach((rule, capabilities) -> {
      List<String> names = new ArrayList<>(capabilities);
      String shown = String.join(", ", names.subList(0, Math.min(CAPABILITIES_NAMED, names.size())));
      parts.add(rule + ": " + shown + (names.size() > CAPABILITIES_NAMED ? ", … (" + names.size() + ")" : ""));
    });
    return String.join("; ", parts);
  }

  private static String contexts(Finding finding) {
    return finding.occurrences().stream().map(Occurrence::context).distinct().sorted()
        .map(c -> c.id()).collect(Collectors.joining(", "));
  }
}
