package dev.capaudit.scanner.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException.Reference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Finds where a key path (as Jackson reports it in an exception) stands in the YAML text. Jackson's own location
 * for a binding error is where the parser stopped, often the line after the offending key.
 */
public final class YamlLocator {
  private YamlLocator() {}

  /** One open mapping or sequence while walking the tokens. */
  private static final class Frame {
    final boolean sequence;
    int nextIndex;
    boolean holdsPathPart;

    Frame(boolean sequence) {
      this.sequence = sequence;
    }
  }

  /** The location of the key or list item the path names, if the text has it. */
  public static Optional<JsonLocation> locate(ObjectMapper yaml, String text, List<Reference> path) {
    List<String> wanted = new ArrayList<>();
    for (Reference reference : path) {
      wanted.add(reference.getFieldName() != null ? reference.getFieldName() : "[" + reference.getIndex() + "]");
    }
    List<String> current = new ArrayList<>();
    Deque<Frame> frames = new ArrayDeque<>();
    try (JsonParser parser = yaml.getFactory().createParser(text)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
          Frame closed = frames.pop();
          if (closed.holdsPathPart) {
            current.remove(current.size() - 1);
          }
          continue;
        }
        Frame top = frames.peek();
        if (token == JsonToken.FIELD_NAME) {
          enter(top, current, parser.currentName());
        } else if (top != null && top.sequence) {
          enter(top, current, "[" + top.nextIndex++ + "]");
        }
        if (current.equals(wanted)) {
          return Optional.of(parser.currentTokenLocation());
        }
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
          frames.push(new Frame(token == JsonToken.START_ARRAY));
        }
      }
    } catch (IOException e) {
      // The text already parsed once; failing here only costs the precise location.
    }
    return Optional.empty();
  }

  /** Replaces the path part the frame holds (the previous key or index) with the next one. */
  private static void enter(Frame frame, List<String> current, String part) {
    if (frame.holdsPathPart) {
      current.remove(current.size() - 1);
    }
    current.add(part);
    frame.holdsPathPart = true;
  }
}
