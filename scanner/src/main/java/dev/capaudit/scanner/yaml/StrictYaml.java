package dev.capaudit.scanner.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.ContentReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.capaudit.scanner.io.BoundedFiles;
import java.io.IOException;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The one way capaudit reads YAML (policies, snapshots): within size, line and depth limits, with duplicate keys,
 * aliases and extra documents refused at their line and column, since each would otherwise change what the file
 * says without a word.
 *
 * <p>Anchors and aliases are refused, not expanded. Jackson reads YAML as a stream of tokens and hands an alias
 * over as the anchor's <em>name</em> ({@code *base} reads as the string "base"), so a silent wrong value is the
 * alternative. Expanding them would mean composing the whole graph first (where billion-laughs documents grow
 * without bound) and would blur which line an error stands on, for documents a person writes in a few lines. An
 * anchor alone changes nothing and is left alone.
 */
public final class StrictYaml {
  /** SnakeYAML scans a long run of text in time that grows with its square: 3 MiB on one line takes seconds. */
  public static final int MAX_LINE = 64 * 1024;
  /** Far more than any policy (4 levels) or snapshot (7 levels) needs. */
  public static final int MAX_DEPTH = 20;

  private StrictYaml() {}

  /** A factory for policy and snapshot mappers; each caller adds its own binding features. */
  public static YAMLFactory factory() {
    LoaderOptions loader = new LoaderOptions();
    // The only SnakeYAML limit Jackson's streaming parser enforces; the size was checked on the bytes already.
    loader.setCodePointLimit(BoundedFiles.DOCUMENT_LIMIT);
    // These two apply where SnakeYAML composes a graph, which Jackson never does: set so that no future reader
    // composes without them, while aliases are refused by check() and depth by the constraints below.
    loader.setMaxAliasesForCollections(0);
    loader.setNestingDepthLimit(MAX_DEPTH);
    loader.setAllowDuplicateKeys(false);
    return YAMLFactory.builder()
        .loaderOptions(loader)
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
            .maxStringLength(BoundedFiles.DOCUMENT_LIMIT).build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
  }

  public static ObjectMapper mapper() {
    return new ObjectMapper(factory());
  }

  /** The document's tree, after {@link #check}. */
  public static JsonNode readTree(ObjectMapper yaml, String text) throws JsonProcessingException {
    check(yaml, text);
    return yaml.readTree(text);
  }

  /**
   * Refuses what the parser would accept but the file cannot mean: a line over {@link #MAX_LINE} (before the parser
   * sees it), an alias, a second document; the parser itself refuses duplicate keys and excess depth.
   *
   * @throws JsonProcessingException with the line and column of the problem
   */
  public static void check(ObjectMapper yaml, String text) throws JsonProcessingException {
    checkLineLengths(text);
    try (JsonParser parser = yaml.getFactory().createParser(text)) {
      walk(parser);
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      throw new JsonParseException(null, "cannot read the YAML: " + e.getMessage(), JsonLocation.NA);
    }
  }

  private static void walk(JsonParser parser) throws IOException {
    int depth = 0;
    int documents = 0;
    try {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (depth == 0 && ++documents > 1) {
          throw new JsonParseException(parser, "a second YAML document ('---'); the file must hold exactly one",
              parser.currentTokenLocation());
        }
        if (parser instanceof YAMLParser yamlParser && yamlParser.isCurrentAlias()) {
          throw new JsonParseException(parser, "YAML alias '*" + parser.getText() + "': anchors and aliases are"
              + " not expanded, write the value out", parser.currentTokenLocation());
        }
        depth += token.isStructStart() ? 1 : token.isStructEnd() ? -1 : 0;
      }
    } catch (StreamConstraintsException e) {
      // Jackson's own message names its API and no line; say what is wrong with the file, and where.
      throw new JsonParseException(parser, "nested deeper than " + MAX_DEPTH + " levels",
          parser.currentLocation());
    }
  }

  private static void checkLineLengths(String text) throws JsonParseException {
    int line = 1;
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == '\n') {
        if (i - start > MAX_LINE) {
          throw new JsonParseException(null, "line " + line + " is longer than " + MAX_LINE / 1024 + " KiB ("
              + (i - start) + " characters)", new JsonLocation(ContentReference.unknown(), -1, line, MAX_LINE + 1));
        }
        line++;
        start = i + 1;
      }
    }
  }
}
