package dev.capaudit.rules.engine;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every rule capaudit checks, registered in this one place. */
public final class Rules {
  private static final List<String> CIS_CAPABILITIES =
      List.of("CIS Docker 5.3 (v1.1-1.5)", "CIS Docker 5.4 (v1.6)");
  private static final List<String> CIS_PRIVILEGED =
      List.of("CIS Docker 5.4 (v1.1-1.5)", "CIS Docker 5.5 (v1.6)");
  private static final String DROP_AT_RUNTIME =
      "Start the container with --cap-drop ALL and --cap-add only the load-bearing capabilities; where the runtime"
          + " takes no capability flags, shrink the bounding set in the entrypoint (capsh --drop) and step down with"
          + " setpriv --bounding-set.";

  public static final Rule MUST_DROP_PRESENT = new Rule("must-drop-present",
      "A must-drop capability is present",
      Severity.HIGH,
      "The policy names this capability as one no process of the workload may hold in any set. In the bounding set it"
          + " can still be raised through a setuid or file-capability binary; in the effective set it is usable now.",
      CIS_CAPABILITIES,
      DROP_AT_RUNTIME);

  public static final Rule OUTSIDE_ALLOWED_CONTEXT = new Rule("outside-allowed-context",
      "A load-bearing capability is present outside the contexts the policy allows",
      Severity.MEDIUM,
      "The capability is needed somewhere (typically by a root entrypoint before it steps down), but it survived into a"
          + " context that has no use for it, such as the non-root agent or a non-root exec shell.",
      CIS_CAPABILITIES,
      "Drop the capability during the switch to the non-root user (setpriv --reuid=USER --bounding-set=-CAP ...), or"
          + " remove it from the container's bounding set if no root process needs it.");

  /** Medium; a policy with {@code unlisted: warn} downgrades its findings to low ({@link Finding#downgraded}). */
  public static final Rule UNLISTED_CAPABILITY = new Rule("unlisted-capability",
      "A capability the policy lists nowhere is present",
      Severity.MEDIUM,
      "Every capability a workload keeps should be a deliberate, documented choice. One that the policy neither"
          + " requires dropping nor justifies as load-bearing is unreviewed attack surface.",
      CIS_CAPABILITIES,
      "Drop the capability, or add it to the policy's loadBearing list with the reason and the contexts it is needed"
          + " in.");

  public static final Rule PRIVILEGED_CONTAINER = new Rule("privileged-container",
      "The container runs privileged",
      Severity.HIGH,
      "A privileged container gets every capability the kernel knows, all devices and no seccomp or AppArmor"
          + " confinement; no capability policy can hold.",
      CIS_PRIVILEGED,
      "Remove --privileged (privileged: true); add back only the capabilities and devices the workload needs.");

  public static final Rule CAP_ADD_NOT_ALLOWED = new Rule("cap-add-not-allowed",
      "The configuration adds a capability the policy does not allow",
      Severity.MEDIUM,
      "CapAdd is an explicit request for more privilege than the engine's default. Adding a capability the policy does"
          + " not allow in the container's configuration (or ALL) defeats the policy before any process starts.",
      CIS_CAPABILITIES,
      "Remove the capability from --cap-add / cap_add, or justify it as load-bearing in the policy with the config"
          + " context.");

  public static final Rule CAP_ADD_ALL = new Rule("cap-add-all",
      "The configuration adds every capability (CapAdd: ALL)",
      Severity.HIGH,
      "CapAdd ALL gives the container every capability the kernel knows, SYS_ADMIN and SYS_MODULE included: as far"
          + " as capabilities go it is a privileged container, whatever the policy says.",
      CIS_CAPABILITIES,
      "Replace --cap-add ALL (an ALL entry in cap_add) with --cap-drop ALL and --cap-add for each capability the workload"
          + " needs.");

  public static final Rule AMBIENT_ON_NON_ROOT = new Rule("ambient-on-non-root",
      "A non-root process holds ambient capabilities",
      Severity.MEDIUM,
      "Ambient capabilities are passed to every program a non-root process executes, without file capabilities or"
          + " setuid: they turn a step-down to a non-root user into root-like privilege that survives exec.",
      CIS_CAPABILITIES,
      "Do not raise ambient capabilities for the workload (no --ambient-caps / capsh --addamb); grant the binary a"
          + " file capability instead if it truly needs one.");

