package dev.capaudit.reports.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.capaudit.reports.SampleReports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** The schemas under schemas/, loaded as an editor or a CI job would load them, with formats asserted. */
final class Schemas {
  static final Path DIR = SampleReports.repoRoot().resolve("schemas");
  static final JsonNode REPORT_TREE = tree("report-v2.schema.json");
  static final JsonNode POLICY_TREE = tree("policy-v1.schema.json");
  static final JsonSchema REPORT = schema(REPORT_TREE);
  static final JsonSchema POLICY = schema(POLICY_TREE);

  private Schemas() {}

  private static JsonNode tree(String file) {
    try {
      return new ObjectMapper().readTree(DIR.resolve(file).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonSchema schema(JsonNode tree) {
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
        .getSchema(tree, SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
  }

  /** Draft-07 itself, as the validator ships it: what editors and validators expect a schema to be. */
  static JsonSchema metaSchema() {
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
        .getSchema(SchemaLocation.of("classpath:draft-07/schema"));
  }

  /** The schema's complaints about a document, one line each; empty when it is valid. */
  static List<String> problems(JsonSchema schema, JsonNode document) {
    Set<ValidationMessage> messages = schema.validate(document);
    return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
  }
}
