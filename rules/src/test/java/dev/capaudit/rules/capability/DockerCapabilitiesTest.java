package dev.capaudit.rules.capability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.rules.capability.DockerCapabilities.ConfiguredBoundingSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class DockerCapabilitiesTest {
  /** The capture host's bounding set (samples/captured/README.md): every capability but SYS_RESOURCE. */
  private static final CapabilityMask CAPTURE_HOST = CapabilityMask.parse("000001fffeffffff");

  private static ConfiguredBoundingSet bounding(List<String> capAdd, List<String> capDrop) {
    return DockerCapabilities.boundingSet(false, capAdd, capDrop, CapabilityMask.ALL_KNOWN);
  }

  @Test
  void default_set_is_0xa80425fb() {
    assertThat(DockerCapabilities.DEFAULT_SET).hasToString("0xa80425fb");
    assertThat(bounding(List.of(), List.of()).mask()).hasToString("0xa80425fb");
  }

  @Test
  void adding_sys_admin_and_sys_ptrace_gives_0xa82c25fb() {
    assertThat(bounding(List.of("SYS_ADMIN", "SYS_PTRACE"), List.of()).mask()).hasToString("0xa82c25fb");
    assertThat(bounding(List.of("CAP_SYS_ADMIN", "CAP_SYS_PTRACE"), List.of()).mask()).hasToString("0xa82c25fb");
  }

  @Test
  void dropping_all_and_adding_the_six_entrypoint_capabilities_gives_0x1e9() {
    ConfiguredBoundingSet set = bounding(
        List.of("CAP_CHOWN", "CAP_FOWNER", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP"), List.of("ALL"));

    assertThat(set.mask()).hasToString("0x1e9");
    assertThat(set.unknownNames()).isEmpty();
  }

  @Test
  void accepts_lower_case_names_with_and_without_the_cap_prefix() {
    ConfiguredBoundingSet set = bounding(List.of("net_admin", "cap_syslog"), List.of("all"));

    assertThat(set.mask()).hasToString("0x400001000");
    assertThat(set.unknownNames()).isEmpty();
  }

  @Test
  void dropping_a_default_removes_it() {
    assertThat(bounding(List.of(), List.of("net_raw")).mask()).hasToString("0xa80405fb");
  }

  @Test
  void all_in_cap_add_gives_every_capability_of_the_kernel() {
    assertThat(bounding(List.of("all"), List.of()).mask()).isEqualTo(CapabilityMask.ALL_KNOWN);
    assertThat(DockerCapabilities.boundingSet(false, List.of("ALL"), List.of(), CAPTURE_HOST).mask())
        .isEqualTo(CAPTURE_HOST);
  }

  @Test
  void all_in_cap_add_minus_sys_resource_keeps_everything_else() {
    ConfiguredBoundingSet set = bounding(List.of("ALL"), List.of("CAP_SYS_RESOURCE"));

    assertThat(set.mask()).hasToString("0x1fffeffffff");
    assertThat(set.mask().contains(Capability.SYS_RESOURCE)).isFalse();
    assertThat(set.mask().size()).isEqualTo(40);
  }

  @Test
  void privileged_gets_the_kernel_mask_whatever_is_dropped() {
    ConfiguredBoundingSet set = DockerCapabilities.boundingSet(true, List.of(), List.of("ALL"), CAPTURE_HOST);

    assertThat(set.mask()).isEqualTo(CAPTURE_HOST);
    assertThat(set.mask()).hasToString("0x1fffeffffff");
  }

  @Test
  void collects_unknown_names_instead_of_throwing() {
    ConfiguredBoundingSet set = bounding(List.of("CAP_NET_RAWW", "NET_ADMIN"), List.of("SYS_FOO"));

    assertThat(set.unknownNames()).containsExactly("CAP_NET_RAWW", "SYS_FOO");
    assertThat(set.mask()).hasToString("0xa80435fb");
  }

  @Test
  void adds_after_dropping_so_a_capability_in_both_lists_stays_as_in_moby() {
    assertThat(bounding(List.of("SYS_ADMIN"), List.of("SYS_ADMIN")).mask().contains(Capability.SYS_ADMIN)).isTrue();
    assertThat(bounding(List.of("NET_RAW"), List.of("NET_RAW")).mask()).hasToString("0xa80425fb");
  }

  @Test
  void drops_win_over_all_in_cap_add_as_in_moby() {
    assertThat(bounding(List.of("ALL", "SYS_ADMIN"), List.of("SYS_ADMIN")).mask().contains(Capability.SYS_ADMIN))
        .isFalse();
  }

  @Test
  void all_in_both_lists_keeps_everything_as_in_moby() {
    assertThat(bounding(List.of("ALL"), List.of("ALL")).mask()).isEqualTo(CapabilityMask.ALL_KNOWN);
  }

  @Test
  void never_grants_more_than_the_kernel_knows() {
    ConfiguredBoundingSet set = DockerCapabilities.boundingSet(false, List.of("SYS_RESOURCE"), List.of("ALL"),
        CAPTURE_HOST);

    assertThat(set.mask()).isEqualTo(CapabilityMask.EMPTY);
  }
}
