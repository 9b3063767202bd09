package dev.capaudit.reports.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads a JSON report back from its text (the caller bounds how much it reads). Duplicate keys are rejected, since a
 * report with two {@code verdict} fields could say one thing to one reader and another to the next; unknown fields
 * are ignored, since later versions may add them.
 */
public final class JsonReports {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .build();

  private JsonReports() {}

  /** The document, checked to be a capaudit report of a schema version this build reads (1 or 2). */
  public static JsonNode tree(String text, String name) throws JsonReportException {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new JsonReportException(name + " is not valid JSON: " + e.getOriginalMessage()
          + location(e));
    }
    if (root == null || !root.isObject() || !root.path("targets").isArray()) {
      throw new JsonReportException(name + " is not a capaudit JSON report (no targets list)");
    }
    int version = root.path("schemaVersion").asInt(-1);
    if (version != 1 && version != JsonReport.SCHEMA_VERSION) {
      throw new JsonReportException(name + " has schemaVersion " + root.path("schemaVersion")
          + "; this capaudit reads versions 1 and 2");
    }
    return root;
  }

  /** A report of schema version 2, bound to the records. */
  public static JsonReport v2(String text, String name) throws JsonReportException {
    JsonNode root = tree(text, name);
    if (root.path("schemaVersion").asInt() != JsonReport.SCHEMA_VERSION) {
      throw new JsonReportException(name + " is a schema version 1 report; it lacks what this needs (threads,"
          + " origins, the policy): write it again with this capaudit");
    }
    try {
      return JSON.treeToValue(root, JsonReport.class);
    } catch (JsonProcessingException e) {
      throw new JsonReportException(name + " is not a valid capaudit report: " + e.getOriginalMessage());
    }
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
        + e.getLocation().getColumnNr() + ")";
  }
}
