package dev.capaudit.reports.junit;

/**
 * Makes text safe for an XML 1.0 document read in CI test tabs and logs. Two steps:
 *
 * <ul>
 *   <li>{@link #printable} for container-supplied text (names, images, process names, errors, notes, messages): every
 *       control character (newlines included, so a name cannot forge report lines), line and paragraph separators,
 *       format characters (bidi overrides, zero-width characters), unpaired surrogates and noncharacters are shown as
 *       visible escapes ({@code \x01}, {@code \ufffe}, {@code \ud800}), the way the console report shows them.</li>
 *   <li>{@link #xmlSafe} for everything written, as a last guard: a character XML 1.0 forbids even as a character
 *       reference (most C0 controls, U+FFFE, U+FFFF, unpaired surrogates) is replaced with U+FFFD.</li>
 * </ul>
 *
 * <p>Escaping of markup ({@code <}, {@code &}, quotes) is left to the StAX writer.
 */
final class XmlText {
  static final char REPLACEMENT = '\uFFFD';

  private XmlText() {}

  /** Container-supplied text with every invisible or XML-forbidden character shown as an escape; null is empty. */
  static String printable(String text) {
    if (text == null) {
      return "";
    }
    int i = 0;
    while (i < text.length() && isPlain(text.charAt(i))) {
      i++;
    }
    if (i == text.length()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, i);
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      if (needsEscape(cp)) {
        out.append(cp <= 0xff ? String.format("\\x%02x", cp) : String.format("\\u%04x", cp));
      } else {
        out.appendCodePoint(cp);
      }
      i += Character.charCount(cp);
    }
    return out.toString();
  }

  /** Printable ASCII, which neither step ever changes: most text is nothing else. */
  private static boolean isPlain(char c) {
    return c >= 0x20 && c < 0x7f;
  }

  /** The text with every character XML 1.0 does not allow replaced by U+FFFD; tab, newline and CR stay. */
  static String xmlSafe(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = null;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (isXmlCharInBmp(c)) { // the common case, without decoding a code point
        if (out != null) {
          out.append(c);
        }
        i++;
        continue;
      }
      int cp = text.codePointAt(i);
      if (!isXmlChar(cp)) {
        if (out == null) {
          out = new StringBuilder(text.length()).append(text, 0, i);
        }
        out.append(REPLACEMENT);
      } else if (out != null) {
        out.appendCodePoint(cp);
      }
      i += Character.charCount(cp);
    }
    return out == null ? text : out.toString();
  }

  /** A character that is allowed on its own: not a surrogate (a pair is checked as a code point). */
  private static boolean isXmlCharInBmp(char c) {
    return c < Character.MIN_SURROGATE ? c >= 0x20 || c == 0x9 || c == 0xA || c == 0xD
        : c > Character.MAX_SURROGATE && c <= 0xFFFD;
  }

  /**
   * The XML 1.0 Char production: {@code #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]}. A
   * lone surrogate reaches here as a code point in D800-DFFF and is rejected; a valid pair arrives combined.
   */
  static boolean isXmlChar(int cp) {
    return cp == 0x9 || cp == 0xA || cp == 0xD
        || (cp >= 0x20 && cp <= 0xD7FF)
        || (cp >= 0xE000 && cp <= 0xFFFD)
        || (cp >= 0x10000 && cp <= 0x10FFFF);
  }

  private static boolean needsEscape(int cp) {
    return Character.isISOControl(cp)
        || cp == 0x2028 || cp == 0x2029
        || Character.getType(cp) == Character.FORMAT
        || Character.getType(cp) == Character.SURROGATE
        || isNoncharacter(cp)
        || !isXmlChar(cp);
  }

  /** U+FDD0..U+FDEF and the last two code points of every plane (U+FFFE, U+FFFF, U+1FFFE, ...). */
  private static boolean isNoncharacter(int cp) {
    return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
  }
}
