package dev.capaudit.scanner.minimize;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.policy.LoadBearing;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.rules.policy.UnlistedAction;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The policy a minimize run proves: its kept capabilities load-bearing, each with its evidence as the reason and the
 * contexts it was held in, and every other capability must-drop.
 */
public final class MinimalPolicy {
  /** A reason stays one readable line of a policy file. */
  static final int REASON_LENGTH = 600;

  private MinimalPolicy() {}

  public static Policy of(MinimizeResult result) {
    Map<Capability, LoadBearing> loadBearing = new EnumMap<>(Capability.class);
    for (KeptCapability kept : result.kept()) {
      loadBearing.put(kept.capability(), new LoadBearing(kept.capability(), reason(kept), kept.contexts()));
    }
    Set<Capability> mustDrop = EnumSet.allOf(Capability.class);
    mustDrop.removeAll(loadBearing.keySet());
    return new Policy("minimal " + result.template().target(), description(result), mustDrop, loadBearing,
        UnlistedAction.FAIL, EnumSet.allOf(CapabilitySetKind.class));
  }

  static String reason(KeptCapability kept) {
    String evidence = kept.without().map(t -> "without it, " + t.evidence())
        .orElse("not yet tried without it: the search was cut short");
    String reason = kept.need().description() + "; " + evidence;
    return reason.length() > REASON_LENGTH ? reason.substring(0, REASON_LENGTH) + "..." : reason;
  }

  private static String description(MinimizeResult result) {
    String what = result.status() == MinimizeResult.Status.MINIMAL
        ? "the smallest set it runs with, confirmed by trial " + result.decisive().orElseThrow().request().number()
        : "the best set proven so far, not proven minimal (" + result.reason() + ")";
    return "Found by capaudit minimize for " + result.template().target() + ": " + what + ", from "
        + result.from() + " (" + result.start() + "), in " + result.trials().size() + " trials.";
  }
}
