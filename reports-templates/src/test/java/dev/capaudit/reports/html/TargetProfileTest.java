package dev.capaudit.reports.html;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.rules.capability.CapabilityMask;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetProfileTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0xa80425fb  | Docker's defaults",
      "0xa82c25fb  | Docker's defaults + SYS_ADMIN, SYS_PTRACE",
      "0xa80405fb  | Docker's defaults \u2212 NET_RAW",
      "0xa82c05fb  | Docker's defaults + SYS_ADMIN, SYS_PTRACE \u2212 NET_RAW",
      "0x200100    | bounding set SYS_ADMIN, SETPCAP",
      "0x0         | no capabilities",
      "0x1ffffffffff | bounding set 0x1ffffffffff (41 capabilities)",
      "0x20000000100 | bounding set SETPCAP, CAP_41"})
  void a_bounding_set_is_described_against_dockers_defaults_most_dangerous_first(String mask, String words) {
    assertThat(TargetProfile.describe(CapabilityMask.parse(mask))).isEqualTo(words);
  }
}
