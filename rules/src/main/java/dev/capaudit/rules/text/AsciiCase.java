package dev.capaudit.rules.text;

/**
 * Case folding for names read from policies, flags and engines. Java's own folding is Unicode's: it turns
 * {@code cap_ſys_admin} (long s) into {@code CAP_SYS_ADMIN} and matches {@code confİg} to {@code config}, so a name no
 * other tool (Docker, capsh, the JSON Schema) accepts would be taken as a real one. Only a-z and A-Z fold here.
 */
public final class AsciiCase {
  private AsciiCase() {}

  /** The text with a-z upper-cased and every other character, ASCII or not, left as it is. */
  public static String upper(String text) {
    char[] chars = text.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      if (chars[i] >= 'a' && chars[i] <= 'z') {
        chars[i] = (char) (chars[i] - ('a' - 'A'));
      }
    }
    return new String(chars);
  }

  /** The text with A-Z lower-cased and every other character left as it is. */
  public static String lower(String text) {
    char[] chars = text.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      if (chars[i] >= 'A' && chars[i] <= 'Z') {
        chars[i] = (char) (chars[i] + ('a' - 'A'));
      }
    }
    return new String(chars);
  }

  /** Whether the two are the same once A-Z and a-z are folded; any other character must match exactly. */
  public static boolean equalsIgnoreCase(String left, String right) {
    return left != null && right != null && upper(left).equals(upper(right));
  }
}
