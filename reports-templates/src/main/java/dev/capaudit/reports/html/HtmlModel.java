package dev.capaudit.reports.html;

import java.util.List;

/**
 * What the HTML template shows, computed in Java: the template only lays it out. All text stays raw here; the
 * {@code .ftlh} template's auto-escaping makes container-supplied text safe.
 */
public record HtmlModel(String policyName, String toolVersion, String generatedAt, String baselineName,
    Summary summary, List<TopFinding> worst, List<TargetView> targets, List<FixedRow> fixed) {

  /** Counts for the summary band. */
  public record Summary(int targets, int pass, int fail, int error, int findings, int newFindings, int fixed) {}

  /** One of the worst findings across all targets. */
  public record TopFinding(String anchor, String target, String severity, String rule, String status,
      String message) {}

  /** A capability mask with its decoded names. */
  public record MaskView(String hex, List<String> names) {}

  /** One of the five sets of a process or exec view. */
  public record SetView(String label, MaskView mask) {}

  /** What the runtime was asked for. */
  public record ConfigView(boolean privileged, List<String> capAdd, List<String> capDrop, String user,
      boolean noNewPrivileges, String seccomp, MaskView bounding) {}

  /** A process in tree order; depth is its distance from the container's first process. */
  public record ProcessRow(int depth, int pid, int ppid, String name, String uid, String source, String noNewPrivs,
      String seccomp, List<SetView> sets) {}

  /** What a docker exec shell gets. */
  public record ExecRow(String user, boolean root, String source, String noNewPrivs, List<SetView> sets) {}

  /** A cell of the capability x context matrix; css is one of must-drop, not-allowed, warning, allowed, absent. */
  public record Cell(String css, String label) {}

  /** A row of the matrix: one capability across the four contexts. */
  public record MatrixRow(String capability, String risk, List<Cell> cells) {}

  /** A finding, with its baseline status when there is a baseline. */
  public record FindingRow(String severity, String rule, String status, String capability, String where,
      String set, String mask, String message) {}

  /** The documentation of a rule that fired on a target. */
  public record RuleDoc(String id, String title, String severity, String rationale, String cis,
      String remediation) {}

  /** A baseline finding that no longer appears. */
  public record FixedRow(String target, String rule, String capability, String holder, String set, String message) {}

  /** Everything shown for one target. */
  public record TargetView(String anchor, String name, String id, String kind, String image, String verdict,
      List<String> errors, List<String> notes, List<String> labels, ConfigView config, MaskView observedBounding,
      List<String> beyondConfig, List<ProcessRow> processes, List<ExecRow> exec, List<String> matrixColumns,
      List<MatrixRow> matrix, List<FindingRow> findings, List<RuleDoc> rules, GateView gate) {}

  /** What the image gate adds: the profile, the entrypoint's log and exit, the image's privileged files. */
  public record GateView(String profile, MaskView startingSet, String exitCode, String log, boolean logTruncated,
      List<FileRow> files) {}

  /** A setuid, setgid or file-capability binary. */
  public record FileRow(String path, String kind, String owner, String capabilities) {}
}
