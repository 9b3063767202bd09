package dev.capaudit.cli.watch;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.capaudit.reports.console.Printable;
import dev.capaudit.scanner.watch.WatchChange;
import java.io.PrintWriter;
import java.util.Optional;

/**
 * Writes each change as one line: JSON ({@code --format jsonl}, by Jackson, so no name can break a line or the
 * document) or readable text ({@link ReadableLine}, escaped for the terminal). A reconnection goes to standard error
 * in both: it is news about the watch, not about a target.
 */
public final class ChangeWriter {
  /** One JSON object per line: no indentation, and Jackson escapes every control character in strings. */
  private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  /** The output format. */
  public enum Format { LINE, JSONL }

  private final Format format;
  private final WatchLines lines;
  private final PrintWriter out;
  private final PrintWriter err;

  public ChangeWriter(Format format, WatchLines lines, PrintWriter out, PrintWriter err) {
    this.format = format;
    this.lines = lines;
    this.out = out;
    this.err = err;
  }

  /** Writes the change; returns its JSON line, for the violation hook, when it has one. */
  public Optional<String> write(WatchChange change) {
    if (change instanceof WatchChange.Reconnected reconnected) {
      err.println("capaudit: the engine at " + Printable.of(reconnected.engine()) + " answers again; auditing every"
          + " container again");
      err.flush();
      return Optional.empty();
    }
    Optional<String> json = lines.of(change).map(ChangeWriter::json);
    if (format == Format.JSONL) {
      json.ifPresent(out::println);
    } else {
      out.println(ReadableLine.of(change));
    }
    out.flush();
    return json;
  }

  static String json(WatchLine line) {
    try {
      return JSON.writeValueAsString(line);
    } catch (JsonProcessingException e) {
      // Records of strings, numbers and lists always serialize; should one not, the line is still JSON.
      return "{\"type\":\"error\",\"message\":\"capaudit could not write this change as JSON\"}";
    }
  }
}
