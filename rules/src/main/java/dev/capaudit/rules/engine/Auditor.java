package dev.capaudit.rules.engine;

import dev.capaudit.rules.model.ImageFacts;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.policy.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Judges target snapshots against a policy. Findings are collected, never thrown; a target that could not be read
 * is {@code error}, never {@code pass}.
 */
public final class Auditor {
  /** The checks, in the order their findings are listed. */
  private static final List<Check> CHECKS = List.of(new ConfigCheck(), new ProcessCheck(), new ExecCheck(),
      new RegainBinaryCheck());

  private final Policy policy;

  public Auditor(Policy policy) {
    this.policy = policy;
  }

  public Policy policy() {
    return policy;
  }

  public TargetResult audit(TargetSnapshot target) {
    FindingCollector findings = new FindingCollector();
    for (Check check : CHECKS) {
      check.check(target, policy, findings);
    }
    List<Finding> all = findings.findings();
    return new TargetResult(target, verdict(target, all), all, incomplete(target));
  }

  public AuditResult audit(List<TargetSnapshot> targets) {
    List<TargetResult> results = new ArrayList<>();
    for (TargetSnapshot target : targets) {
      results.add(audit(target));
    }
    return new AuditResult(policy, results);
  }

  /** Why the target was not read completely, in words; empty when it was. */
  static Optional<String> incomplete(TargetSnapshot target) {
    Optional<Long> exited = target.gate().flatMap(ImageFacts::exitCode);
    if (exited.isPresent()) {
      return Optional.of("the entrypoint exited with code " + exited.get() + " before it could be audited");
    }
    if (!target.errors().isEmpty()) {
      return Optional.of(target.errors().size() == 1 ? target.errors().get(0)
          : target.errors().get(0) + " (+" + (target.errors().size() - 1) + " more)");
    }
    if (target.processes().isEmpty() && target.exec().isEmpty()) {
      return Optional.of(target.config().isPresent()
          ? "no process or exec view could be read; only the configuration was judged"
          : "nothing could be read: no process, exec view or configuration");
    }
    return Optional.empty();
  }

  /**
   * A violation observed is certain even when part of the target could not be read, so it fails; otherwise any
   * read error, or no process and no exec view at all, means the target is unproven. An image whose entrypoint
   * exited is an error whatever its configuration shows: the gate never saw the workload it exists to judge.
   */
  static Verdict verdict(TargetSnapshot target, List<Finding> findings) {
    if (target.gate().flatMap(ImageFacts::exitCode).isPresent()) {
      return Verdict.ERROR;
    }
    if (findings.stream().anyMatch(Finding::failsTarget)) {
      return Verdict.FAIL;
    }
    if (!target.errors().isEmpty() || (target.processes().isEmpty() && target.exec().isEmpty())) {
      return Verdict.ERROR;
    }
    return Verdict.PASS;
  }
}
