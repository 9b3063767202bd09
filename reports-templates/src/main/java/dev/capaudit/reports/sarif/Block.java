package dev.capaudit.reports.sarif;

import dev.capaudit.reports.SourceFile;
import java.util.Locale;
import java.util.Optional;

/**
 * A YAML mapping entry and the lines indented under it, found by indentation the way people read YAML. Enough to
 * place a key in a compose file or manifest; never used to read values.
 *
 * @param start the 1-based line of the key
 * @param end the last line of the block (inclusive, 1-based)
 */
record Block(SourceFile file, int start, int end, int indent) {
  /** The block of a top-level key such as {@code services}. */
  static Optional<Block> under(SourceFile file, String key) {
    for (int i = 0; i < file.lines().size(); i++) {
      if (file.lines().get(i).startsWith(key + ":")) {
        return Optional.of(new Block(file, i + 1, endOf(file, i, 0), 0));
      }
    }
    return Optional.empty();
  }

  /** The list item {@code - name: VALUE} anywhere in the file, with the lines that belong to it. */
  static Optional<Block> listItem(SourceFile file, String key, String value) {
    for (int i = 0; i < file.lines().size(); i++) {
      String line = file.lines().get(i);
      String trimmed = line.strip();
      if (trimmed.startsWith("- ") && unquote(trimmed.substring(2).strip()).equals(key + ": " + value)) {
        int indent = line.indexOf('-') + 1;
        return Optional.of(new Block(file, i + 1, endOf(file, i, indent), indent));
      }
    }
    return Optional.empty();
  }

  /** The entry {@code key:} nested directly or deeper under this block. */
  Optional<Block> child(String key) {
    for (int i = start; i < end; i++) {
      String line = file.lines().get(i);
      String trimmed = line.strip();
      if (trimmed.startsWith("- ")) {
        trimmed = trimmed.substring(2).strip();
      }
      if (unquote(trimmed).startsWith(key + ":")) {
        int indent = indentOf(line);
        return Optional.of(new Block(file, i + 1, endOf(file, i, indent), indent));
      }
    }
    return Optional.empty();
  }

  /** The line of {@code key:} under this block. */
  Optional<Integer> key(String key) {
    return child(key).map(Block::start);
  }

  /** The list item naming this capability ({@code - SYS_ADMIN}, {@code - "CAP_SYS_ADMIN"}), or the inline list. */
  Optional<Integer> item(String capability) {
    String wanted = capability.toUpperCase(Locale.ROOT);
    for (int i = start; i < end; i++) {
      String trimmed = file.lines().get(i).strip();
      if (trimmed.startsWith("- ")) {
        String name = unquote(trimmed.substring(2).strip()).toUpperCase(Locale.ROOT).replaceFirst("^CAP_", "");
        if (name.equals(wanted)) {
          return Optional.of(i + 1);
        }
      }
    }
    return Optional.empty();
  }

  private static int endOf(SourceFile file, int keyIndex, int indent) {
    int last = keyIndex + 1;
    for (int i = keyIndex + 1; i < file.lines().size(); i++) {
      String line = file.lines().get(i);
      if (line.isBlank() || line.strip().startsWith("#")) {
        continue;
      }
      // YAML lets a list sit at its key's own indentation ("cap_add:\n- SYS_ADMIN").
      boolean listAtKeyLevel = line.strip().startsWith("- ") && indentOf(line) == indent
          && !file.lines().get(keyIndex).strip().startsWith("- ");
      if (indentOf(line) <= indent && !listAtKeyLevel) {
        break;
      }
      last = i + 1;
    }
    return last;
  }

  private static int indentOf(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  private static String unquote(String text) {
    return text.replace("\"", "").replace("'", "");
  }
}
