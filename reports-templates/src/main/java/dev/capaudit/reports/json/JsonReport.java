package dev.capaudit.reports.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * The JSON report, schema version 1: a contract that CI jobs, baselines and later commands parse. Fields may be
 * added; existing ones are never renamed. Documented in the README.
 */
@JsonPropertyOrder({"schemaVersion", "tool", "policy", "generatedAt", "baseline", "targets", "summary"})
public record JsonReport(int schemaVersion, Tool tool, PolicyRef policy, String generatedAt, Baseline baseline,
    List<Target> targets, Summary summary) {
  public static final int SCHEMA_VERSION = 1;

  /** The tool that wrote the report. */
  public record Tool(String name, String version) {}

  /** The policy the targets were judged by. */
  public record PolicyRef(String name) {}

  /** The baseline this run was compared with, and its findings that no longer appear. */
  public record Baseline(String name, List<FixedFinding> fixed) {}

  /** A baseline finding that is gone, identified as findings are matched across runs. */
  public record FixedFinding(String target, String rule, String capability, String context, String holder,
      String set, String severity, String message) {}

  /** Counts of targets by verdict. */
  public record Summary(int targets, int pass, int fail, int error) {}

  /** One audited target. */
  @JsonPropertyOrder({"kind", "id", "name", "image", "verdict", "errors", "notes", "labels", "config", "gate",
      "processes", "exec", "findings"})
  public record Target(String kind, String id, String name, String image, String verdict, List<String> errors,
      List<String> notes, Map<String, String> labels, @JsonInclude(JsonInclude.Include.ALWAYS) Config config,
      Gate gate, List<Process> processes, List<Exec> exec, List<Finding> findings) {}

  /** For image-gate targets: how the throwaway container ran, its entrypoint's log and the image's risky files. */
  public record Gate(String profile, String startingSet, Long exitCode, String log, boolean logTruncated,
      List<PrivilegedFile> privilegedFiles) {}

  /** A setuid, setgid or file-capability binary in the image. */
  public record PrivilegedFile(String path, boolean setuid, boolean setgid, long owner, String fileCapabilities) {}

  /** What the runtime was asked for, and the bounding set that follows. */
  public record Config(boolean privileged, List<String> capAdd, List<String> capDrop, String boundingSet,
      String user, boolean noNewPrivileges, String seccompProfile, List<String> securityOptions) {}

  /**
   * One process. {@code pid} is the pid inside the container; sets the kernel did not report are left out, and a
   * field the kernel did not print ({@code noNewPrivs}, {@code seccomp}) is null.
   */
  @JsonPropertyOrder({"pid", "nsPid", "hostPid", "ppid", "name", "uid", "euid", "gid", "source", "noNewPrivs",
      "seccomp", "sets", "threads"})
  public record Process(int pid, Integer nsPid, int hostPid, int ppid, String name, long uid, long euid, long gid,
      String source, Boolean noNewPrivs, String seccomp, Map<String, String> sets, List<Thread> threads) {}

  /** A thread whose user or sets differ from its process's leader; {@code tid} is in the container's namespace. */
  @JsonPropertyOrder({"tid", "name", "uid", "euid", "noNewPrivs", "sets"})
  public record Thread(int tid, String name, long uid, long euid, Boolean noNewPrivs, Map<String, String> sets) {}

  /** What a docker exec shell gets, probed or derived. */
  public record Exec(String user, boolean root, String source, Boolean noNewPrivs, Map<String, String> sets) {}

  /** One finding: one capability in one set of one process, exec view or configuration. */
  @JsonPropertyOrder({"rule", "severity", "capability", "context", "policyContext", "pid", "tid", "execUser", "set",
      "mask", "status", "message"})
  public record Finding(String rule, String severity, String capability, String context, String policyContext,
      @JsonInclude(JsonInclude.Include.ALWAYS) Integer pid, Integer tid, String execUser, String set, String mask,
      String status, String message) {}
}
