package dev.capaudit.scanner.policy;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException.Reference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityNames;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.policy.AuditContext;
import dev.capaudit.rules.policy.LoadBearing;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.rules.policy.PolicyViolationException;
import dev.capaudit.rules.policy.UnlistedAction;
import dev.capaudit.scanner.io.BoundedFiles;
import dev.capaudit.scanner.io.InputFileException;
import dev.capaudit.scanner.yaml.StrictYaml;
import dev.capaudit.scanner.yaml.YamlLocator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads capability policies from YAML. Unknown keys, duplicate keys and YAML aliases are errors; every error names
 * the file, line and column.
 */
public final class PolicyFiles {
  public static final String API_VERSION = "capaudit/v1";
  public static final String KIND = "CapabilityPolicy";

  private static final Pattern MISSING_PROPERTY = Pattern.compile("Missing required creator property '([^']+)'");
  private static final ObjectMapper YAML = StrictYaml.mapper()
      .registerModule(PolicyValueDeserializers.module())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
      // An empty list item ("-" with nothing after it) is a mistake to point at, not a null to crash on.
      .setDefaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));

  private PolicyFiles() {}

  /** Reads a policy file; its size is checked before a byte of it is parsed ({@link BoundedFiles#DOCUMENT_LIMIT}). */
  public static Policy load(Path file) throws PolicyFileException {
    String text;
    try {
      text = BoundedFiles.readText(file, BoundedFiles.DOCUMENT_LIMIT, "policy");
    } catch (InputFileException e) {
      throw new PolicyFileException(e.getMessage());
    }
    return parse(text, file.toString());
  }

  /** Parses policy text; {@code source} is the name used in error messages. */
  public static Policy parse(String text, String source) throws PolicyFileException {
    if (text.isBlank()) {
      throw new PolicyFileException("policy " + source + " is empty; it needs apiVersion: " + API_VERSION
          + " and kind: " + KIND);
    }
    PolicySpec spec;
    try {
      // The version and kind decide how the rest is read, so they are checked before binding.
      JsonNode tree = StrictYaml.readTree(YAML, text);
      requireValue(text, source, "apiVersion", tree.path("apiVersion").asText(null), API_VERSION);
      requireValue(text, source, "kind", tree.path("kind").asText(null), KIND);
      requireKeys(text, source, tree);
      spec = YAML.readValue(text, PolicySpec.class);
    } catch (JsonProcessingException e) {
      throw translate(e, text, source);
    }
    try {
      return toPolicy(spec);
    } catch (PolicyViolationException e) {
      throw new PolicyFileException(e.getMessage() + " at " + where(source, locate(text, "loadBearing")));
    }
  }

  private static Policy toPolicy(PolicySpec spec) {
    Map<Capability, LoadBearing> loadBearing = new EnumMap<>(Capability.class);
    for (PolicySpec.LoadBearingSpec lb : Objects.requireNonNullElse(spec.loadBearing(),
        List.<PolicySpec.LoadBearingSpec>of())) {
      List<AuditContext> contexts = lb.contexts() == null || lb.contexts().isEmpty()
          ? List.of(AuditContext.values()) : lb.contexts();
      loadBearing.put(lb.capability(), new LoadBearing(lb.capability(), lb.reason(), EnumSet.copyOf(contexts)));
    }
    return new Policy(
        spec.name(),
        Objects.requireNonNullElse(spec.description(), ""),
        mustDrop(spec, loadBearing),
        loadBearing,
        Objects.requireNonNullElse(spec.unlisted(), UnlistedAction.FAIL),
        Objects.requireNonNullElse(spec.sets(), List.<CapabilitySetKind>of())
            .stream().collect(Collectors.toSet()));
  }

  /** The must-drop list, where {@code ALL} stands for every capability the policy does not call load-bearing. */
  private static Set<Capability> mustDrop(PolicySpec spec, Map<Capability, LoadBearing> loadBearing) {
    List<PolicySpec.MustDropEntry> entries = Objects.requireNonNullElse(spec.mustDrop(), List.of());
    if (entries.stream().anyMatch(PolicySpec.MustDropEntry::isAll)) {
      Set<Capability> all = EnumSet.allOf(Capability.class);
      all.removeAll(loadBearing.keySet());
      return all;
    }
    return entries.stream().map(PolicySpec.MustDropEntry::capability).collect(Collectors.toSet());
  }

  /**
   * Checks required keys on the tree, where the offending mapping can be located; Jackson's own report of a missing
   * creator property carries a stale path.
   */
  private static void requireKeys(String text, String source, JsonNode tree) throws PolicyFileException {
    if (!tree.hasNonNull("name")) {
      throw new PolicyFileException("missing key 'name' at the top level of " + source);
    }
    JsonNode loadBearing = tree.path("loadBearing");
    // A single mapping is read as a list of one (ACCEPT_SINGLE_VALUE_AS_ARRAY), so it is checked as one.
    List<JsonNode> items = new ArrayList<>();
    if (loadBearing.isArray()) {
      loadBearing.forEach(items::add);
    } else if (loadBearing.isObject()) {
      items.add(loadBearing);
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      List<Reference> path = loadBearing.isArray() ? List.of(new Reference(null, "loadBearing"),
          new Reference(null, i)) : List.of(new Reference(null, "loadBearing"));
      String at = where(source, YamlLocator.locate(YAML, text, path).orElse(null));
      for (String key : List.of("capability", "reason")) {
        if (item.isObject() && !item.hasNonNull(key)) {
          throw new PolicyFileException("missing key '" + key + "' in loadBearing item " + (i + 1) + " at " + at);
        }
      }
      if (item.path("contexts").isArray() && item.path("contexts").isEmpty()) {
        throw new PolicyFileException("empty contexts in loadBearing item " + (i + 1) + " at " + at
            + "; leave contexts out to allow the capability in every context");
      }
      String name = CapabilityNames.normalize(item.path("capability").asText(""));
      if (!name.isEmpty() && !seen.add(name)) {
        throw new PolicyFileException("CAP_" + name + " is listed twice in loadBearing, again at " + at
            + "; merge the entries");
      }
    }
  }

  private static void requireValue(String text, String source, String key, String actual, String expected)
      throws PolicyFileException {
    if (actual == null) {
      throw new PolicyFileException("missing key '" + key + "' (" + key + ": " + expected + ") in " + source);
    }
    if (!expected.equals(actual)) {
      throw new PolicyFileException(key + " must be '" + expected + "' but is '" + actual + "' at "
          + where(source, locate(text, key)));
    }
  }

  private static PolicyFileException translate(JsonProcessingException e, String text, String source) {
    String where = where(source, e.getLocation());
    if (e instanceof UnrecognizedPropertyException || e instanceof MismatchedInputException) {
      // Point at the key itself rather than where the parser stopped.
      where = where(source, YamlLocator.locate(YAML, text, ((MismatchedInputException) e).getPath())
          .orElse(e.getLocation()));
    }
    if (e instanceof PolicyProblem problem) {
      return new PolicyFileException(problem.getOriginalMessage() + " at " + where
          + (problem.hint() == null ? "" : "; " + problem.hint()));
    }
    if (e instanceof InvalidNullException) {
      return new PolicyFileException("empty list item at " + where + "; remove the '-' or give it a value");
    }
    if (e instanceof UnrecognizedPropertyException unknown) {
      String known = unknown.getKnownPropertyIds() == null ? "" : "; expected one of " + unknown
          .getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
      return new PolicyFileException("unknown key '" + unknown.getPropertyName() + "' at " + where + known);
    }
    Matcher missing = MISSING_PROPERTY.matcher(e.getOriginalMessage());
    if (e instanceof MismatchedInputException mismatch && missing.find()) {
      return new PolicyFileException("missing key '" + missing.group(1) + "' in "
          + (mismatch.getPath().isEmpty() ? "the top level of " + source : "the mapping at " + where));
    }
    String message = e.getOriginalMessage().lines().findFirst().orElse("invalid YAML");
    return new PolicyFileException("invalid policy at " + where + ": " + message);
  }

  private static String where(String source, JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return source;
    }
    return source + ":" + location.getLineNr() + ":" + location.getColumnNr();
  }

  /** Where a top-level key's value stands, for errors found after binding. */
  private static JsonLocation locate(String text, String key) {
    try (JsonParser parser = YAML.getFactory().createParser(text)) {
      int depth = 0;
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token.isStructStart()) {
          depth++;
        } else if (token.isStructEnd()) {
          depth--;
        } else if (depth == 1 && token == JsonToken.FIELD_NAME && key.equals(parser.currentName())) {
          parser.nextToken();
          return parser.currentTokenLocation();
        }
      }
    } catch (IOException e) {
      // The text already parsed once; a second failure only costs the location.
    }
    return null;
  }
}
