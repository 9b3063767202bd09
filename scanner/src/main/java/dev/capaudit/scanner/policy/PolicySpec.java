package dev.capaudit.scanner.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.policy.AuditContext;
import dev.capaudit.rules.policy.UnlistedAction;
import java.util.List;

/**
 * The YAML form of a capability policy, version {@code capaudit/v1}:
 *
 * <pre>
 * apiVersion: capaudit/v1
 * kind: CapabilityPolicy
 * name: nemoclaw-sandbox
 * description: what this policy is for
 * sets: [inheritable, permitted, effective, bounding, ambient]   # default: all five
 * unlisted: fail                                                  # fail | warn | allow
 * mustDrop: [SYS_ADMIN, NET_RAW]                                # or [ALL]: all but the load-bearing ones
 * loadBearing:
 *   - capability: SETUID
 *     reason: setpriv needs it to step down to the sandbox user
 *     contexts: [root-process, root-exec, config]                 # default: every context
 * </pre>
 */
record PolicySpec(
    @JsonProperty(value = "apiVersion", required = true) String apiVersion,
    @JsonProperty(value = "kind", required = true) String kind,
    @JsonProperty(value = "name", required = true) String name,
    @JsonProperty("description") String description,
    @JsonProperty("sets") List<CapabilitySetKind> sets,
    @JsonProperty("unlisted") UnlistedAction unlisted,
    @JsonProperty("mustDrop") List<MustDropEntry> mustDrop,
    @JsonProperty("loadBearing") List<LoadBearingSpec> loadBearing) {

  /** A capability in the must-drop list, or {@code ALL} for every capability not listed as load-bearing. */
  record MustDropEntry(Capability capability) {
    static final MustDropEntry ALL = new MustDropEntry(null);

    boolean isAll() {
      return capability == null;
    }
  }

  /** One load-bearing capability with the reason it stays and where. */
  record LoadBearingSpec(
      @JsonProperty(value = "capability", required = true) Capability capability,
      @JsonProperty(value = "reason", required = true) String reason,
      @JsonProperty("contexts") List<AuditContext> contexts) {}
}
