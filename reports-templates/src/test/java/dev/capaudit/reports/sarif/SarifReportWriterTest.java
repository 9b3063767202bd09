package dev.capaudit.reports.sarif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.capaudit.reports.AuditReport;
import dev.capaudit.reports.SampleReports;
import dev.capaudit.reports.SourceFile;
import dev.capaudit.rules.baseline.BaselineEntry;
import dev.capaudit.rules.engine.Finding;
import dev.capaudit.rules.engine.Rule;
import dev.capaudit.rules.engine.Rules;
import dev.capaudit.rules.engine.Severity;
import dev.capaudit.rules.engine.TargetResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SarifReportWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonSchema SCHEMA = schema();
  private static final Path GOLDEN = Path.of("src/test/resources/sarif/golden-regression.sarif");
  /** The hostile name after cleaning: U+FFFE and the lone surrogate become U+FFFD, everything else is kept. */
  private static final String HOSTILE_TEXT = SampleReports.HOSTILE.replace("\uFFFE", "\uFFFD")
      .replace("\uD800", "\uFFFD");

  private static JsonSchema schema() {
    try (InputStream in = SarifReportWriterTest.class.getResourceAsStream("/sarif/sarif-schema-2.1.0.json")) {
      assertThat(in).as("sarif-schema-2.1.0.json on the test class path").isNotNull();
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
          .getSchema(in, SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sarif(AuditReport report) throws IOException {
    StringWriter out = new StringWriter();
    new SarifReportWriter().write(report, out);
    return out.toString();
  }

  private static JsonNode validated(String sarif) throws IOException {
    JsonNode log = JSON.readTree(sarif);
    Set<ValidationMessage> errors = SCHEMA.validate(log);
    assertThat(errors).as("SARIF 2.1.0 schema violations").isEmpty();
    return log;
  }

  private static JsonNode run(JsonNode log) {
    return log.get("runs").get(0);
  }

  private static List<JsonNode> results(JsonNode log) {
    return StreamSupport.stream(run(log).get("results").spliterator(), false).toList();
  }

  private static JsonNode onlyResult(JsonNode log, String ruleId) {
    List<JsonNode> matching = results(log).stream().filter(r -> r.get("ruleId").asText().equals(ruleId)).toList();
    assertThat(matching).as("results of rule " + ruleId).hasSize(1);
    return matching.get(0);
  }

  private static JsonNode firstResult(JsonNode log, String ruleId) {
    return results(log).stream().filter(r -> r.get("ruleId").asText().equals(ruleId)).findFirst().orElseThrow();
  }

  private static int findings(AuditReport report) {
    return report.result().targets().stream().mapToInt(t -> t.findings().size()).sum();
  }

  @Test
  void schema_rejects_an_invalid_log() throws IOException {
    // Guards the guard: a validator that accepted anything would make every schema test pass.
    JsonNode broken = JSON.readTree("{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {}},"
        + " \"results\": [{\"level\": \"fatal\"}]}]}");
    assertThat(SCHEMA.validate(broken)).extracting(ValidationMessage::getMessage)
        .anySatisfy(m -> assertThat(m).contains("name"))
        .anySatisfy(m -> assertThat(m).contains("message"))
        .anySatisfy(m -> assertThat(m).contains("level"));
  }

  @ParameterizedTest
  @CsvSource({
      "nemoclaw-sandbox, setpriv-sysadmin-regression-0x200100",
      "nemoclaw-sandbox, setpriv-setuid-regression-0x180",
      "nemoclaw-sandbox, connect-shell-0xa82c25fb",
      "nemoclaw-sandbox, privileged-config-only",
      "nemoclaw-sandbox, ambient-nonroot",
      "nemoclaw-sandbox, unknown-capability-bit",
      "nemoclaw-sandbox, unreadable-status",
      "nemoclaw-sandbox, drop-all-user1000",
      "cis-docker, lowercase-and-all-config",
      "k8s-restricted, k8s-restricted-drop-all"})
  void sample_case_is_schema_valid_with_one_result_per_finding(String policy, String sampleCase) throws Exception {
    AuditReport report = SampleReports.ofCases(policy, sampleCase);

    JsonNode log = validated(sarif(report));

    assertThat(log.get("version").asText()).isEqualTo("2.1.0");
    assertThat(log.get("runs")).hasSize(1);
    assertThat(run(log).get("results")).hasSize(findings(report));
    assertThat(run(log).at("/properties/policy").asText()).isEqualTo(policy);
  }

  @Test
  void multi_target_report_is_schema_valid_and_keeps_every_target_apart() throws Exception {
    AuditReport report = SampleReports.ofCases("nemoclaw-sandbox", "setpriv-sysadmin-regression-0x200100",
        "connect-shell-0xa82c25fb", "setpriv-setuid-regression-0x180", "unreadable-status", "agent-fixed-0x100");

    JsonNode log = validated(sarif(report));

    assertThat(results(log)).hasSize(findings(report));
    List<String> anchors = results(log).stream()
        .map(r -> r.at("/locations/0/physicalLocation/artifactLocation/uri").asText()).distinct().toList();
    List<String> expected = new ArrayList<>();
    for (TargetResult target : report.result().targets()) {
      if (!target.findings().isEmpty()) {
        expected.add("capaudit-targets/" + target.target().kind().id() + "/" + target.target().name());
      }
    }
    assertThat(anchors).containsExactlyInAnyOrderElementsOf(expected).hasSize(3);
    assertThat(results(log).get(0).get("level").asText()).as("worst first").isEqualTo("error");
    assertThat(run(log).at("/properties/targets").asInt()).isEqualTo(5);
    assertThat(run(log).at("/properties/fail").asInt()).isEqualTo(3);
    assertThat(run(log).at("/properties/error").asInt()).isEqualTo(1);
    // Four targets were read, so the run succeeded; the unreadable one is an error notification, not a result.
    JsonNode invocation = run(log).at("/invocations/0");
    assertThat(invocation.get("executionSuccessful").asBoolean()).isTrue();
    assertThat(invocation.get("toolExecutionNotifications")).hasSize(1);
    JsonNode notification = invocation.at("/toolExecutionNotifications/0");
    assertThat(notification.get("level").asText()).isEqualTo("error");
    assertThat(notification.at("/message/text").asText())
        .startsWith("snapshot garbled could not be read: ")
        .contains("garbled.status");
    assertThat(notification.at("/locations/0/logicalLocations/0/fullyQualifiedName").asText())
        .isEqualTo("snapshot/garbled");
  }

  @Test
  void a_run_in_which_no_target_could_be_read_is_not_successful() throws Exception {
    JsonNode log = validated(sarif(SampleReports.ofCases("nemoclaw-sandbox", "unreadable-status")));

    assertThat(run(log).at("/invocations/0/executionSuccessful").asBoolean()).isFalse();
    assertThat(run(log).get("results")).isEmpty();
    assertThat(run(log).at("/invocations/0/toolExecutionNotifications/0/level").asText()).isEqualTo("error");
  }

  @Test
  void level_is_mapped_from_the_finding_severity() throws Exception {
    JsonNode sysadmin = validated(sarif(SampleReports.ofCases("nemoclaw-sandbox",
        "setpriv-sysadmin-regression-0x200100")));
    JsonNode setuid = validated(sarif(SampleReports.ofCases("nemoclaw-sandbox", "setpriv-setuid-regression-0x180")));

    assertThat(onlyResult(sysadmin, "must-drop-present").get("level").asText()).isEqualTo("error");
    assertThat(onlyResult(sysadmin, "regain-path").get("level").asText()).isEqualTo("error");
    assertThat(onlyResult(setuid, "outside-allowed-context").get("level").asText()).isEqualTo("warning");
    assertThat(SarifMapper.level(Severity.LOW)).isEqualTo("note");
    assertThat(SarifMapper.level(Severity.INFO)).isEqualTo("note");
  }

  @Test
  void result_points_at_the_rule_and_carries_the_finding() throws Exception {
    JsonNode log = validated(sarif(SampleReports.ofCases("nemoclaw-sandbox", "setpriv-setuid-regression-0x180")));

    JsonNode result = onlyResult(log, "outside-allowed-context");
    int index = result.get("ruleIndex").asInt();
    assertThat(run(log).at("/tool/driver/rules/" + index + "/id").asText()).isEqualTo("outside-allowed-context");
    assertThat(result.at("/message/text").asText())
        .startsWith("snapshot agent-setuid-regression: CAP_SETUID in CapBnd of pid 1 (sleep, uid 1000)")
        .endsWith("load-bearing only in \\[root-process, root-exec, config\\], not in nonroot-process");
    assertThat(result.at("/properties/capability").asText()).isEqualTo("CAP_SETUID");
    assertThat(result.at("/properties/rank").asInt()).isEqualTo(18);
    assertThat(result.at("/properties/contexts").toString()).isEqualTo("[\"nonroot-process\"]");
    assertThat(result.at("/properties/occurrences/0").asText())
        .isEqualTo("nonroot-process pid 1 (sleep, uid 1000): CapBnd=0x180");
    // No pid in the fingerprint: a restart keeps the alert.
    assertThat(result.at("/partialFingerprints/capauditFindingKey~1v2").asText())
        .isEqualTo("snapshot:agent-setuid-regression|outside-allowed-context|CAP_SETUID");
    assertThat(result.has("baselineState")).as("no baseline, no baselineState").isFalse();
  }

  @Test
  void process_finding_is_located_at_the_container_pid_and_process() throws Exception {
    JsonNode log = validated(sarif(SampleReports.ofCases("nemoclaw-sandbox",
        "setpriv-sysadmin-regression-0x200100")));

    JsonNode location = onlyResult(log, "must-drop-present").at("/locations/0");
    JsonNode process = location.at("/logicalLocations/0");
    assertThat(process.get("kind").asText()).isEqualTo("process");
    assertThat(process.get("name").asText()).isEqualTo("sleep");
    assertThat(process.get("fullyQualifiedName").asText())
        .isEqualTo("snapshot/agent-sysadmin-regression/process/sleep/uid/1000");
    assertThat(process.at("/properties/pids").toString()).isEqualTo("[1]");
    JsonNode container = location.at("/logicalLocations/1");
    assertThat(container.get("kind").asText()).isEqualTo("snapshot");
    assertThat(container.get("name").asText()).isEqualTo("agent-sysadmin-regression");
    assertThat(container.get("fullyQualifiedName").asText()).isEqualTo("snapshot/agent-sysadmin-regression");
    assertThat(location.at("/physicalLocation/artifactLocation/uri").asText())
        .isEqualTo("capaudit-targets/snapshot/agent-sysadmin-regression");
    assertThat(location.at("/physicalLocation/region/startLine").asInt()).isEqualTo(1);
  }

  @Test
  void exec_and_config_findings_name_the_exec_user_and_the_configuration() throws Exception {
    JsonNode log = validated(sarif(SampleReports.ofCases("nemoclaw-sandbox", "connect-shell-0xa82c25fb")));

    JsonNode regain = firstResult(log, "regain-path").at("/locations/0/logicalLocations/0");
    assertThat(regain.get("kind").asText()).isEqualTo("exec");
    assertThat(regain.get("name").asText()).isEqualTo("1000");
    assertThat(regain.at("/properties/user").asText()).isEqualTo("1000");
    assertThat(regain.get("fullyQualifiedName").asText()).endsWith("/exec/1000");
    JsonNode capAdd = firstResult(log, "cap-add-not-allowed").at("/locations/0/logicalLocations/0");
    assertThat(capAdd.get("kind").asText()).isEqualTo("config");
    assertThat(capAdd.get("fullyQualifiedName").asText()).endsWith("/config");
  }

  @Test
  void rules_are_every_registered_rule_with_help_and_cis_references() throws Exception {
    JsonNode log = validated(sarif(SampleReports.ofCases("nemoclaw-sandbox", "drop-all-user1000")));

    JsonNode driver = run(log).at("/tool/driver");
    assertThat(driver.get("name").asText()).isEqualTo("capaudit");
    assertThat(driver.get("version").asText()).isEqualTo("0.1.0");
    JsonNode rules = driver.get("rules");
    List<Rule> registered = Rules.all();
    assertThat(rules).hasSize(registered.size());
    for (int i = 0; i < registered.size(); i++) {
      Rule rule = registered.get(i);
      JsonNode descriptor = rules.get(i);
      assertThat(descriptor.get("id").asText()).isEqualTo(rule.id());
      assertThat(descriptor.at("/shortDescription/text").asText()).isEqualTo(rule.title());
      assertThat(descriptor.at("/fullDescription/text").asText()).isEqualTo(rule.rationale());
      assertThat(descriptor.at("/help/text").asText()).contains(rule.rationale(), rule.remediation());
      assertThat(descriptor.at("/help/markdown").asText()).contains(rule.remediation(), "**Remediation.**");
      assertThat(descriptor.at("/properties/tags").toString()).contains("\"security\"");
      assertThat(descriptor.at("/properties/cisReferences").toString()).contains("CIS Docker 5.4");
      assertThat(descriptor.at("/help/markdown").asText()).contains("CIS Docker 5.4");
    }
    JsonNode mustDrop = rules.get(0);
    assertThat(mustDrop.get("name").asText()).isEqualTo("MustDropPresent");
    assertThat(mustDrop.at("/defaultConfiguration/level").asText()).isEqualTo("error");
    assertThat(mustDrop.at("/properties/security-severity").asText()).isEqualTo("8.0");
    assertThat(mustDrop.at("/properties/cisReferences").toString())
        .contains("CIS Docker 5.3 (v1.1-1.5)", "CIS Docker 5.4 (v1.6)");
    assertThat(mustDrop.at("/help/text").asText()).contains("CIS references: CIS Docker 5.3 (v1.1-1.5)");
    JsonNode outside = rules.get(Rules.all().indexOf(Rules.OUTSIDE_ALLOWED_CONTEXT));
    assertThat(outside.at("/defaultConfiguration/level").asText()).isEqualTo("warning");
    assertThat(outside.at("/properties/security-severity").asText()).isEqualTo("5.5");
    JsonNode privileged = rules.get(Rules.all().indexOf(Rules.PRIVILEGED_CONTAINER));
    assertThat(privileged.at("/properties/cisReferences").toString()).contains("CIS Docker 5.5 (v1.6)");
  }

  @Test
  void baseline_marks_known_findings_unchanged_new_ones_new_and_gone_ones_absent() throws Exception {
    AuditReport current = SampleReports.ofCases("nemoclaw-sandbox", "setpriv-sysadmin-regression-0x200100");
    TargetResult target = current.result().targets().get(0);
    Finding mustDrop = target.findings().stream().filter(f -> f.rule().id().equals("must-drop-present"))
        .findFirst().orElseThrow();
    BaselineEntry gone = SampleReports.entry("agent-sysadmin-regression", "outside-allowed-context", "CAP_SETUID",
        "process sleep uid=1000");
    AuditReport report = SampleReports.withBaseline(current, List.of(BaselineEntry.of(target.target(), mustDrop),
        gone));

    JsonNode log = validated(sarif(report));

    assertThat(results(log)).hasSize(3);
    assertThat(onlyResult(log, "must-drop-present").get("baselineState").asText()).isEqualTo("unchanged");
    assertThat(onlyResult(log, "regain-path").get("baselineState").asText()).isEqualTo("new");
    JsonNode absent = onlyResult(log, "outside-allowed-context");
    assertThat(absent.get("baselineState").asText()).isEqualTo("absent");
    assertThat(absent.get("level").asText()).isEqualTo("warning");
    assertThat(absent.get("ruleIndex").asInt()).isEqualTo(Rules.all().indexOf(Rules.OUTSIDE_ALLOWED_CONTEXT));
    assertThat(absent.at("/partialFingerprints/capauditFindingKey~1v2").asText()).isEqualTo(gone.key().toString());
    assertThat(absent.at("/properties/occurrences/0").asText()).isEqualTo("nonroot-process process sleep uid=1000");
    assertThat(run(log).at("/properties/baseline").asText()).isEqualTo("baseline.json");

    StringWriter withoutAbsent = new StringWriter();
    new SarifReportWriter(false).write(report, withoutAbsent);
    assertThat(results(validated(withoutAbsent.toString())))
        .extracting(r -> r.get("baselineState").asText()).containsExactly("unchanged", "new");
  }

  @Test
  void keeps_the_worst_5000_results_and_says_what_was_left_out() throws Exception {
    List<dev.capaudit.rules.model.TargetSnapshot> fleet = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      fleet.add(SampleReports.manyProcesses("c" + i, 2));
    }
    AuditReport report = SampleReports.report(new dev.capaudit.rules.engine.Auditor(
        SampleReports.policy("nemoclaw-sandbox")).audit(fleet), java.util.Optional.empty());
    int findings = findings(report);
    assertThat(findings).isGreaterThan(SarifMapper.MAX_RESULTS);

    JsonNode log = validated(sarif(report));

    assertThat(results(log)).hasSize(SarifMapper.MAX_RESULTS);
    assertThat(run(log).at("/properties/findings").asInt()).isEqualTo(findings);
    assertThat(run(log).at("/properties/omittedResults").asInt()).isEqualTo(findings - SarifMapper.MAX_RESULTS);
    assertThat(run(log).at("/properties/omittedBySeverity/high").asInt()).isEqualTo(findings - SarifMapper.MAX_RESULTS);
    // Worst kept: every SYS_ADMIN finding (rank 1) is a result before any lower-ranked one.
    assertThat(results(log)).extracting(r -> r.at("/properties/rank").asInt()).isSorted();
    assertThat(results(log).stream().filter(r -> r.at("/properties/capability").asText().equals("CAP_SYS_ADMIN")))
        .hasSize(600);
  }

  @Test
  void stays_within_github_code_scanning_ingestion_limits() throws Exception {
    JsonNode log = validated(sarif(SampleReports.ofCases("nemoclaw-sandbox", "connect-shell-0xa82c25fb",
        "privileged-config-only", "setpriv-sysadmin-regression-0x200100")));

    // docs.github.com, "SARIF support for code scanning": limits per run, result and rule.
    assertThat(log.get("runs").size()).isLessThanOrEqualTo(20);
    assertThat(results(log)).hasSizeLessThanOrEqualTo(25_000).allSatisfy(r -> {
      assertThat(r.get("locations").size()).isBetween(1, 1000);
      assertThat(r.at("/locations/0/physicalLocation/artifactLocation/uri").asText()).isNotBlank();
      assertThat(r.at("/locations/0/physicalLocation/region/startLine").asInt()).isPositive();
      assertThat(r.at("/partialFingerprints").size()).isPositive();
    });
    assertThat(run(log).at("/tool/driver/rules")).hasSizeLessThanOrEqualTo(25_000)
        .allSatisfy(rule -> assertThat(rule.at("/properties/tags").size()).isLessThanOrEqualTo(20));
  }

  @Test
  void a_source_file_maps_results_to_the_lines_that_grant_them() throws Exception {
    AuditReport plain = SampleReports.ofCases("nemoclaw-sandbox", "connect-shell-0xa82c25fb");
    String compose = "services:\n  db:\n    image: postgres\n  capaudit-capture-agent-fixed:\n    image: agent\n"
        + "    cap_add:\n      - SYS_PTRACE\n      - SYS_ADMIN\n    user: \"1000\"\n";
    String dockerfile = "FROM busybox\nUSER 1000\nENTRYPOINT [\"/entrypoint.sh\"]\n";
    AuditReport report = new AuditReport(plain.result(), plain.toolVersion(), plain.baseline(), plain.generatedAt(),
        List.of(SourceFile.of("deploy/compose.yaml", compose), SourceFile.of("Dockerfile", dockerfile)));

    JsonNode log = validated(sarif(report));

    JsonNode capAdd = results(log).stream().filter(r -> r.get("ruleId").asText().equals("cap-add-not-allowed")
        && r.at("/properties/capability").asText().equals("CAP_SYS_ADMIN")).findFirst().orElseThrow();
    assertThat(capAdd.at("/locations/0/physicalLocation/artifactLocation/uri").asText())
        .isEqualTo("deploy/compose.yaml");
    assertThat(capAdd.at("/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(8);
    JsonNode rootExec = results(log).stream().filter(r -> r.get("ruleId").asText().equals("must-drop-present"))
        .findFirst().orElseThrow();
    assertThat(rootExec.at("/locations/0/physicalLocation/artifactLocation/uri").asText()).isEqualTo("Dockerfile");
    assertThat(rootExec.at("/locations/0/physicalLocation/region/startLine").asInt()).as("USER, for a root holder")
        .isEqualTo(2);
  }

  @Test
  void a_kubernetes_manifest_maps_results_to_the_container_security_context() throws Exception {
    AuditReport plain = SampleReports.ofCases("nemoclaw-sandbox", "privileged-config-only");
    String name = plain.result().targets().get(0).target().name();
    String manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
        + "    - name: sidecar\n      image: x\n    - name: " + name + "\n      image: y\n"
        + "      securityContext:\n        privileged: true\n";
    AuditReport report = new AuditReport(plain.result(), plain.toolVersion(), plain.baseline(), plain.generatedAt(),
        List.of(SourceFile.of("k8s/pod.yaml", manifest)));

    JsonNode log = validated(sarif(report));

    JsonNode privileged = onlyResult(log, "privileged-container");
    assertThat(privileged.at("/locations/0/physicalLocation/artifactLocation/uri").asText()).isEqualTo("k8s/pod.yaml");
    assertThat(privileged.at("/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(12);
  }

  @Test
  void hostile_text_stays_valid_json_and_reads_back_intact() throws Exception {
    String sarif = sarif(SampleReports.hostile());

    // Valid UTF-8 once encoded: a lone surrogate would not survive a strict round trip.
    byte[] utf8 = sarif.getBytes(StandardCharsets.UTF_8);
    assertThat(strictUtf8(utf8)).isEqualTo(sarif);
    assertThat(sarif).doesNotContain("\uFFFE", "\uD800").contains("\uFFFD");
    // No raw control character anywhere: the pretty printer's newlines are the only ones.
    assertThat(sarif.chars().filter(c -> (c < 0x20 && c != '\n') || (c >= 0x7F && c <= 0x9F)).count()).isZero();
    assertThat(sarif).contains("\\u0000", "\\u001B", "\\b");

    JsonNode log = validated(sarif);
    JsonNode result = results(log).stream()
        .filter(r -> r.at("/locations/0/logicalLocations/0/kind").asText().equals("process"))
        .findFirst().orElseThrow();
    assertThat(sarif).doesNotContain("\u202e").contains("\\u202E");
    JsonNode logical = result.at("/locations/0/logicalLocations");
    JsonNode target = logical.get(logical.size() - 1);
    assertThat(target.get("name").asText()).isEqualTo("sandbox-" + HOSTILE_TEXT);
    assertThat(target.at("/properties/image").asText()).isEqualTo("image:" + HOSTILE_TEXT);
    assertThat(result.at("/locations/0/logicalLocations/0/name").asText()).isEqualTo(HOSTILE_TEXT);
    assertThat(result.at("/partialFingerprints/capauditFindingKey~1v2").asText())
        .startsWith("container:sandbox-" + HOSTILE_TEXT + "|");
    // The bracket pair is escaped in the message, so no viewer turns it into a link.
    assertThat(result.at("/message/text").asText()).contains("\\[x\\](y)").doesNotContain("[x](y)");
    assertThat(result.at("/locations/0/physicalLocation/artifactLocation/uri").asText())
        .startsWith("capaudit-targets/container/sandbox-%3Cimg%20src%3Dx").doesNotContain("<", " ", "\"",
            "%EF%BF%BE");

    JsonNode notifications = run(log).at("/invocations/0/toolExecutionNotifications");
    assertThat(notifications).extracting(n -> n.get("level").asText()).contains("error", "warning", "note");
    assertThat(notifications).extracting(n -> n.at("/message/text").asText())
        .anySatisfy(text -> assertThat(text).startsWith("container gone-")
            .contains(" could not be read: cannot read "));
  }

  private static String strictUtf8(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
  }

  @Test
  void output_matches_the_golden_file() throws Exception {
    String actual = sarif(SampleReports.ofCases("nemoclaw-sandbox", "setpriv-sysadmin-regression-0x200100"));
    String expected;
    try (InputStream in = SarifReportWriterTest.class.getResourceAsStream("/sarif/golden-regression.sarif")) {
      expected = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    if (Boolean.getBoolean("capaudit.updateGolden")) {
      // The project's switch for rewriting golden files (see dev.capaudit.reports.Golden); review the diff after.
      Files.writeString(GOLDEN, actual, StandardCharsets.UTF_8);
      return;
    }
    if (!actual.equals(expected)) {
      Path written = Path.of("target/golden-regression.actual.sarif");
      Files.createDirectories(written.getParent());
      Files.writeString(written, actual, StandardCharsets.UTF_8);
      fail(diffHint(expected, actual) + "\nThe output was written to " + written.toAbsolutePath()
          + "; review it and copy it over " + GOLDEN + " if the change is intended.");
    }
    validated(actual);
  }

  private static String diffHint(String expected, String actual) {
    String[] want = expected.split("\n", -1);
    String[] got = actual.split("\n", -1);
    for (int i = 0; i < Math.max(want.length, got.length); i++) {
      String w = i < want.length ? want[i] : "<end of file>";
      String g = i < got.length ? got[i] : "<end of file>";
      if (!w.equals(g)) {
        return "SARIF output differs from " + GOLDEN + " at line " + (i + 1) + ":\n  expected: " + w
            + "\n  actual:   " + g;
      }
    }
    return "SARIF output differs from " + GOLDEN + " (line ends?)";
  }

  @Test
  void writer_leaves_the_caller_s_writer_open() throws Exception {
    StringWriter out = new StringWriter() {
      @Override
      public void close() {
        throw new AssertionError("the report writer closed the caller's writer");
      }
    };
    new SarifReportWriter().write(SampleReports.ofCases("nemoclaw-sandbox", "drop-all-user1000"), out);
    assertThat(out.toString()).startsWith("{\n  \"$schema\": ").endsWith("}\n");
  }
}
