package dev.capaudit.rules.engine;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.policy.AuditContext;
import dev.capaudit.rules.policy.Judgement;
import dev.capaudit.rules.policy.Policy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Collects what the checks see in one target and groups it into findings: one per rule and capability, each with its
 * occurrences, where processes of the same name and user that hold the same sets are one occurrence.
 */
final class FindingCollector {
  private final Map<Key, Draft> drafts = new LinkedHashMap<>();

  /** Who holds a set and in which context: the holder without its fellow members. */
  record Site(AuditContext context, Holder.Kind kind, String name, OptionalLong uid,
      Optional<Holder.Member> member) {
    static Site config() {
      return new Site(AuditContext.CONFIG, Holder.Kind.CONFIG, "", OptionalLong.empty(), Optional.empty());
    }

    static Site exec(String user, boolean root) {
      return new Site(AuditContext.forExec(root), Holder.Kind.EXEC, user, OptionalLong.empty(), Optional.empty());
    }
  }

  private record Key(Rule rule, CapabilityRef capability) {}

  private record Instance(Site site, String note) {}

  /** Everything seen of one finding so far: per holder instance, the sets it was found in. */
  private static final class Draft {
    final boolean downgraded;
    final Function<List<Occurrence>, String> reason;
    final Map<Instance, EnumMap<CapabilitySetKind, CapabilityMask>> instances = new LinkedHashMap<>();

    Draft(boolean downgraded, Function<List<Occurrence>, String> reason) {
      this.downgraded = downgraded;
      this.reason = reason;
    }
  }

  /** Judges every capability in one set of one holder against the policy. */
  void judgeSet(Policy policy, Site site, CapabilitySetKind set, CapabilityMask mask) {
    for (Capability capability : mask.capabilities()) {
      judgement(policy, site, set, mask, CapabilityRef.of(capability), policy.judge(capability, site.context()));
    }
    // A bit this model does not know is a capability from a newer kernel: never dropped, judged as unlisted.
    for (int bit : mask.unknownBits()) {
      judgement(policy, site, set, mask, CapabilityRef.ofBit(bit), policy.unlistedJudgement());
    }
  }

  private void judgement(Policy policy, Site site, CapabilitySetKind set, CapabilityMask mask,
      CapabilityRef capability, Judgement judgement) {
    String name = policy.name();
    switch (judgement) {
      case MUST_DROP -> add(site, Rules.MUST_DROP_PRESENT, capability, set, mask, "", false,
          o -> "policy '" + name + "' says it must be dropped everywhere");
      case OUTSIDE_ALLOWED_CONTEXTS -> add(site, Rules.OUTSIDE_ALLOWED_CONTEXT, capability, set, mask, "", false,
          o -> "it is load-bearing only in " + allowedContexts(policy, capability) + ", not in " + contexts(o));
      case UNLISTED_FAIL -> add(site, Rules.UNLISTED_CAPABILITY, capability, set, mask, "", false,
          o -> "policy '" + name + "' does not allow it anywhere");
      case UNLISTED_WARN -> add(site, Rules.UNLISTED_CAPABILITY, capability, set, mask, "", true,
          o -> "policy '" + name + "' lists it nowhere (warning)");
      case ALLOWED, UNLISTED_ALLOWED -> { }
    }
  }

  /** One observation of a finding: {@code set} and {@code mask} are null for findings on settings (CapAdd). */
  void add(Site site, Rule rule, CapabilityRef capability, CapabilitySetKind set, CapabilityMask mask, String note,
      String reason) {
    add(site, rule, capability, set, mask, note, false, o -> reason);
  }

  private void add(Site site, Rule rule, CapabilityRef capability, CapabilitySetKind set, CapabilityMask mask,
      String note, boolean downgraded, Function<List<Occurrence>, String> reason) {
    Draft draft = drafts.computeIfAbsent(new Key(rule, capability), k -> new Draft(downgraded, reason));
    EnumMap<CapabilitySetKind, CapabilityMask> sets = draft.instances.computeIfAbsent(new Instance(site, note),
        i -> new EnumMap<>(CapabilitySetKind.class));
    if (set != null) {
      sets.put(set, mask);
    }
  }

  /** The findings, worst first. */
  List<Finding> findings() {
    List<Finding> findings = new ArrayList<>();
    drafts.forEach((key, draft) -> {
      List<Occurrence> occurrences = occurrences(draft);
      findings.add(new Finding(key.rule(), key.capability(), draft.downgraded, draft.reason.apply(occurrences),
          occurrences));
    });
    findings.sort(Finding.WORST_FIRST);
    return List.copyOf(findings);
  }

  /** Instances alike in context, holder, sets and note become one occurrence listing all their members. */
  private static List<Occurrence> occurrences(Draft draft) {
    Map<Occurrence, List<Holder.Member>> grouped = new LinkedHashMap<>();
    draft.instances.forEach((instance, sets) -> {
      Site site = instance.site();
      Occurrence alike = new Occurrence(site.context(),
          new Holder(site.kind(), site.name(), site.uid(), List.of()), sets, instance.note());
      site.member().ifPresent(m -> grouped.computeIfAbsent(alike, o -> new ArrayList<>()).add(m));
      grouped.putIfAbsent(alike, new ArrayList<>());
    });
    List<Occurrence> occurrences = new ArrayList<>();
    grouped.forEach((o, members) -> occurrences.add(new Occurrence(o.context(), o.holder().withMembers(members),
        o.sets(), o.note())));
    occurrences.sort(Comparator.comparing(Occurrence::where));
    return occurrences;
  }

  private static String contexts(List<Occurrence> occurrences) {
    return occurrences.stream().map(o -> o.context().id()).distinct().collect(Collectors.joining(", "));
  }

  private static String allowedContexts(Policy policy, CapabilityRef capability) {
    return capability.capability()
        .flatMap(policy::loadBearing)
        .map(lb -> lb.contexts().stream().sorted().map(AuditContext::id).toList().toString())
        .orElse("[]");
  }
}
