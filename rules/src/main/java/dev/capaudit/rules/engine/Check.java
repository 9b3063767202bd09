package dev.capaudit.rules.engine;

import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.policy.Policy;

/** One part of the evaluation. Adds findings to the collector; never throws on a violation. */
interface Check {
  void check(TargetSnapshot target, Policy policy, FindingCollector findings);
}
