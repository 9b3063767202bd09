package dev.capaudit.reports.html;

import java.util.List;

/**
 * What the HTML template shows, computed in Java: the template only lays it out. All text stays raw here; the
 * {@code .ftlh} template's escaping ({@link dev.capaudit.reports.VisibleHtml}) makes container-supplied text safe.
 */
public record HtmlModel(String policyName, String toolVersion, String generatedAt, String baselineName,
    Summary summary, List<Group> groups, List<TargetView> targets, List<FixedRow> fixed, List<RuleDoc> rules,
    List<MaskDoc> masks) {

  /** Counts for the summary band. */
  public record Summary(int targets, int pass, int fail, int error, int findings, int newFindings, int fixed) {}

  /**
   * Targets with the same findings (rule, capability, context), worst group first.
   *
   * @param severity the worst severity in the group, or the verdict for groups without findings
   * @param label what the group holds, in one line ({@code must-drop-present (root-process): CAP_NET_RAW, ...})
   */
  public record Group(String severity, String verdict, int size, String label, String headline,
      List<TargetLink> targets) {}

  /** A target in a group, linking to its details. */
  public record TargetLink(String anchor, String name, String where) {}

  /** A mask shown once in the legend with its decoded names; every set links to it. */
  public record MaskDoc(String anchor, String hex, List<String> names) {}

  /** A set of a process or exec view: its /proc label and its mask in the legend. */
  public record SetView(String label, String hex, String anchor) {}

  /** What the runtime was asked for. */
  public record ConfigView(boolean privileged, List<String> capAdd, List<String> capDrop, String user,
      boolean noNewPrivileges, String seccomp, String pidMode, SetView bounding) {}

  /** A process or thread in tree order; depth is its distance from the container's first process. */
  public record ProcessRow(int depth, String pid, String name, String uid, String source, String noNewPrivs,
      List<SetView> sets) {}

  /** What a docker exec shell gets. */
  public record ExecRow(String user, boolean root, String source, String noNewPrivs, List<SetView> sets) {}

  /** A cell of the capability x context matrix; css is one of must-drop, not-allowed, warning, allowed, absent. */
  public record Cell(String css, String label) {}

  /** A row of the matrix: one capability across the four contexts. */
  public record MatrixRow(String capability, String risk, List<Cell> cells) {}

  /** A finding, with its baseline status when there is a baseline, and who holds it. */
  public record FindingRow(String severity, String rule, String status, String capability, String message,
      List<HolderRow> holders, int moreHolders) {}

  /** One occurrence of a finding. */
  public record HolderRow(String status, String context, String holder, List<SetView> sets, String note) {}

  /** The documentation of a rule that fired. */
  public record RuleDoc(String id, String title, String severity, String rationale, String cis,
      String remediation) {}

  /** A baseline finding that no longer appears. */
  public record FixedRow(String target, String rule, String capability, String holders, String message) {}

  /** Everything shown for one target, collapsed under its headline. */
  public record TargetView(String anchor, String name, String id, String kind, String image, String origin,
      String verdict, String severity, String headline, List<String> errors, List<String> notes,
      List<String> labels, ConfigView config, SetView observedBounding, List<String> beyondConfig,
      List<ProcessRow> processes, List<ExecRow> exec, List<String> matrixColumns, List<MatrixRow> matrix,
      List<FindingRow> findings, GateView gate) {}

  /** What the image gate adds: the profile, the entrypoint's log and exit, the image's privileged files. */
  public record GateView(String profile, SetView startingSet, String exitCode, String log, boolean logTruncated,
      List<FileRow> files) {}

  /** A setuid, setgid or file-capability binary. */
  public record FileRow(String path, String kind, String owner, String capabilities) {}
}
