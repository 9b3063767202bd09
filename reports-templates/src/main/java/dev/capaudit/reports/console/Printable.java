package dev.capaudit.reports.console;

/**
 * Makes attacker-controlled text (process names, container names, labels, engine error bodies, file names) safe for
 * a terminal: every character a terminal would act on or hide is shown as an escape instead, and nothing is dropped.
 *
 * <ul>
 *   <li>control characters: C0 ({@code \x00}–{@code \x1f}), DEL ({@code \x7f}) and C1 ({@code \x80}–{@code \x9f}),
 *       so ESC-based CSI and OSC sequences (and the 8-bit CSI {@code \x9b}) cannot recolour, move or retitle;
 *   <li>format characters (Unicode Cf), among them the bidi embeddings, overrides and isolates U+202A–U+202E and
 *       U+2066–U+2069 that make text read in another order than it is, zero-width characters and the soft hyphen;
 *   <li>the line and paragraph separators U+2028 and U+2029, which some terminals break lines at;
 *   <li>a lone surrogate, which no terminal can show.
 * </ul>
 *
 * <p>Escapes are {@code \xNN} up to U+00FF, &#92;uNNNN up to U+FFFF and {@code \UNNNNNNNN} beyond, in lower-case
 * hex. A backslash is left alone: process names come kernel-escaped ({@code \n}, {@code \\}) and must read as
 * {@code ps} shows them. This is for display; the exact text is in the JSON report.
 */
public final class Printable {
  private Printable() {}

  public static String of(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(cp -> {
      if (needsEscape(cp)) {
        out.append(escape(cp));
      } else {
        out.appendCodePoint(cp);
      }
    });
    return out.toString();
  }

  /** Whether a terminal would act on the character, or not show it, instead of printing it as it is. */
  static boolean needsEscape(int codePoint) {
    return switch (Character.getType(codePoint)) {
      case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
          Character.SURROGATE -> true;
      default -> false;
    };
  }

  private static String escape(int codePoint) {
    if (codePoint <= 0xff) {
      return String.format("\\x%02x", codePoint);
    }
    return codePoint <= 0xffff ? String.format("\\u%04x", codePoint) : String.format("\\U%08x", codePoint);
  }
}
