package dev.capaudit.rules.engine;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilityNames;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.model.ContainerConfig;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.policy.AuditContext;
import dev.capaudit.rules.policy.Policy;
import java.util.Comparator;
import java.util.Optional;

/** Judges what the runtime was asked for: privileged, CapAdd, and the bounding set the configuration yields. */
final class ConfigCheck implements Check {
  private static final FindingCollector.Site CONFIG = FindingCollector.Site.config();
  private static final CapabilityMask HOST_TAKEOVER = CapabilityMask.of(Capability.SYS_ADMIN, Capability.SYS_PTRACE);

  @Override
  public void check(TargetSnapshot target, Policy policy, FindingCollector findings) {
    if (target.config().isEmpty()) {
      return;
    }
    ContainerConfig config = target.config().get();
    if (config.privileged()) {
      findings.add(CONFIG, Rules.PRIVILEGED_CONTAINER, CapabilityRef.all(), null, null, "",
          "the container runs privileged: every capability the kernel knows, in every process (bounding set "
              + config.boundingSet() + ")");
    }
    CapabilityMask takeover = config.boundingSet().intersect(HOST_TAKEOVER);
    if (config.sharesHostPids() && !takeover.isEmpty()) {
      // One problem, named after the worse of the two capabilities it keeps.
      findings.add(CONFIG, Rules.HOST_ROOT_EQUIVALENT, CapabilityRef.of(takeover.capabilities().stream()
              .min(Comparator.comparingInt(Capability::riskRank)).orElseThrow()), null, null, "",
          "the container shares the host's pid namespace (--pid=host) and its bounding set keeps "
              + String.join(" and ", takeover.names()) + ": it can reach every process on the host");
    }
    for (String added : config.capAdd()) {
      judgeCapAdd(policy, findings, added);
    }
    findings.judgeSet(policy, CONFIG, CapabilitySetKind.BOUNDING, config.boundingSet());
  }

  private static void judgeCapAdd(Policy policy, FindingCollector findings, String added) {
    if (CapabilityNames.isAll(added)) {
      findings.add(CONFIG, Rules.CAP_ADD_ALL, CapabilityRef.all(), null, null, "",
          "CapAdd contains '" + added + "': every capability the kernel knows is added");
      return;
    }
    Optional<Capability> capability = Capability.parse(added);
    if (capability.isEmpty()) {
      findings.add(CONFIG, Rules.CAP_ADD_NOT_ALLOWED, CapabilityRef.unrecognised(added), null, null, "",
          "CapAdd contains '" + added + "', which is not a capability capaudit knows; it cannot be judged");
    } else if (policy.judge(capability.get(), AuditContext.CONFIG).isViolation()) {
      findings.add(CONFIG, Rules.CAP_ADD_NOT_ALLOWED, CapabilityRef.of(capability.get()), null, null, "",
          "CapAdd adds it ('" + added + "'), which policy '" + policy.name()
              + "' does not allow in the configuration");
    }
  }
}
