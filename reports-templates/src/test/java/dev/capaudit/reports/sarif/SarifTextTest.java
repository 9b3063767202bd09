package dev.capaudit.reports.sarif;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SarifTextTest {
  @Test
  void clean_replaces_lone_surrogates_and_noncharacters_only() {
    assertThat(SarifText.clean("a\uD800b")).isEqualTo("a\uFFFDb");
    assertThat(SarifText.clean("a\uDC00")).isEqualTo("a\uFFFD");
    assertThat(SarifText.clean("\uD800\uD800\uDC00")).isEqualTo("\uFFFD\uD800\uDC00");
    assertThat(SarifText.clean("x\uFFFEy\uFFFFz\uFDD0")).isEqualTo("x\uFFFDy\uFFFDz\uFFFD");
    // U+1FFFE is a noncharacter too; U+1F600 (a valid pair) is kept.
    assertThat(SarifText.clean("\uD83F\uDFFE\uD83D\uDE00")).isEqualTo("\uFFFD\uD83D\uDE00");
    String controls = "\u0000\u0007\u001b[31m\t\n";
    assertThat(SarifText.clean(controls)).isSameAs(controls);
    assertThat(SarifText.clean(null)).isNull();
  }

  @Test
  void message_escapes_braces_and_link_brackets() {
    assertThat(SarifText.message("pid {0} [x](https://evil)")).isEqualTo("pid {{0}} \\[x\\](https://evil)");
    assertThat(SarifText.message("a\\[b")).isEqualTo("a\\\\\\[b");
    assertThat(SarifText.message("C:\\path")).isEqualTo("C:\\path");
    assertThat(SarifText.message("bad\uFFFE")).isEqualTo("bad\uFFFD");
  }

  @Test
  void uri_segment_percent_encodes_everything_but_unreserved_characters() {
    assertThat(SarifText.uriSegment("sandbox-7_a.b~c")).isEqualTo("sandbox-7_a.b~c");
    assertThat(SarifText.uriSegment("a/b c:%")).isEqualTo("a%2Fb%20c%3A%25");
    assertThat(SarifText.uriSegment("é\uD800")).isEqualTo("%C3%A9%EF%BF%BD");
  }
}
