package dev.capaudit.reports.console;

/**
 * Makes attacker-controlled text (process names, container names, labels) safe for a terminal: control characters,
 * including ESC sequences that could rewrite the screen, are shown as escapes instead of being interpreted.
 */
public final class Printable {
  private Printable() {}

  public static String of(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(cp -> {
      if (Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029 || Character.getType(cp) == Character.FORMAT) {
        out.append(cp <= 0xff ? String.format("\\x%02x", cp) : String.format("\\u%04x", cp));
      } else {
        out.appendCodePoint(cp);
      }
    });
    return out.toString();
  }
}
