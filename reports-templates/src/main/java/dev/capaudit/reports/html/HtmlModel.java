package dev.capaudit.reports.html;

import java.util.List;

/**
 * What the HTML template shows, computed in Java: the template only lays it out. All text stays raw here; the
 * {@code .ftlh} template's escaping ({@link dev.capaudit.reports.VisibleHtml}) makes container-supplied text safe.
 *
 * @param capabilities every capability held anywhere, explained once for the whole report
 * @param masks every mask shown anywhere, decoded once for the whole report
 */
public record HtmlModel(String policyName, String toolVersion, String generatedAt, String baselineName,
    Summary summary, List<Group> groups, List<TargetView> targets, List<FixedRow> fixed, List<RuleDoc> rules,
    List<CapabilityDoc> capabilities, List<MaskDoc> masks) {

  /** Counts for the summary band. */
  public record Summary(int targets, int pass, int fail, int error, int findings, int newFindings, int fixed) {}

  /**
   * Targets with the same findings (rule, capability, contexts), worst group first.
   *
   * @param severity the worst severity in the group, or the verdict for groups without findings
   * @param size how many targets, in words: {@code 282 containers}
   * @param profile what the members share, when they do: {@code Docker's defaults + SYS_ADMIN, as root}
   * @param flagged the capabilities that fail them, worst first: {@code SYS_ADMIN, SYS_PTRACE, NET_RAW}
   * @param headline the first (worst) member's headline, and that member
   */
  public record Group(String severity, String verdict, String size, String profile, String flagged,
      List<GroupFinding> findings, TargetLink first, String headline, List<TargetLink> targets) {}

  /** One rule of a group's signature: the capabilities it flags and the contexts it flags them in. */
  public record GroupFinding(String rule, String severity, String capabilities, String contexts) {}

  /** A target, linking to its details. */
  public record TargetLink(String anchor, String name, String node) {}

  /** A mask shown once in the legend with its decoded names; every set links to it. */
  public record MaskDoc(String anchor, String hex, List<String> names) {}

  /** A capability held somewhere in the report: its risk rank and what it gives. */
  public record CapabilityDoc(int rank, String name, String risk) {}

  /**
   * Sets that hold the same mask, shown once, linking to the legend.
   *
   * @param text {@code CapPrm/Eff/Bnd=0xa82c25fb}
   */
  public record SetView(String text, String hex, String anchor) {}

  /** What the runtime was asked for. */
  public record ConfigView(boolean privileged, List<String> capAdd, List<String> capDrop, String user,
      boolean noNewPrivileges, String seccomp, String pidMode, SetView bounding) {}

  /**
   * A process, several alike siblings ({@code pid} then lists them), or a thread, in tree order; depth is the
   * distance from the container's first process.
   *
   * @param source where it was read from, and its NoNewPrivs: {@code host-proc · 0}
   */
  public record ProcessRow(String anchor, int depth, String pid, String name, String uid, String source,
      List<SetView> sets) {}

  /**
   * What a docker exec shell gets.
   *
   * @param source where it was read from, and its NoNewPrivs: {@code oci-spec · 0}
   */
  public record ExecRow(String anchor, String user, boolean root, String source, List<SetView> sets) {}

  /** Contexts of the capability matrix that hold the same: the capabilities, by what the policy made of them. */
  public record ContextRow(String contexts, String mustDrop, String notAllowed, String warning, String allowed) {}

  /**
   * Findings of one rule held alike (same severity, status, reason and holders), with their capabilities: a root
   * container holding NET_RAW, SYS_PTRACE and SYS_ADMIN in the same processes is one row of three.
   */
  public record FindingRow(String severity, String rule, String status, List<String> capabilities, String reason,
      List<HeldIn> heldBy, int moreHolders) {}

  /**
   * The holders of a finding in one context that hold it in the same sets.
   *
   * @param sets the sets the capability was found in ({@code CapEff CapBnd}); empty for configuration settings
   */
  public record HeldIn(String context, String sets, List<HolderRef> holders) {}

  /**
   * A holder of a finding, linking to where its sets are shown once: its process, thread or exec row, or the
   * configuration.
   */
  public record HolderRef(String anchor, String label, String status, String note) {}

  /** The documentation of a rule that fired. */
  public record RuleDoc(String anchor, String id, String title, String severity, String rationale, String cis,
      String remediation) {}

  /** A baseline finding that no longer appears. */
  public record FixedRow(String target, String rule, String capability, String holders, String message) {}

  /** Everything shown for one target, collapsed under its headline. */
  public record TargetView(String anchor, String name, String id, String kind, String image, String node,
      String origin, String verdict, String severity, String headline, List<String> errors, List<String> notes,
      List<String> labels, ConfigView config, SetView observedBounding, List<String> beyondConfig,
      int findingCount, List<FindingRow> findings, List<ContextRow> contexts, List<ProcessRow> processes,
      List<ExecRow> exec, GateView gate) {}

  /** What the image gate adds: the profile, the entrypoint's log and exit, the image's privileged files. */
  public record GateView(String profile, SetView startingSet, String exitCode, String log, boolean logTruncated,
      List<FileRow> files) {}

  /** A setuid, setgid or file-capability binary. */
  public record FileRow(String path, String kind, String owner, String capabilities) {}
}
