package dev.capaudit.reports.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capaudit.reports.AuditReport;
import dev.capaudit.reports.BenchFleet;
import dev.capaudit.reports.SampleReports;
import dev.capaudit.reports.json.JsonReport;
import dev.capaudit.reports.json.JsonReportWriter;
import dev.capaudit.rules.engine.Auditor;
import dev.capaudit.rules.engine.Rule;
import dev.capaudit.rules.engine.Rules;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * schemas/report-v2.schema.json describes the JSON report exactly: every report capaudit writes is valid, the
 * schema names every field of every record and no other (additionalProperties is false throughout), and a report
 * that breaks the contract is refused.
 */
class ReportSchemaTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());

  static JsonNode report(AuditReport report) throws IOException {
    StringWriter out = new StringWriter();
    new JsonReportWriter().write(report, out);
    return JSON.readTree(out.toString());
  }

  static Stream<String> cases() throws IOException {
    try (Stream<Path> dirs = Files.list(SampleReports.repoRoot().resolve("samples/cases"))) {
      return dirs.filter(d -> Files.exists(d.resolve("expected.yaml"))).map(d -> d.getFileName().toString())
          .sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void the_report_of_every_sample_case_is_valid(String name) throws Exception {
    Path dir = SampleReports.repoRoot().resolve("samples/cases/" + name);
    String policy = YAML.readTree(dir.resolve("expected.yaml").toFile()).path("policy").asText();

    JsonNode json = report(SampleReports.ofCases(policy, name));

    assertThat(Schemas.problems(Schemas.REPORT, json)).isEmpty();
  }

  @Test
  void every_golden_json_report_is_valid() throws IOException {
    List<Path> goldens = new ArrayList<>();
    for (String root : List.of("reports-templates/src/test/resources", "cli/src/test/resources")) {
      try (Stream<Path> files = Files.walk(SampleReports.repoRoot().resolve(root))) {
        files.filter(f -> f.toString().endsWith(".json")).forEach(goldens::add);
      }
    }
    List<Path> reports = new ArrayList<>();
    for (Path file : goldens) {
      JsonNode json = JSON.readTree(file.toFile());
      if (json.has("schemaVersion")) {
        reports.add(file);
        assertThat(Schemas.problems(Schemas.REPORT, json)).as(file.toString()).isEmpty();
      }
    }
    assertThat(reports).extracting(p -> p.getFileName().toString())
        .contains("golden-seeds.json", "golden-merged.json");
  }

  @Test
  void reports_with_origins_configurations_exec_views_baselines_and_hostile_text_are_valid() throws Exception {
    AuditReport fleet = SampleReports.report(new Auditor(SampleReports.policy("cis-docker")).audit(BenchFleet.of(12)),
        Optional.empty());
    AuditReport baseline = SampleReports.withBaseline(SampleReports.ofCases("nemoclaw-sandbox",
        "setpriv-sysadmin-regression-0x200100"), List.of(SampleReports.entry("agent-sysadmin-regression",
            "must-drop-present", "CAP_SYS_ADMIN", "process sleep uid=1000"), SampleReports.entry("gone",
                "must-drop-present", "CAP_NET_RAW", "process sleep uid=1000")));

    for (AuditReport report : List.of(fleet, baseline, SampleReports.hostile(), SampleReports.everyField())) {
      JsonNode json = report(report);
      assertThat(Schemas.problems(Schemas.REPORT, json)).isEmpty();
    }
    assertThat(report(baseline).at("/baseline/fixed/0/capability").asText()).isEqualTo("CAP_NET_RAW");
  }

  @Test
  void the_report_with_every_optional_field_uses_every_field_the_schema_names() throws Exception {
    JsonNode json = report(SampleReports.everyField());
    Set<String> unused = new TreeSet<>();
    Schemas.REPORT_TREE.path("definitions").fields().forEachRemaining(definition -> definition.getValue()
        .path("properties").fieldNames().forEachRemaining(field -> unused.add(definition.getKey() + "." + field)));
    collectUsed(json, "JsonReport", unused);

    assertThat(unused).as("fields the schema names that no report of capaudit's has").isEmpty();
  }

  /** Crosses off each definition's fields the document has, following the records' nesting by name. */
  private static void collectUsed(JsonNode node, String definition, Set<String> unused) {
    if (node.isArray()) {
      node.forEach(item -> collectUsed(item, definition, unused));
      return;
    }
    if (!node.isObject()) {
      return;
    }
    node.fields().forEachRemaining(field -> {
      unused.remove(definition + "." + field.getKey());
      String child = switch (definition + "." + field.getKey()) {
        case "JsonReport.tool" -> "Tool";
        case "JsonReport.policy" -> "PolicyDoc";
        case "PolicyDoc.loadBearing" -> "LoadBearingDoc";
        case "JsonReport.baseline" -> "Baseline";
        case "Baseline.fixed" -> "FixedFinding";
        case "FixedFinding.target" -> "TargetRef";
        case "JsonReport.summary" -> "Summary";
        case "JsonReport.targets" -> "Target";
        case "Target.origin" -> "Origin";
        case "Origin.kubernetes" -> "Kubernetes";
        case "Target.config" -> "Config";
        case "Target.gate" -> "Gate";
        case "Gate.privilegedFiles" -> "PrivilegedFile";
        case "Target.processes" -> "Process";
        case "Process.threads" -> "Thread";
        case "Target.exec" -> "Exec";
        case "Target.findings" -> "Finding";
        case "Finding.occurrences" -> "Occurrence";
        case "Occurrence.holder" -> "Holder";
        case "JsonReport.minimize" -> "Minimize";
        case "Minimize.kept" -> "MinimizeKept";
        case "Minimize.trials" -> "MinimizeTrial";
        default -> "";
      };
      if (!child.isEmpty()) {
        collectUsed(field.getValue(), child, unused);
      }
    });
  }

  @Test
  void the_schema_names_every_field_of_every_record_and_no_other() {
    List<Class<?>> records = new ArrayList<>(List.of(JsonReport.class.getDeclaredClasses()));
    records.add(JsonReport.class);
    for (Class<?> record : records) {
      if (!record.isRecord()) {
        continue;
      }
      JsonNode described = record == JsonReport.class ? Schemas.REPORT_TREE
          : Schemas.REPORT_TREE.path("definitions").path(record.getSimpleName());
      assertThat(described.isObject()).as("a definition for %s", record.getSimpleName()).isTrue();
      assertThat(described.path("additionalProperties").asBoolean(true)).as(record.getSimpleName()).isFalse();
      Set<String> schemaFields = new TreeSet<>();
      described.path("properties").fieldNames().forEachRemaining(schemaFields::add);
      BeanDescription bean = JSON.getSerializationConfig().introspect(JSON.constructType(record));
      Set<String> recordFields = new TreeSet<>();
      bean.findProperties().stream().map(BeanPropertyDefinition::getName).forEach(recordFields::add);
      assertThat(schemaFields).as("fields of %s in schemas/report-v2.schema.json", record.getSimpleName())
          .isEqualTo(recordFields);
    }
  }

  @Test
  void both_schemas_are_draft_07_schemas() {
    assertThat(Schemas.problems(Schemas.metaSchema(), Schemas.REPORT_TREE)).isEmpty();
    assertThat(Schemas.problems(Schemas.metaSchema(), Schemas.POLICY_TREE)).isEmpty();
    ObjectNode broken = Schemas.REPORT_TREE.deepCopy();
    assertThat(Schemas.problems(Schemas.metaSchema(), broken.put("type", "record")))
        .as("the meta-schema can fail").isNotEmpty();
  }

  @Test
  void the_schema_knows_every_rule() {
    List<String> ids = new ArrayList<>();
    Schemas.REPORT_TREE.at("/definitions/Finding/properties/rule/enum").forEach(id -> ids.add(id.asText()));

    assertThat(ids).containsExactlyElementsOf(Rules.all().stream().map(Rule::id).toList());
  }

  @Test
  void a_report_that_breaks_the_contract_is_refused() throws Exception {
    JsonNode valid = report(SampleReports.ofCases("nemoclaw-sandbox", "setpriv-sysadmin-regression-0x200100"));
    ObjectNode noVersion = valid.deepCopy();
    noVersion.remove("schemaVersion");
    ObjectNode version3 = valid.deepCopy();
    version3.put("schemaVersion", 3);
    ObjectNode unknownField = valid.deepCopy();
    ((ObjectNode) unknownField.at("/targets/0")).put("verdicts", "pass");
    ObjectNode badMask = valid.deepCopy();
    ((ObjectNode) badMask.at("/targets/0/processes/0/sets")).put("bounding", "0x00200100");
    ObjectNode unknownSet = valid.deepCopy();
    ((ObjectNode) unknownSet.at("/targets/0/processes/0/sets")).put("CapBnd", "0x200100");
    ObjectNode badVerdict = valid.deepCopy();
    ((ObjectNode) badVerdict.at("/targets/0")).put("verdict", "passed");

    assertThat(Schemas.problems(Schemas.REPORT, valid)).isEmpty();
    assertThat(Schemas.problems(Schemas.REPORT, noVersion)).singleElement().asString()
        .contains("required property 'schemaVersion' not found");
    assertThat(Schemas.problems(Schemas.REPORT, version3)).isNotEmpty();
    assertThat(Schemas.problems(Schemas.REPORT, unknownField)).anyMatch(p -> p.contains("verdicts"));
    assertThat(Schemas.problems(Schemas.REPORT, badMask)).anyMatch(p -> p.contains("bounding"));
    assertThat(Schemas.problems(Schemas.REPORT, unknownSet)).isNotEmpty();
    assertThat(Schemas.problems(Schemas.REPORT, badVerdict)).anyMatch(p -> p.contains("verdict"));
  }
}
