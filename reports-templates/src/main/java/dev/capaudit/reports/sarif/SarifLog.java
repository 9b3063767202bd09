package dev.capaudit.reports.sarif;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * The subset of SARIF 2.1.0 that capaudit writes, as records serialized by Jackson. Names follow the SARIF schema
 * exactly; a null component is left out of the output. Strings that reach these records have already been through
 * {@link SarifText}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"$schema", "version", "runs"})
public record SarifLog(@JsonProperty("$schema") String schema, String version, List<Run> runs) {
  public static final String VERSION = "2.1.0";
  public static final String SCHEMA_URI =
      "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

  /** One run of capaudit. {@code results} is always present, empty when nothing was found. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"tool", "invocations", "results", "properties"})
  public record Run(Tool tool, List<Invocation> invocations,
      @JsonInclude(JsonInclude.Include.ALWAYS) List<Result> results, RunProperties properties) {}

  /**
   * Which policy judged the run, against which baseline, the targets' verdicts, and what was left out to stay within
   * code scanning's limits.
   *
   * @param findings every finding of the run; {@code omittedResults} of them are not results here (the least severe)
   * @param omittedBySeverity how many were left out, per severity
   * @param placeholderUri the URI results point at when no {@code --source} file places them
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"policy", "baseline", "targets", "pass", "fail", "error", "findings", "omittedResults",
      "omittedBySeverity", "placeholderUri"})
  public record RunProperties(String policy, String baseline, int targets, int pass, int fail, int error,
      int findings, int omittedResults, Map<String, Integer> omittedBySeverity, String placeholderUri) {}

  public record Tool(ToolComponent driver) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"name", "version", "informationUri", "rules"})
  public record ToolComponent(String name, String version, String informationUri, List<ReportingDescriptor> rules) {}

  /** A rule: what it checks, why, how to fix it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"id", "name", "shortDescription", "fullDescription", "help", "defaultConfiguration",
      "properties"})
  public record ReportingDescriptor(String id, String name, MultiformatMessage shortDescription,
      MultiformatMessage fullDescription, MultiformatMessage help, ReportingConfiguration defaultConfiguration,
      RuleProperties properties) {}

  public record ReportingConfiguration(String level) {}

  /**
   * GitHub code scanning reads {@code tags} (it shows {@code security-severity} only when "security" is among them)
   * and {@code security-severity}, a CVSS-like score as a string.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"tags", "security-severity", "severity", "cisReferences"})
  public record RuleProperties(List<String> tags, @JsonProperty("security-severity") String securitySeverity,
      String severity, List<String> cisReferences) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"text", "markdown"})
  public record MultiformatMessage(String text, String markdown) {}

  public record Message(String text) {}

  /**
   * The one invocation. An unreadable target is a notification here, never a result.
   *
   * @param endTimeUtc when the report was written
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"executionSuccessful", "endTimeUtc", "toolExecutionNotifications"})
  public record Invocation(boolean executionSuccessful, String endTimeUtc,
      List<Notification> toolExecutionNotifications) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"level", "message", "locations"})
  public record Notification(String level, Message message, List<Location> locations) {}

  /** One finding, or (with a baseline) one baseline finding that is gone. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"ruleId", "ruleIndex", "level", "message", "locations", "partialFingerprints", "baselineState",
      "properties"})
  public record Result(String ruleId, Integer ruleIndex, String level, Message message, List<Location> locations,
      Map<String, String> partialFingerprints, String baselineState, ResultProperties properties) {}

  /**
   * The finding's own fields, for consumers that filter on them.
   *
   * @param holders processes, threads, exec shells and configurations holding it
   * @param occurrences where it was seen, one line each ({@code nonroot-process pid 1 (sleep, uid 1000): CapBnd=0x200100})
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"severity", "capability", "rank", "target", "node", "contexts", "holders", "occurrences"})
  public record ResultProperties(String severity, String capability, Integer rank, String target, String node,
      List<String> contexts, Integer holders, List<String> occurrences) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"physicalLocation", "logicalLocations"})
  public record Location(PhysicalLocation physicalLocation, List<LogicalLocation> logicalLocations) {}

  public record PhysicalLocation(ArtifactLocation artifactLocation, Region region) {}

  public record ArtifactLocation(String uri) {}

  public record Region(int startLine) {}

  /**
   * A target, or the process, exec view or configuration of one.
   *
   * @param fullyQualifiedName {@code container/sandbox-7/pid/1}: the target's kind and name, then the holder
   * @param kind the target's kind ({@code container}, {@code host}, {@code image}, {@code snapshot}), or
   *     {@code process}, {@code exec}, {@code config}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"name", "fullyQualifiedName", "kind", "properties"})
  public record LogicalLocation(String name, String fullyQualifiedName, String kind,
      LogicalLocationProperties properties) {}

  /** A target's id, image and origin; or a holder's pids or exec user. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"id", "image", "engine", "runtime", "node", "pod", "pids", "tids", "user"})
  public record LogicalLocationProperties(String id, String image, String engine, String runtime, String node,
      String pod, List<Integer> pids, List<Integer> tids, String user) {}
}
