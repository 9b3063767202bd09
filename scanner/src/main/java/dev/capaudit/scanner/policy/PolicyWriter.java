package dev.capaudit.scanner.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.policy.AuditContext;
import dev.capaudit.rules.policy.LoadBearing;
import dev.capaudit.rules.policy.Policy;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes a policy as {@code capaudit/v1} YAML that {@link PolicyFiles} reads back into the same policy. Jackson
 * writes every value, so no reason, name or description (which may carry a container's log) can break the document.
 */
public final class PolicyWriter {
  private static final ObjectMapper READABLE = mapper(true);
  /** Every string double-quoted with escapes: for values the readable style would not carry faithfully. */
  private static final ObjectMapper QUOTED = mapper(false);

  private PolicyWriter() {}

  /**
   * The policy as YAML, after a comment of the given lines.
   *
   * @throws IllegalArgumentException for a load-bearing capability allowed in no context, which the format cannot
   *     say (an empty contexts list is refused, and a missing one means every context)
   */
  public static String write(Policy policy, List<String> comment) {
    ObjectNode root = READABLE.createObjectNode();
    root.put("apiVersion", PolicyFiles.API_VERSION);
    root.put("kind", PolicyFiles.KIND);
    root.put("name", policy.name());
    root.put("description", policy.description());
    ArrayNode sets = root.putArray("sets");
    policy.checkedSets().stream().sorted().map(CapabilitySetKind::id).forEach(sets::add);
    root.put("unlisted", policy.unlisted().id());
    ArrayNode mustDrop = root.putArray("mustDrop");
    policy.mustDrop().stream().sorted().map(Capability::name).forEach(mustDrop::add);
    ArrayNode loadBearing = root.putArray("loadBearing");
    for (LoadBearing lb : policy.loadBearing().values()) {
      if (lb.contexts().isEmpty()) {
        throw new IllegalArgumentException(lb.capability().canonicalName() + " is load-bearing in no context: make"
            + " it must-drop instead");
      }
      ObjectNode entry = loadBearing.addObject();
      entry.put("capability", lb.capability().name());
      entry.put("reason", lb.reason());
      ArrayNode contexts = entry.putArray("contexts");
      lb.contexts().stream().sorted().map(AuditContext::id).forEach(contexts::add);
    }
    StringBuilder text = new StringBuilder();
    comment.forEach(line -> text.append("# ").append(oneLine(line)).append('\n'));
    return text.append(yaml(root)).toString();
  }

  /**
   * Unquoted where that is safe, as people write policies; but a plain or single-quoted scalar folds NEL, LS and PS
   * into spaces when it is read, so a document that does not read back the same is written fully quoted instead.
   */
  private static String yaml(ObjectNode root) {
    try {
      String readable = READABLE.writeValueAsString(root);
      return READABLE.readTree(readable).equals(root) ? readable : QUOTED.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectMapper mapper(boolean minimizeQuotes) {
    // One line per value: a reason is a sentence to read, not a paragraph folded at 80 columns.
    YAMLFactory factory = new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
        .disable(YAMLGenerator.Feature.SPLIT_LINES).enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR);
    return new ObjectMapper(minimizeQuotes ? factory.enable(YAMLGenerator.Feature.MINIMIZE_QUOTES) : factory);
  }

  /** A comment line stays one line: YAML also breaks lines at NEL, LS and PS. */
  private static String oneLine(String text) {
    return text.replaceAll("[\\p{Cntrl}\\u0085\\u2028\\u2029]", "?");
  }
}
