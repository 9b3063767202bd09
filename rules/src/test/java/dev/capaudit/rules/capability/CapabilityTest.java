package dev.capaudit.rules.capability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CapabilityTest {

  @Test
  void knows_the_41_capabilities_of_the_kernel() {
    assertThat(Capability.values()).hasSize(41);
    assertThat(Capability.LAST_KNOWN_BIT).isEqualTo(40);
  }

  @Test
  void numbers_the_capabilities_with_bits_0_to_40_in_order() {
    assertThat(Arrays.stream(Capability.values()).mapToInt(Capability::bit).toArray())
        .containsExactly(IntStream.rangeClosed(0, 40).toArray());
    assertThat(Capability.CHOWN.bit()).isZero();
    assertThat(Capability.NET_RAW.bit()).isEqualTo(13);
    assertThat(Capability.SYS_ADMIN.bit()).isEqualTo(21);
    assertThat(Capability.CHECKPOINT_RESTORE.bit()).isEqualTo(40);
  }

  @Test
  void gives_each_capability_its_mask_bit() {
    assertThat(Capability.SETPCAP.maskBit()).isEqualTo(0x100L);
    assertThat(Capability.SYS_ADMIN.maskBit()).isEqualTo(0x200000L);
    assertThat(Capability.CHECKPOINT_RESTORE.maskBit()).isEqualTo(0x10000000000L);
  }

  @Test
  void spells_the_kernel_names_in_upper_and_lower_case() {
    assertThat(Capability.SYS_ADMIN.canonicalName()).isEqualTo("CAP_SYS_ADMIN");
    assertThat(Capability.SYS_ADMIN.lowerCaseName()).isEqualTo("cap_sys_admin");
  }

  @ParameterizedTest
  @ValueSource(strings = {"net_raw", "CAP_NET_RAW", "cap_net_raw", " Net_Raw ", "NET_RAW"})
  void parses_a_name_in_any_case_with_or_without_the_prefix(String name) {
    assertThat(Capability.parse(name)).contains(Capability.NET_RAW);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ALL", "all", "NET_RAWW", "CAP_", "", "CAP_CAP_NET_RAW", "13"})
  void rejects_what_is_not_a_capability_name(String name) {
    assertThat(Capability.parse(name)).isEmpty();
  }

  @Test
  void rejects_null() {
    assertThat(Capability.parse(null)).isEmpty();
  }

  @Test
  void finds_a_capability_by_bit_within_0_to_40_only() {
    assertThat(Capability.ofBit(21)).contains(Capability.SYS_ADMIN);
    assertThat(Capability.ofBit(40)).contains(Capability.CHECKPOINT_RESTORE);
    assertThat(Capability.ofBit(41)).isEmpty();
    assertThat(Capability.ofBit(-1)).isEmpty();
  }

  @Test
  void suggests_net_raw_for_a_misspelt_cap_net_raww() {
    assertThat(Capability.closestTo("CAP_NET_RAWW")).contains(Capability.NET_RAW);
    assertThat(Capability.closestTo("sys_admn")).contains(Capability.SYS_ADMIN);
  }

  @Test
  void suggests_nothing_for_a_name_far_from_every_capability() {
    assertThat(Capability.closestTo("XYZ")).isEmpty();
    assertThat(Capability.closestTo("CAP_FILESYSTEM_QUOTA")).isEmpty();
  }

  @Test
  void ranks_every_capability_once_worst_first() {
    assertThat(Capability.byRisk()).hasSize(41).doesNotHaveDuplicates()
        .startsWith(Capability.SYS_ADMIN, Capability.SYS_MODULE, Capability.SYS_PTRACE, Capability.SYS_RAWIO,
            Capability.DAC_READ_SEARCH, Capability.BPF);
    assertThat(Capability.SYS_ADMIN.riskRank()).isEqualTo(1);
    assertThat(Capability.BLOCK_SUSPEND.riskRank()).isEqualTo(41);
    assertThat(Capability.NET_RAW.riskRank()).isLessThan(Capability.DAC_OVERRIDE.riskRank());
    assertThat(Capability.BPF.riskRank()).isLessThan(Capability.NET_RAW.riskRank());
    assertThat(Capability.DAC_OVERRIDE.riskRank()).isLessThan(Capability.CHOWN.riskRank());
  }
}
