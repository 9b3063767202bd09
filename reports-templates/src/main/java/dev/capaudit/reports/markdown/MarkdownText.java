package dev.capaudit.reports.markdown;

/**
 * Makes attacker-controlled text inert in Markdown: HTML is escaped (issue trackers render inline HTML), Markdown
 * punctuation is backslash-escaped, and control characters and line breaks are shown as escapes so one name cannot
 * open a new heading, table row or code block.
 */
final class MarkdownText {
  /** What can start emphasis, code, links, images, headings, tables or strikethrough mid-line. */
  private static final String MARKDOWN_PUNCTUATION = "\\`*_{}[]#!|~";

  private MarkdownText() {}

  /** For running text and table cells. */
  static String text(String raw) {
    StringBuilder out = new StringBuilder(raw.length() + 16);
    for (int i = 0; i < raw.length(); ) {
      int cp = raw.codePointAt(i);
      switch (cp) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        default -> {
          if (invisible(cp)) {
            out.append('\\').append(escape(cp)); // the backslash itself is Markdown: doubled
          } else if (MARKDOWN_PUNCTUATION.indexOf(cp) >= 0) {
            out.append('\\').appendCodePoint(cp);
          } else {
            out.appendCodePoint(cp);
          }
        }
      }
      i += Character.charCount(cp);
    }
    return out.toString();
  }

  /**
   * For inline code: backticks cannot be escaped inside a code span, so they are replaced; HTML needs no escaping
   * inside code spans, but control characters still do.
   */
  static String code(String raw) {
    StringBuilder out = new StringBuilder(raw.length() + 2).append('`');
    for (int i = 0; i < raw.length(); ) {
      int cp = raw.codePointAt(i);
      if (cp == '`') {
        out.append('\'');
      } else if (cp == '|') {
        out.append("\\|"); // GitHub splits table cells on '|' even inside code spans
      } else if (invisible(cp)) {
        out.append(escape(cp));
      } else {
        out.appendCodePoint(cp);
      }
      i += Character.charCount(cp);
    }
    return out.append('`').toString();
  }

  /**
   * A fenced block for a log: the fence is longer than any backtick run in the text, so the text cannot close it,
   * and control characters are shown as escapes.
   */
  static String fenced(String raw) {
    int longest = 0;
    int run = 0;
    for (char c : raw.toCharArray()) {
      run = c == '`' ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    String fence = "`".repeat(Math.max(3, longest + 1));
    StringBuilder body = new StringBuilder();
    raw.codePoints().forEach(cp -> {
      if (cp != '\n' && invisible(cp)) {
        body.append(escape(cp));
      } else {
        body.appendCodePoint(cp);
      }
    });
    return fence + "\n" + body.toString().stripTrailing() + "\n" + fence + "\n";
  }

  /** Control, format (bidi overrides, zero-width), line-separator, lone-surrogate and noncharacters. */
  private static boolean invisible(int cp) {
    if (cp >= 0x20 && cp < 0x7f) {
      return false; // printable ASCII, most of any text: no table lookup needed
    }
    return Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029 || Character.getType(cp) == Character.FORMAT
        || Character.getType(cp) == Character.SURROGATE || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
  }

  /** A visible escape that keeps the whole code point: {@code \\x1b}, {@code \\u202e}, {@code \\ud800}. */
  private static String escape(int cp) {
    return cp <= 0xff ? String.format("\\x%02x", cp) : String.format("\\u%04x", cp);
  }

  /** For a shell argument in a reproduce command: single-quoted, with embedded quotes closed and reopened. */
  static String shell(String raw) {
    StringBuilder safe = new StringBuilder();
    raw.codePoints().forEach(cp -> safe.append(invisible(cp) ? "?" : Character.toString(cp)));
    return "'" + safe.toString().replace("'", "'\\''") + "'";
  }
}
