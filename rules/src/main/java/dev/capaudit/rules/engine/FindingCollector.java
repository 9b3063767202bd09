package dev.capaudit.rules.engine;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.policy.AuditContext;
import dev.capaudit.rules.policy.Judgement;
import dev.capaudit.rules.policy.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Collects the findings of one target, and turns the policy's judgement of a set into findings. */
final class FindingCollector {
  private final List<Finding> findings = new ArrayList<>();

  void add(Finding finding) {
    findings.add(finding);
  }

  List<Finding> findings() {
    return List.copyOf(findings);
  }

  /** Who holds a set, for messages and the finding's location. */
  record Holder(FindingContext context, AuditContext policyContext, Optional<Integer> pid, Optional<Integer> tid,
      Optional<String> execUser, String subject) {}

  /** Judges every capability in one set of one holder against the policy. */
  void judgeSet(Policy policy, Holder holder, CapabilitySetKind set, CapabilityMask mask) {
    for (Capability capability : mask.capabilities()) {
      judgement(policy, holder, set, mask, capability.canonicalName(), policy.judge(capability, holder.policyContext()));
    }
    // A bit this model does not know is a capability from a newer kernel: never dropped, judged as unlisted.
    for (int bit : mask.unknownBits()) {
      judgement(policy, holder, set, mask, CapabilityMask.unknownName(bit), policy.unlistedJudgement());
    }
  }

  private void judgement(Policy policy, Holder holder, CapabilitySetKind set, CapabilityMask mask, String capability,
      Judgement judgement) {
    String observed = set.procField() + "=" + mask;
    String where = capability + " still present in " + set.procField() + " of " + holder.subject() + " (" + observed
        + ")";
    switch (judgement) {
      case MUST_DROP -> add(holder, Rules.MUST_DROP_PRESENT, Severity.HIGH, capability, set, mask,
          where + "; policy '" + policy.name() + "' says it must be dropped everywhere");
      case OUTSIDE_ALLOWED_CONTEXTS -> add(holder, Rules.OUTSIDE_ALLOWED_CONTEXT, Severity.MEDIUM, capability, set,
          mask, where + "; it is load-bearing only in " + allowedContexts(policy, capability) + ", not in "
              + holder.policyContext().id());
      case UNLISTED_FAIL -> add(holder, Rules.UNLISTED_CAPABILITY, Severity.MEDIUM, capability, set, mask,
          where + "; policy '" + policy.name() + "' does not allow it anywhere");
      case UNLISTED_WARN -> add(holder, Rules.UNLISTED_CAPABILITY, Severity.LOW, capability, set, mask,
          where + "; policy '" + policy.name() + "' lists it nowhere (warning)");
      case ALLOWED, UNLISTED_ALLOWED -> { }
    }
  }

  void add(Holder holder, Rule rule, Severity severity, String capability, CapabilitySetKind set,
      CapabilityMask mask, String message) {
    add(new Finding(rule, severity, capability, holder.context(), holder.policyContext(), holder.pid(),
        holder.tid(), holder.execUser(), Optional.ofNullable(set), Optional.ofNullable(mask).map(CapabilityMask::toString),
        holder.subject(), message));
  }

  private static String allowedContexts(Policy policy, String capability) {
    return Capability.parse(capability)
        .flatMap(policy::loadBearing)
        .map(lb -> lb.contexts().stream().sorted().map(AuditContext::id).toList().toString())
        .orElse("[]");
  }
}
