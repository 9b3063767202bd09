package dev.capaudit.scanner.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What an exec process gets from the container's spec, as the kernel transforms the sets on execve. */
class SpecExecViewsTest {
  private static final CapabilityMask BOUNDING = CapabilityMask.of(Capability.CHOWN, Capability.NET_RAW,
      Capability.SYS_ADMIN);
  private static final CapabilitySets SPEC = CapabilitySets.of(CapabilityMask.EMPTY, BOUNDING, BOUNDING, BOUNDING,
      CapabilityMask.EMPTY);

  private static String sets(CapabilitySets sets) {
    return sets.masks().toString();
  }

  @Test
  void root_gets_the_bounding_set_as_permitted_and_effective() {
    assertThat(sets(SpecExecViews.predict(SPEC, true, false, Optional.empty())))
        .isEqualTo("{INHERITABLE=0x0, PERMITTED=0x202001, EFFECTIVE=0x202001, BOUNDING=0x202001, AMBIENT=0x0}");
  }

  @Test
  void a_non_root_user_holds_nothing_but_keeps_the_bounding_set() {
    assertThat(sets(SpecExecViews.predict(SPEC, false, false, Optional.empty())))
        .isEqualTo("{INHERITABLE=0x0, PERMITTED=0x0, EFFECTIVE=0x0, BOUNDING=0x202001, AMBIENT=0x0}");
  }

  @Test
  void a_non_root_user_holds_what_the_spec_raises_as_ambient() {
    CapabilityMask ambient = CapabilityMask.of(Capability.NET_RAW);
    CapabilitySets spec = CapabilitySets.of(ambient, BOUNDING, BOUNDING, BOUNDING, ambient);

    assertThat(sets(SpecExecViews.predict(spec, false, false, Optional.empty())))
        .isEqualTo("{INHERITABLE=0x2000, PERMITTED=0x2000, EFFECTIVE=0x2000, BOUNDING=0x202001, AMBIENT=0x2000}");
  }

  @Test
  void a_setuid_root_shell_makes_a_non_root_exec_root_unless_no_new_privs() {
    Optional<ContainerFiles.Privileges> setuid = Optional.of(new ContainerFiles.Privileges(true, false, 0,
        FileCapabilities.NONE));

    assertThat(sets(SpecExecViews.predict(SPEC, false, false, setuid))).contains("EFFECTIVE=0x202001");
    assertThat(sets(SpecExecViews.predict(SPEC, false, true, setuid))).contains("EFFECTIVE=0x0");
  }

  @Test
  void a_shell_with_file_capabilities_gives_them_within_the_bounding_set() {
    FileCapabilities file = FileCapabilities.parse("cap_net_raw,cap_sys_time=ep");
    Optional<ContainerFiles.Privileges> shell = Optional.of(new ContainerFiles.Privileges(false, false, 0, file));

    assertThat(sets(SpecExecViews.predict(SPEC, false, false, shell)))
        .as("SYS_TIME is not in the bounding set")
        .isEqualTo("{INHERITABLE=0x0, PERMITTED=0x2000, EFFECTIVE=0x2000, BOUNDING=0x202001, AMBIENT=0x0}");
    assertThat(sets(SpecExecViews.predict(SPEC, false, false, Optional.of(new ContainerFiles.Privileges(false,
        false, 0, FileCapabilities.parse("cap_net_raw+p")))))).as("no effective bit").contains("EFFECTIVE=0x0",
        "PERMITTED=0x2000");
  }

  @Test
  void file_capability_text_is_read_as_libcap_reads_it() {
    assertThat(FileCapabilities.parse("=ep").permitted()).isEqualTo(CapabilityMask.ALL_KNOWN);
    assertThat(FileCapabilities.parse("=ep cap_sys_admin-ep").permitted().contains(Capability.SYS_ADMIN)).isFalse();
    assertThat(FileCapabilities.parse("cap_chown+ip").inheritable()).isEqualTo(CapabilityMask.of(Capability.CHOWN));
    assertThat(FileCapabilities.parse("cap_chown+ip").effective()).isFalse();
  }
}
