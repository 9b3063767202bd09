package dev.capaudit.reports.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrintableTest {
  private static final Pattern ESCAPE = Pattern.compile("\\\\x([0-9a-f]{2})|\\\\u([0-9a-f]{4})|\\\\U([0-9a-f]{8})");

  /** The inverse of Printable.of for text without backslashes: proves that nothing was lost. */
  private static String unescape(String shown) {
    Matcher matcher = ESCAPE.matcher(shown);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String hex = matcher.group(1) != null ? matcher.group(1) : matcher.group(2) != null ? matcher.group(2)
          : matcher.group(3);
      matcher.appendReplacement(out, Matcher.quoteReplacement(Character.toString(Integer.parseInt(hex, 16))));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  @Test
  void shows_ansi_csi_and_osc_sequences_as_text() {
    assertThat(Printable.of("\u001b[31mred\u001b[0m")).isEqualTo("\\x1b[31mred\\x1b[0m");
    assertThat(Printable.of("\u001b]0;owned\u0007")).isEqualTo("\\x1b]0;owned\\x07");
    assertThat(Printable.of("\u001b]8;;http://x\u001b\\link")).isEqualTo("\\x1b]8;;http://x\\x1b\\link");
    assertThat(Printable.of("\u009b2J")).isEqualTo("\\x9b2J");
  }

  @Test
  void shows_every_c0_c1_and_del_character_as_a_hex_escape() {
    for (int c = 0; c <= 0x9f; c++) {
      if (c >= 0x20 && c < 0x7f) {
        continue;
      }
      assertThat(Printable.of("a" + (char) c + "b")).as("U+%04X", c).isEqualTo(String.format("a\\x%02xb", c));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069})
  void shows_bidi_embeddings_overrides_and_isolates(int codePoint) {
    assertThat(Printable.of("evil" + Character.toString(codePoint) + "txt.exe"))
        .isEqualTo(String.format("evil\\u%04xtxt.exe", codePoint));
  }

  @Test
  void shows_line_and_paragraph_separators() {
    assertThat(Printable.of("a\u2028b\u2029c")).isEqualTo("a\\u2028b\\u2029c");
  }

  @Test
  void shows_other_invisible_format_characters() {
    assertThat(Printable.of("x\u200by\u200dz\ufeff\u00ad\u061c")).isEqualTo("x\\u200by\\u200dz\\ufeff\\xad\\u061c");
    assertThat(Printable.of("tag" + Character.toString(0xe0041))).isEqualTo("tag\\U000e0041");
  }

  @Test
  void shows_a_lone_surrogate_which_no_terminal_can_print() {
    assertThat(Printable.of("a\ud800b")).isEqualTo("a\\ud800b");
  }

  @Test
  void keeps_printable_text_letters_emoji_and_backslashes_as_they_are() {
    String text = "café 日本 😀 <img src=x> & \"' a\\nb \\\\ 100%";

    assertThat(Printable.of(text)).isEqualTo(text);
  }

  @Test
  void reads_null_as_nothing() {
    assertThat(Printable.of(null)).isEmpty();
  }

  @Test
  void loses_nothing_and_leaves_nothing_a_terminal_would_act_on() {
    Random random = new Random(0x7e4a1L);
    int[] pool = {0x00, 0x07, 0x0a, 0x0d, 0x1b, 0x7f, 0x85, 0x9b, 0xad, 0x200e, 0x202e, 0x2028, 0x2066, 0xfeff,
        0xe0001, 0xd800, 'a', '[', ';', 'é', '日', 0x1f600};
    for (int i = 0; i < 2000; i++) {
      StringBuilder text = new StringBuilder();
      for (int j = random.nextInt(30); j > 0; j--) {
        text.appendCodePoint(pool[random.nextInt(pool.length)]);
      }
      String shown = Printable.of(text.toString());

      assertThat(shown.codePoints().filter(Printable::needsEscape)).as(shown).isEmpty();
      assertThat(unescape(shown)).isEqualTo(text.toString());
    }
  }
}
