package dev.capaudit.reports.sarif;

import java.nio.charset.StandardCharsets;

/**
 * Makes container-supplied text safe for a SARIF log. Jackson escapes JSON syntax and control characters; what it
 * cannot fix is text that is not valid Unicode, and SARIF's own message syntax.
 */
final class SarifText {
  static final char REPLACEMENT = '\uFFFD';
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private SarifText() {}

  /**
   * Replaces every lone surrogate and every noncharacter (U+FFFE, U+FFFF, U+FDD0..U+FDEF and the last two code
   * points of each plane) with U+FFFD. A lone surrogate has no UTF-8 encoding at all, so a writer would otherwise
   * emit '?' or fail; noncharacters are valid UTF-8 but rejected by many JSON and XML consumers.
   */
  static String clean(String text) {
    if (text == null || !mayNeedCleaning(text)) {
      return text;
    }
    StringBuilder out = null;
    int length = text.length();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      int width = 1;
      boolean bad;
      if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
        width = 2;
        bad = isNoncharacter(Character.toCodePoint(c, text.charAt(i + 1)));
      } else {
        bad = Character.isSurrogate(c) || isNoncharacter(c);
      }
      if (bad && out == null) {
        out = new StringBuilder(length).append(text, 0, i);
      }
      if (out != null) {
        if (bad) {
          out.append(REPLACEMENT);
        } else {
          out.append(text, i, i + width);
        }
      }
      i += width - 1;
    }
    return out == null ? text : out.toString();
  }

  /** Every character {@link #clean} can replace is a surrogate or at least U+FDD0: most text has none. */
  private static boolean mayNeedCleaning(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= Character.MIN_SURROGATE) {
        return true;
      }
    }
    return false;
  }

  static boolean isNoncharacter(int codePoint) {
    return (codePoint >= 0xFDD0 && codePoint <= 0xFDEF) || (codePoint & 0xFFFE) == 0xFFFE;
  }

  /**
   * A plain-text SARIF message string: cleaned, with the characters SARIF gives a meaning escaped (SARIF 2.1.0
   * §3.11.5 and §3.11.6). Braces are doubled so a viewer never reads them as placeholders; square brackets (and a
   * backslash in front of one) are escaped with a backslash so text such as {@code [x](https://evil)} in a container
   * name is shown as text, never turned into an embedded link.
   */
  static String message(String text) {
    String clean = clean(text);
    StringBuilder out = new StringBuilder(clean.length() + 8);
    for (int i = 0; i < clean.length(); i++) {
      char c = clean.charAt(i);
      switch (c) {
        case '{' -> out.append("{{");
        case '}' -> out.append("}}");
        case '[', ']' -> out.append('\\').append(c);
        case '\\' -> {
          boolean beforeBracket = i + 1 < clean.length() && (clean.charAt(i + 1) == '[' || clean.charAt(i + 1) == ']');
          out.append(beforeBracket ? "\\\\" : "\\");
        }
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** A Markdown message string built from capaudit's own text: cleaned, braces doubled (§3.11.5). */
  static String markdown(String text) {
    return clean(text).replace("{", "{{").replace("}", "}}");
  }

  /** One URI path segment: every byte of the UTF-8 form outside RFC 3986's unreserved set is percent-encoded. */
  static String uriSegment(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : clean(text).getBytes(StandardCharsets.UTF_8)) {
      int v = b & 0xFF;
      if ((v >= 'a' && v <= 'z') || (v >= 'A' && v <= 'Z') || (v >= '0' && v <= '9') || v == '-' || v == '.'
          || v == '_' || v == '~') {
        out.append((char) v);
      } else {
        out.append('%').append(HEX[v >> 4]).append(HEX[v & 0xF]);
      }
    }
    return out.toString();
  }
}
