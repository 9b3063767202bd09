package dev.capaudit.rules.proc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code Key:<tab>value} lines of one /proc/N/status text, each key at most once: the kernel never prints a key
 * twice, so a repeated one means a spliced or forged text, and no copy may silently win.
 */
final class StatusFields {
  /** More digits than this cannot be in any range the parser accepts, and would overflow a long. */
  private static final int MAX_DIGITS = 18;

  private final Map<String, Field> byKey;

  private StatusFields(Map<String, Field> byKey) {
    this.byKey = byKey;
  }

  /** One field: its 1-based line and its value after the separator, verbatim. */
  record Field(String key, int line, String value) {
    /** The value as one unsigned decimal number within {@code [min, max]}. */
    long number(long min, long max) throws ProcStatusFormatException {
      return number(trimmed(), min, max);
    }

    /** The value as tab- or space-separated unsigned decimal numbers, each within {@code [min, max]}. */
    List<Long> numbers(long min, long max) throws ProcStatusFormatException {
      String text = trimmed();
      if (text.isEmpty()) {
        throw problem("'" + key + "' has no value");
      }
      List<Long> result = new ArrayList<>();
      int start = 0;
      while (start < text.length()) {
        int end = start;
        while (end < text.length() && !isBlank(text.charAt(end))) {
          end++;
        }
        result.add(number(text.substring(start, end), min, max));
        start = end;
        while (start < text.length() && isBlank(text.charAt(start))) {
          start++;
        }
      }
      return result;
    }

    /** The value without the spaces and tabs around it; nothing else is trimmed, so stray bytes stay errors. */
    String trimmed() {
      int start = 0;
      int end = value.length();
      while (start < end && isBlank(value.charAt(start))) {
        start++;
      }
      while (end > start && isBlank(value.charAt(end - 1))) {
        end--;
      }
      return value.substring(start, end);
    }

    ProcStatusFormatException problem(String message) {
      return new ProcStatusFormatException("line " + line + ": " + message);
    }

    private long number(String text, long min, long max) throws ProcStatusFormatException {
      if (!isDigits(text)) {
        throw problem("'" + abbreviate(text) + "' is not a number");
      }
      long parsed = text.length() > MAX_DIGITS ? Long.MAX_VALUE : Long.parseLong(text);
      if (parsed < min || parsed > max) {
        throw problem(key + " " + abbreviate(text) + " is out of range (" + min + " to " + max + ")");
      }
      return parsed;
    }
  }

  /** Reads every line; a host audit parses tens of thousands of these, so without regular expressions or splits. */
  static StatusFields read(String text) throws ProcStatusFormatException {
    Map<String, Field> fields = new HashMap<>(64);
    int lineNumber = 0;
    int start = 0;
    while (start <= text.length()) {
      int newline = text.indexOf('\n', start);
      int end = newline < 0 ? text.length() : newline;
      lineNumber++;
      if (!isBlankRange(text, start, end)) {
        int colon = text.indexOf(':', start);
        if (colon < 0 || colon >= end || colon == start || !isKey(text, start, colon)) {
          throw new ProcStatusFormatException("line " + lineNumber + ": expected 'Key:<tab>value' but found '"
              + abbreviate(text.substring(start, end)) + "'");
        }
        // The kernel separates key and value with a tab; the Name value itself may contain spaces and must stay
        // verbatim, so only the separator is stripped, not the value's own whitespace.
        String key = text.substring(start, colon);
        String value = colon + 1 < end && text.charAt(colon + 1) == '\t' ? text.substring(colon + 2, end)
            : text.substring(colon + 1, end).strip();
        Field earlier = fields.putIfAbsent(key, new Field(key, lineNumber, value));
        if (earlier != null) {
          throw new ProcStatusFormatException("line " + lineNumber + ": duplicate field '" + key
              + "' (first at line " + earlier.line() + ")");
        }
      }
      if (newline < 0) {
        break;
      }
      start = newline + 1;
    }
    return new StatusFields(fields);
  }

  private static boolean isBlankRange(String text, int start, int end) {
    for (int i = start; i < end; i++) {
      if (!isBlank(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** The kernel's keys are identifiers ({@code CapEff}, {@code voluntary_ctxt_switches}); anything else is not one. */
  private static boolean isKey(String text, int start, int end) {
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigits(String text) {
    if (text.isEmpty()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  Field require(String key) throws ProcStatusFormatException {
    Field field = byKey.get(key);
    if (field == null) {
      throw new ProcStatusFormatException("missing field '" + key + "'");
    }
    return field;
  }

  Optional<Field> optional(String key) {
    return Optional.ofNullable(byKey.get(key));
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  /**
   * At most 60 code points of the offending text, kept as they are: every report escapes for its own medium, and a
   * replaced character would hide what the file really holds.
   */
  static String abbreviate(String text) {
    int count = text.codePointCount(0, text.length());
    return count > 60 ? text.substring(0, text.offsetByCodePoints(0, 60)) + "..." : text;
  }
}
