package dev.capaudit.rules.capability;

import static dev.capaudit.rules.capability.Capability.CHOWN;
import static dev.capaudit.rules.capability.Capability.FOWNER;
import static dev.capaudit.rules.capability.Capability.KILL;
import static dev.capaudit.rules.capability.Capability.SETGID;
import static dev.capaudit.rules.capability.Capability.SETPCAP;
import static dev.capaudit.rules.capability.Capability.SETUID;
import static dev.capaudit.rules.capability.Capability.SYS_ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CapabilityMaskTest {

  @Test
  void parses_the_16_hex_digit_form_of_proc() {
    assertThat(CapabilityMask.parse("00000000a80425fb").bits()).isEqualTo(0xa80425fbL);
    assertThat(CapabilityMask.parse("0000000000000000")).isEqualTo(CapabilityMask.EMPTY);
    assertThat(CapabilityMask.parse("000001ffffffffff")).isEqualTo(CapabilityMask.ALL_KNOWN);
  }

  @Test
  void parses_the_0x_form_people_write() {
    assertThat(CapabilityMask.parse("0xa80425fb").bits()).isEqualTo(0xa80425fbL);
    assertThat(CapabilityMask.parse("0XA80425FB").bits()).isEqualTo(0xa80425fbL);
    assertThat(CapabilityMask.parse(" 0x200100 ").bits()).isEqualTo(0x200100L);
  }

  @Test
  void parses_a_mask_with_the_top_bit_set() {
    assertThat(CapabilityMask.parse("8000000000000000").bits()).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void prints_lower_case_hex_without_leading_zeros() {
    assertThat(CapabilityMask.parse("0000000000200100")).hasToString("0x200100");
    assertThat(CapabilityMask.parse("00000000A82C25FB")).hasToString("0xa82c25fb");
    assertThat(CapabilityMask.ALL_KNOWN).hasToString("0x1ffffffffff");
    assertThat(new CapabilityMask(Long.MIN_VALUE)).hasToString("0x8000000000000000");
  }

  @Test
  void prints_0x0_for_the_empty_mask() {
    assertThat(CapabilityMask.EMPTY).hasToString("0x0");
    assertThat(CapabilityMask.parse("0000000000000000")).hasToString("0x0");
  }

  @Test
  void decodes_0x2001e9_into_the_stage1_sysadmin_regression_capabilities() {
    CapabilityMask mask = CapabilityMask.parse("0x2001e9");

    assertThat(mask.capabilities()).containsExactly(CHOWN, FOWNER, KILL, SETGID, SETUID, SETPCAP, SYS_ADMIN);
    assertThat(mask.names()).containsExactly(
        "CAP_CHOWN", "CAP_FOWNER", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_SYS_ADMIN");
    assertThat(mask.size()).isEqualTo(7);
    assertThat(mask.unknownBits()).isEmpty();
  }

  @Test
  void keeps_bits_above_40_as_numbered_names() {
    CapabilityMask mask = CapabilityMask.parse("0000020000000100");

    assertThat(mask.capabilities()).containsExactly(SETPCAP);
    assertThat(mask.unknownBits()).containsExactly(41);
    assertThat(mask.names()).containsExactly("CAP_SETPCAP", "CAP_41");
    assertThat(mask.size()).isEqualTo(2);
    assertThat(mask).hasToString("0x20000000100");
  }

  @Test
  void names_every_bit_up_to_63() {
    CapabilityMask mask = CapabilityMask.parse("ffffffffffffffff");

    assertThat(mask.names()).hasSize(64).startsWith("CAP_CHOWN").endsWith("CAP_62", "CAP_63")
        .doesNotContain("CAP_40").contains("CAP_CHECKPOINT_RESTORE", "CAP_63");
    assertThat(mask.unknownBits()).hasSize(23).startsWith(41).endsWith(63);
  }

  @ParameterizedTest
  @ValueSource(strings = {"00000000000000000", "0x00000000000000001", "zz", "", "  ", "0x", "-1", "+1", "0x1g",
      "a8 0425fb"})
  void rejects_what_is_not_at_most_16_hex_digits(String text) {
    assertThatIllegalArgumentException().isThrownBy(() -> CapabilityMask.parse(text))
        .withMessageContaining("not a capability mask");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u0661\u0660\u0660", "\uff11\uff10\uff10", "0x\uff41"})
  void rejects_digits_that_are_not_ascii_hex(String text) {
    assertThatIllegalArgumentException().isThrownBy(() -> CapabilityMask.parse(text));
  }

  @Test
  void knows_docker_defaults_as_14_capabilities() {
    CapabilityMask defaults = CapabilityMask.parse("0xa80425fb");

    assertThat(defaults.size()).isEqualTo(14);
    assertThat(defaults.unknownBits()).isEmpty();
    assertThat(defaults.names()).containsExactly("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID",
        "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW",
        "CAP_SYS_CHROOT", "CAP_MKNOD", "CAP_AUDIT_WRITE", "CAP_SETFCAP");
  }

  @Test
  void builds_a_mask_from_capabilities() {
    assertThat(CapabilityMask.of(SETPCAP, SYS_ADMIN).bits()).isEqualTo(0x200100L);
    assertThat(CapabilityMask.of()).isEqualTo(CapabilityMask.EMPTY);
    assertThat(CapabilityMask.ALL_KNOWN.size()).isEqualTo(41);
  }

  @Test
  void combines_masks_as_sets() {
    CapabilityMask stage1 = CapabilityMask.parse("0x2001e9");
    CapabilityMask agent = CapabilityMask.parse("0x100");

    assertThat(stage1.union(agent)).isEqualTo(stage1);
    assertThat(stage1.intersect(CapabilityMask.of(SYS_ADMIN, Capability.NET_RAW))).hasToString("0x200000");
    assertThat(stage1.minus(CapabilityMask.of(SYS_ADMIN))).hasToString("0x1e9");
    assertThat(stage1.contains(SYS_ADMIN)).isTrue();
    assertThat(agent.contains(SYS_ADMIN)).isFalse();
    assertThat(agent.hasBit(8)).isTrue();
    assertThat(CapabilityMask.EMPTY.isEmpty()).isTrue();
    assertThat(agent.isEmpty()).isFalse();
  }
}
