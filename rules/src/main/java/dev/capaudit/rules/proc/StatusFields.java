package dev.capaudit.rules.proc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code Key:<tab>value} lines of one /proc/N/status text, each key at most once: the kernel never prints a key
 * twice, so a repeated one means a spliced or forged text, and no copy may silently win.
 */
final class StatusFields {
  /** The kernel's keys are identifiers ({@code CapEff}, {@code voluntary_ctxt_switches}); anything else is not one. */
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_]+");
  private static final Pattern DIGITS = Pattern.compile("[0-9]+");
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
      for (String part : text.split("[ \t]+")) {
        result.add(number(part, min, max));
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
      if (!DIGITS.matcher(text).matches()) {
        throw problem("'" + abbreviate(text) + "' is not a number");
      }
      long parsed = text.length() > MAX_DIGITS ? Long.MAX_VALUE : Long.parseLong(text);
      if (parsed < min || parsed > max) {
        throw problem(key + " " + abbreviate(text) + " is out of range (" + min + " to " + max + ")");
      }
      return parsed;
    }
  }

  static StatusFields read(String text) throws ProcStatusFormatException {
    Map<String, Field> fields = new HashMap<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.chars().allMatch(c -> isBlank((char) c))) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || !KEY.matcher(line.substring(0, colon)).matches()) {
        throw new ProcStatusFormatException("line " + (i + 1) + ": expected 'Key:<tab>value' but found '"
            + abbreviate(line) + "'");
      }
      // The kernel separates key and value with a tab; the Name value itself may contain spaces and must stay
      // verbatim, so only the separator is stripped, not the value's own whitespace.
      String key = line.substring(0, colon);
      String value = line.substring(colon + 1);
      value = value.startsWith("\t") ? value.substring(1) : value.strip();
      Field earlier = fields.putIfAbsent(key, new Field(key, i + 1, value));
      if (earlier != null) {
        throw new ProcStatusFormatException("line " + (i + 1) + ": duplicate field '" + key + "' (first at line "
            + earlier.line() + ")");
      }
    }
    return new StatusFields(fields);
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
