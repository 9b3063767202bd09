package dev.capaudit.rules.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.rules.capability.Capability;
import org.junit.jupiter.api.Test;

class AsciiCaseTest {
  @Test
  void folds_ascii_letters_only() {
    assertThat(AsciiCase.upper("cap_sys_admin")).isEqualTo("CAP_SYS_ADMIN");
    assertThat(AsciiCase.upper("cap_\u017fys_admin")).isEqualTo("CAP_\u017fYS_ADMIN");
    assertThat(AsciiCase.lower("CONF\u0130G")).isEqualTo("conf\u0130g");
  }

  @Test
  void unicode_look_alikes_are_not_the_same_name() {
    assertThat(AsciiCase.equalsIgnoreCase("Config", "config")).isTrue();
    assertThat(AsciiCase.equalsIgnoreCase("conf\u0130g", "config")).isFalse();
    assertThat(AsciiCase.equalsIgnoreCase("K", "\u212a")).isFalse();
    assertThat(AsciiCase.equalsIgnoreCase(null, "x")).isFalse();
  }

  @Test
  void a_capability_spelled_with_a_long_s_is_not_a_capability() {
    assertThat(Capability.parse("cap_\u017fys_admin")).isEmpty();
    assertThat(Capability.parse("\u212a" + "ILL")).isEmpty();
    assertThat(Capability.parse("cap_sys_admin")).contains(Capability.SYS_ADMIN);
  }
}