  public static final Rule REGAIN_PATH = new Rule("regain-path",
      "A non-root process can regain a must-drop capability",
      Severity.HIGH,
      "The process holds nothing in its effective set, but the capability is still in its bounding set and"
          + " no_new_privs is off: executing a setuid-root or file-capability binary raises it again.",
      CIS_CAPABILITIES,
      "Remove the capability from the bounding set (setpriv --bounding-set, capsh --drop, --cap-drop), and run with"
          + " no-new-privileges (--security-opt no-new-privileges, setpriv --no-new-privs).");

  public static final Rule REGAIN_BINARY = new Rule("regain-binary",
      "A file in the image can give a non-root process a must-drop capability",
      Severity.HIGH,
      "The image ships a setuid-root binary or a binary with file capabilities, and the non-root process still has"
          + " the capability in its bounding set with no_new_privs off: executing that file raises it. This is the"
          + " concrete path behind a regain-path finding.",
      CIS_CAPABILITIES,
      "Drop the capability from the bounding set (setpriv --bounding-set, --cap-drop), run with no-new-privileges,"
          + " or remove the setuid bit or file capability from the binary (chmod u-s, setcap -r).");

  public static final Rule HOST_ROOT_EQUIVALENT = new Rule("host-root-equivalent",
      "The container shares the host's pid namespace and keeps SYS_ADMIN or SYS_PTRACE",
      Severity.HIGH,
      "With --pid=host every process on the host is visible to the container; with CAP_SYS_PTRACE it can trace and"
          + " inject into them, with CAP_SYS_ADMIN it can enter their namespaces (nsenter -t 1). Together that is root"
          + " on the host, however the container's own processes drop.",
      List.of("CIS Docker 5.3 (v1.1-1.5)", "CIS Docker 5.4 (v1.6)", "CIS Docker 5.15 (v1.1-1.5)",
          "CIS Docker 5.16 (v1.6)"),
      "Do not share the host's pid namespace (remove --pid=host / hostPID: true), or drop SYS_ADMIN and SYS_PTRACE"
          + " from the container's bounding set.");

  public static final Rule EXEC_VIEW_MISMATCH = new Rule("exec-view-mismatch",
      "An exec probe disagrees with the runtime's own spec",
      Severity.MEDIUM,
      "Docker, containerd's CRI and CRI-O build every exec process from the container's OCI process spec. A probe"
          + " that reports other capability sets than that spec predicts means the probe's binaries lie, or the"
          + " engine does not start execs the way the spec says: neither view can then be trusted alone.",
      CIS_CAPABILITIES,
      "Compare the container's config.json (process.capabilities) with what docker exec ... cat /proc/self/status"
          + " prints; rebuild the image from a trusted base if its binaries were replaced.");

  private static final List<Rule> ALL = List.of(MUST_DROP_PRESENT, OUTSIDE_ALLOWED_CONTEXT, UNLISTED_CAPABILITY,
      PRIVILEGED_CONTAINER, CAP_ADD_ALL, CAP_ADD_NOT_ALLOWED, AMBIENT_ON_NON_ROOT, REGAIN_PATH, REGAIN_BINARY,
      HOST_ROOT_EQUIVALENT, EXEC_VIEW_MISMATCH);
  private static final Map<String, Rule> REGISTRY = new LinkedHashMap<>();
  private static final Map<String, Integer> POSITION = new HashMap<>();

  static {
    for (Rule rule : ALL) {
      REGISTRY.put(rule.id(), rule);
      POSITION.put(rule.id(), POSITION.size());
    }
  }

  private Rules() {}

  /** Every rule, in the registry's order (immutable). */
  public static List<Rule> all() {
    return ALL;
  }

  /** Where the rule stands in {@link #all()}, for ordering findings without a search; -1 for an unknown rule. */
  public static int position(Rule rule) {
    return POSITION.getOrDefault(rule.id(), -1);
  }

  public static Optional<Rule> byId(String id) {
    return Optional.ofNullable(REGISTRY.get(id));
  }
}
