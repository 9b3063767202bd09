package dev.capaudit.reports.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * The JSON report, schema version 2: a contract that CI jobs, baselines, {@code diff} and {@code merge} parse, and
 * that reads back into the snapshots it was judged from. Fields may be added; existing ones are never renamed.
 * Documented in the README and in {@code schemas/report-v2.schema.json}.
 */
@JsonPropertyOrder({"schemaVersion", "tool", "policy", "generatedAt", "baseline", "targets", "summary", "minimize"})
public record JsonReport(int schemaVersion, Tool tool, PolicyDoc policy, String generatedAt, Baseline baseline,
    List<Target> targets, Summary summary, Minimize minimize) {
  public static final int SCHEMA_VERSION = 2;

  /** A report of no minimize run. */
  public JsonReport(int schemaVersion, Tool tool, PolicyDoc policy, String generatedAt, Baseline baseline,
      List<Target> targets, Summary summary) {
    this(schemaVersion, tool, policy, generatedAt, baseline, targets, summary, null);
  }

  /**
   * For {@code capaudit minimize}: where the run started, how it ended, the set it proved (absent unless a trial
   * proved it), what it kept and why, and every trial.
   */
  @JsonPropertyOrder({"target", "mode", "from", "startingSet", "status", "reason", "set", "capabilities",
      "decisiveTrial", "trialCount", "seconds", "kept", "trials", "notes"})
  public record Minimize(String target, String mode, String from, String startingSet, String status, String reason,
      String set, List<String> capabilities, Integer decisiveTrial, int trialCount, double seconds,
      List<MinimizeKept> kept, List<MinimizeTrial> trials, List<String> notes) {}

  /** A kept capability: who needs it, the trial without it and its evidence, who held it and where. */
  @JsonPropertyOrder({"capability", "need", "description", "warning", "withoutTrial", "evidence", "holders",
      "contexts"})
  public record MinimizeKept(String capability, String need, String description, boolean warning,
      Integer withoutTrial, String evidence, List<String> holders, List<String> contexts) {}

  /** One trial: its set, what it left out, how it ended, and its evidence. */
  @JsonPropertyOrder({"number", "phase", "set", "removed", "verdict", "reason", "exitCode", "state", "logTail",
      "seconds"})
  public record MinimizeTrial(int number, String phase, String set, List<String> removed, String verdict,
      String reason, Long exitCode, String state, List<String> logTail, double seconds) {}

  /** The tool that wrote the report. */
  public record Tool(String name, String version) {}

  /** The whole policy the targets were judged by, so a report can be judged again or compared with another. */
  @JsonPropertyOrder({"name", "description", "sets", "unlisted", "mustDrop", "loadBearing"})
  public record PolicyDoc(String name, String description, List<String> sets, String unlisted,
      List<String> mustDrop, List<LoadBearingDoc> loadBearing) {}

  /** A load-bearing capability, why, and the contexts it may stay in. */
  public record LoadBearingDoc(String capability, String reason, List<String> contexts) {}

  /** The baseline this run was compared with, and its findings that no longer appear. */
  public record Baseline(String name, List<FixedFinding> fixed) {}

  /** A baseline finding that is gone, identified as findings are matched across runs. */
  @JsonPropertyOrder({"target", "rule", "capability", "severity", "holders", "message"})
  public record FixedFinding(TargetRef target, String rule, String capability, String severity,
      List<String> holders, String message) {}

  /** A target as findings are matched across runs: kind and name where it runs. */
  public record TargetRef(String kind, String name, String node, String engine, String runtime) {}

  /** Counts of targets by verdict, and of findings. */
  public record Summary(int targets, int pass, int fail, int error, int findings) {}

  /** Where a target was found: engine, runtime, its namespace, the node, and its Kubernetes identity. */
  @JsonPropertyOrder({"engine", "runtime", "namespace", "node", "kubernetes"})
  public record Origin(String engine, String runtime, String namespace, String node, Kubernetes kubernetes) {}

  /** The pod and container a Kubernetes runtime records for a container. */
  public record Kubernetes(String pod, String podNamespace, String podUid, String container, boolean sandbox) {}

  /** One audited target; {@code incomplete} says why it was not read completely. */
  @JsonPropertyOrder({"kind", "id", "name", "image", "origin", "verdict", "headline", "incomplete", "errors", "notes",
      "labels", "config", "gate", "processes", "exec", "findings"})
  public record Target(String kind, String id, String name, String image, Origin origin, String verdict,
      String headline, String incomplete, List<String> errors, List<String> notes, Map<String, String> labels,
      @JsonInclude(JsonInclude.Include.ALWAYS) Config config, Gate gate, List<Process> processes, List<Exec> exec,
      List<Finding> findings) {}

  /** For image-gate targets: how the throwaway container ran, its entrypoint's log and the image's risky files. */
  public record Gate(String profile, String startingSet, Long exitCode, String log, boolean logTruncated,
      List<PrivilegedFile> privilegedFiles) {}

  /** A setuid, setgid or file-capability binary in the image. */
  public record PrivilegedFile(String path, boolean setuid, boolean setgid, long owner, String fileCapabilities) {}

  /** What the runtime was asked for, and the bounding set that follows. */
  @JsonPropertyOrder({"privileged", "capAdd", "capDrop", "boundingSet", "user", "noNewPrivileges", "seccompProfile",
      "securityOptions", "pidMode"})
  public record Config(boolean privileged, List<String> capAdd, List<String> capDrop, String boundingSet,
      String user, boolean noNewPrivileges, String seccompProfile, List<String> securityOptions, String pidMode) {}

  /**
   * One process. {@code pid} is the pid inside the container, {@code nsPid} the pid in a pid namespace nested inside
   * it, {@code nsPids} the kernel's NSpid field as read; sets the kernel did not report are left out, and a field it
   * did not print ({@code noNewPrivs}, {@code seccomp}) is null.
   */
  @JsonPropertyOrder({"pid", "nsPid", "hostPid", "ppid", "hostPpid", "nsPids", "name", "uid", "euid", "gid", "egid",
      "source", "noNewPrivs", "seccomp", "sets", "threads"})
  public record Process(int pid, Integer nsPid, int hostPid, int ppid, int hostPpid, List<Integer> nsPids,
      String name, long uid, long euid, long gid, long egid, String source, Boolean noNewPrivs, String seccomp,
      Map<String, String> sets, List<Thread> threads) {}

  /** A thread whose user or sets differ from its process's leader; {@code tid} is in the container's namespace. */
  @JsonPropertyOrder({"tid", "hostTid", "hostPpid", "nsPids", "name", "uid", "euid", "gid", "egid", "noNewPrivs",
      "seccomp", "sets"})
  public record Thread(int tid, int hostTid, int hostPpid, List<Integer> nsPids, String name, long uid, long euid,
      long gid, long egid, Boolean noNewPrivs, String seccomp, Map<String, String> sets) {}

  /** What a docker exec shell gets: probed, from the runtime's spec, or derived; {@code predicted} to compare. */
  @JsonPropertyOrder({"user", "root", "source", "noNewPrivs", "sets", "predicted"})
  public record Exec(String user, boolean root, String source, Boolean noNewPrivs, Map<String, String> sets,
      Map<String, String> predicted) {}

  /** One problem: a rule broken by a capability, with every place it was seen. */
  @JsonPropertyOrder({"rule", "severity", "downgraded", "capability", "rank", "status", "message", "reason",
      "holders", "occurrences"})
  public record Finding(String rule, String severity, boolean downgraded, String capability, int rank,
      String status, String message, String reason, int holders, List<Occurrence> occurrences) {}

  /** Where a finding was seen: the context, the holder and the sets with their masks. */
  @JsonPropertyOrder({"context", "policyContext", "holder", "sets", "note", "status"})
  public record Occurrence(String context, String policyContext, Holder holder, Map<String, String> sets,
      String note, String status) {}

  /**
   * Processes (or threads) alike in name, user and sets, an exec user, or the configuration. {@code pids} are in
   * the container's namespace; {@code tids} name the threads of a thread holder, one per pid.
   */
  @JsonPropertyOrder({"kind", "name", "uid", "count", "pids", "tids"})
  public record Holder(String kind, String name, Long uid, int count, List<Integer> pids, List<Integer> tids) {}
}
