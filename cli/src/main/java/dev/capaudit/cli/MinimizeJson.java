package dev.capaudit.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capaudit.reports.ReportFormat;
import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.policy.AuditContext;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.scanner.io.BoundedFiles;
import dev.capaudit.scanner.minimize.KeptCapability;
import dev.capaudit.scanner.minimize.MinimizeResult;
import dev.capaudit.scanner.minimize.TrialOutcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The reports of a minimize run, as every auditing command writes them, with the run itself in the JSON report: a
 * top-level {@code minimize} object with every trial (schema version 2 lets fields be added; readers of the report,
 * diff and merge among them, ignore it).
 */
final class MinimizeJson {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private MinimizeJson() {}

  static ExitCode judgeAndReport(Policy policy, TargetSnapshot target, MinimizeResult result, ReportOptions reports,
      PrintWriter out) throws CliProblem {
    Path json = reports.outputs().get(ReportFormat.JSON);
    if (json == null) {
      return AuditRun.judgeAndReport(policy, List.of(target), reports, out);
    }
    if (ReportOptions.STDOUT.equals(json)) {
      // With the JSON report on standard output, it is all that goes there (the table goes to standard error).
      StringWriter report = new StringWriter();
      ExitCode code = AuditRun.judgeAndReport(policy, List.of(target), reports, new PrintWriter(report));
      out.print(withRun(report.toString(), result, "standard output"));
      out.flush();
      return code;
    }
    ExitCode code = AuditRun.judgeAndReport(policy, List.of(target), reports, out);
    try {
      String written = Files.readString(json, StandardCharsets.UTF_8);
      Files.writeString(json, withRun(written, result, json.toString()), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CliProblem.tool("cannot add the trials to the JSON report " + json + ": " + BoundedFiles.reason(e));
    }
    return code;
  }

  private static String withRun(String report, MinimizeResult result, String where) throws CliProblem {
    try {
      JsonNode root = JSON.readTree(report);
      ((ObjectNode) root).set("minimize", JSON.valueToTree(doc(result)));
      return JSON.writeValueAsString(root) + "\n";
    } catch (IOException | ClassCastException e) {
      throw CliProblem.tool("cannot add the trials to the JSON report on " + where + ": " + e.getMessage());
    }
  }

  static Run doc(MinimizeResult result) {
    // A set only where a trial proved it: a workload that never ran has no set, not an empty one.
    boolean proven = result.decisive().map(TrialOutcome::passed).orElse(false);
    return new Run(result.template().target(), result.template().fromContainer() ? "container" : "image",
        result.from(), result.start().toString(), id(result.status().name()),
        result.reason().isEmpty() ? null : result.reason(), proven ? result.set().toString() : null,
        proven ? result.set().names() : null,
        result.decisive().map(t -> t.request().number()).orElse(null), result.trials().size(),
        result.took().toMillis() / 1000.0, result.kept().stream().map(MinimizeJson::kept).toList(),
        result.trials().stream().map(MinimizeJson::trial).toList(), result.notes());
  }

  private static Kept kept(KeptCapability k) {
    return new Kept(k.capability().canonicalName(), id(k.need().name()),
        k.need().description(), k.need().warning(), k.without().map(t -> t.request().number()).orElse(null),
        k.without().map(TrialOutcome::evidence).orElse(null), k.holders(),
        k.contexts().stream().sorted().map(AuditContext::id).toList());
  }

  private static String id(String constant) {
    return constant.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static Trial trial(TrialOutcome t) {
    return new Trial(t.request().number(), t.request().phase().id(), t.request().set().toString(),
        t.request().removed().capabilities().stream().map(Capability::canonicalName).toList(),
        t.verdict().name().toLowerCase(Locale.ROOT), t.reason().isEmpty() ? null : t.reason(),
        t.exitCode().orElse(null), t.state(), t.logTail(), t.took().toMillis() / 1000.0);
  }

  /** The run: where it started, how it ended, what it kept and every trial. */
  @JsonPropertyOrder({"target", "mode", "from", "startingSet", "status", "reason", "set", "capabilities",
      "decisiveTrial", "trialCount", "seconds", "kept", "trials", "notes"})
  record Run(String target, String mode, String from, String startingSet, String status, String reason, String set,
      List<String> capabilities, Integer decisiveTrial, int trialCount, double seconds, List<Kept> kept,
      List<Trial> trials, List<String> notes) {}

  /** A kept capability: who needs it, the trial without it, who held it and where. */
  @JsonPropertyOrder({"capability", "need", "description", "warning", "withoutTrial", "evidence", "holders",
      "contexts"})
  record Kept(String capability, String need, String description, boolean warning, Integer withoutTrial,
      String evidence, List<String> holders, List<String> contexts) {}

  /** One trial: its set, what it left out, how it ended, and its evidence. */
  @JsonPropertyOrder({"number", "phase", "set", "removed", "verdict", "reason", "exitCode", "state", "logTail",
      "seconds"})
  record Trial(int number, String phase, String set, List<String> removed, String verdict, String reason,
      Long exitCode, String state, List<String> logTail, double seconds) {}
}
