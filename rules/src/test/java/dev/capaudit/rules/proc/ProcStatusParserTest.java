package dev.capaudit.rules.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capaudit.rules.TestFiles;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import org.junit.jupiter.api.Test;

class ProcStatusParserTest {
  private static final String AGENT_FIXED_PID1 = "captured/proc/agent-fixed/pid1.status";

  private static ProcStatus parseSample(String relative) throws ProcStatusFormatException {
    return ProcStatusParser.parse(TestFiles.read(relative));
  }

  /** A minimal status as the kernel prints it, with the name given. */
  private static String minimal(String nameLine) {
    return nameLine + "\nPid:\t4242\nPPid:\t1\nUid:\t1000\t1000\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\n"
        + "CapInh:\t0000000000000000\nCapPrm:\t0000000000000000\nCapEff:\t0000000000000000\n"
        + "CapBnd:\t0000000000000100\n";
  }

  @Test
  void parses_the_identity_of_the_fixed_agent() throws Exception {
    ProcStatus status = parseSample(AGENT_FIXED_PID1);

    assertThat(status.pid()).isEqualTo(22640);
    assertThat(status.ppid()).isEqualTo(22618);
    assertThat(status.nsPids()).containsExactly(22640, 1);
    assertThat(status.innermostPid()).isEqualTo(1);
    assertThat(status.name()).isEqualTo("sleep");
    assertThat(status.realUid()).isEqualTo(1000);
    assertThat(status.effectiveUid()).isEqualTo(1000);
    assertThat(status.realGid()).isEqualTo(1000);
    assertThat(status.effectiveGid()).isEqualTo(1000);
    assertThat(status.runsAsRoot()).isFalse();
  }

  @Test
  void parses_the_bounding_set_of_the_fixed_agent() throws Exception {
    ProcStatus status = parseSample(AGENT_FIXED_PID1);

    assertThat(status.capabilities().get(CapabilitySetKind.BOUNDING)).contains(CapabilityMask.parse("0x100"));
    assertThat(status.capabilities().get(CapabilitySetKind.EFFECTIVE)).contains(CapabilityMask.EMPTY);
    assertThat(status.capabilities().get(CapabilitySetKind.PERMITTED)).contains(CapabilityMask.EMPTY);
    assertThat(status.capabilities().get(CapabilitySetKind.INHERITABLE)).contains(CapabilityMask.EMPTY);
    assertThat(status.capabilities().get(CapabilitySetKind.AMBIENT)).contains(CapabilityMask.EMPTY);
  }

  @Test
  void parses_no_new_privs_off_and_seccomp_filter_of_the_fixed_agent() throws Exception {
    ProcStatus status = parseSample(AGENT_FIXED_PID1);

    assertThat(status.noNewPrivs()).contains(false);
    assertThat(status.seccomp()).contains(SeccompMode.FILTER);
  }

  @Test
  void parses_the_bounding_set_of_the_sysadmin_regression() throws Exception {
    ProcStatus status = parseSample("captured/proc/agent-sysadmin-regression/pid1.status");

    assertThat(status.pid()).isEqualTo(22857);
    assertThat(status.capabilities().getOrEmpty(CapabilitySetKind.BOUNDING)).hasToString("0x200100");
  }

  @Test
  void parses_no_new_privs_on_in_the_no_new_privileges_scenario() throws Exception {
    ProcStatus status = parseSample("captured/proc/no-new-privileges/pid1.status");

    assertThat(status.noNewPrivs()).contains(true);
    assertThat(status.capabilities().getOrEmpty(CapabilitySetKind.BOUNDING)).hasToString("0x100");
  }

  @Test
  void parses_a_root_child_forked_before_the_drop() throws Exception {
    ProcStatus status = parseSample("captured/proc/child-forked-before-drop/pid7.status");

    assertThat(status.pid()).isEqualTo(24286);
    assertThat(status.innermostPid()).isEqualTo(7);
    assertThat(status.effectiveUid()).isZero();
    assertThat(status.runsAsRoot()).isTrue();
    assertThat(status.capabilities().getOrEmpty(CapabilitySetKind.EFFECTIVE)).hasToString("0xa82c25fb");
  }

  @Test
  void takes_the_only_nspid_of_an_exec_probe_as_its_pid_in_the_container() throws Exception {
    ProcStatus status = parseSample("captured/proc/agent-fixed/exec-1000.status");

    assertThat(status.pid()).isEqualTo(20);
    assertThat(status.nsPids()).containsExactly(20);
    assertThat(status.innermostPid()).isEqualTo(20);
    assertThat(status.name()).isEqualTo("cat");
  }

  @Test
  void reports_sets_and_flags_an_older_kernel_does_not_print_as_absent_not_zero() throws Exception {
    String old = TestFiles.read(AGENT_FIXED_PID1).replaceAll("(?m)^(CapAmb|NoNewPrivs|Seccomp):.*\n", "");
    assertThat(old).doesNotContain("CapAmb").doesNotContain("NoNewPrivs").doesNotContain("Seccomp:");

    ProcStatus status = ProcStatusParser.parse(old);

    assertThat(status.capabilities().get(CapabilitySetKind.AMBIENT)).isEmpty();
    assertThat(status.capabilities().masks()).doesNotContainKey(CapabilitySetKind.AMBIENT).hasSize(4);
    assertThat(status.capabilities().get(CapabilitySetKind.BOUNDING)).contains(CapabilityMask.parse("0x100"));
    assertThat(status.noNewPrivs()).isEmpty();
    assertThat(status.seccomp()).isEmpty();
  }

  @Test
  void names_the_line_that_is_not_a_field() {
    String text = "Name:\tsleep\nPid:\t1\nthis is not a field\nPPid:\t0\n";

    assertThatThrownBy(() -> ProcStatusParser.parse(text))
        .isInstanceOf(ProcStatusFormatException.class)
        .hasMessage("line 3: expected 'Key:<tab>value' but found 'this is not a field'");
  }

  @Test
  void names_the_line_of_a_capability_set_that_is_not_a_mask() {
    String text = TestFiles.read(AGENT_FIXED_PID1).replace("CapBnd:\t0000000000000100", "CapBnd:\tzz");

    assertThatThrownBy(() -> ProcStatusParser.parse(text))
        .isInstanceOf(ProcStatusFormatException.class)
        .hasMessageStartingWith("line 47: CapBnd ")
        .hasMessageContaining("'zz'");
  }

  @Test
  void names_the_line_of_a_uid_that_is_not_a_number() {
    String text = TestFiles.read(AGENT_FIXED_PID1).replace("Uid:\t1000\t1000", "Uid:\troot\t1000");

    assertThatThrownBy(() -> ProcStatusParser.parse(text))
        .isInstanceOf(ProcStatusFormatException.class)
        .hasMessage("line 9: 'root' is not a number");
  }

  @Test
  void rejects_a_no_new_privs_that_is_not_0_or_1_naming_its_line() {
    String text = TestFiles.read(AGENT_FIXED_PID1).replace("NoNewPrivs:\t0", "NoNewPrivs:\t2");

    assertThatThrownBy(() -> ProcStatusParser.parse(text))
        .isInstanceOf(ProcStatusFormatException.class)
        .hasMessage("line 49: NoNewPrivs must be 0 or 1");
  }

  @Test
  void rejects_an_unknown_seccomp_mode_naming_its_line() {
    String text = TestFiles.read(AGENT_FIXED_PID1).replace("Seccomp:\t2", "Seccomp:\t3");

    assertThatThrownBy(() -> ProcStatusParser.parse(text))
        .isInstanceOf(ProcStatusFormatException.class)
        .hasMessage("line 50: unknown Seccomp mode 3");
  }

  @Test
  void rejects_a_status_without_a_pid() {
    String text = TestFiles.read(AGENT_FIXED_PID1).replace("Pid:\t22640\n", "");

    assertThatThrownBy(() -> ProcStatusParser.parse(text))
        .isInstanceOf(ProcStatusFormatException.class)
        .hasMessage("missing field 'Pid'");
  }

  @Test
  void rejects_garbage() {
    assertThatThrownBy(() -> ProcStatusParser.parse("\u0000\u0001garbage\nmore"))
        .isInstanceOf(ProcStatusFormatException.class)
        .hasMessage("line 1: expected 'Key:<tab>value' but found '??garbage'");
  }

  @Test
  void keeps_a_name_with_spaces_and_kernel_escapes_verbatim() throws Exception {
    ProcStatus status = ProcStatusParser.parse(minimal("Name:\t  my agent\\nPid:\\t0\\\\ x "));

    assertThat(status.name()).isEqualTo("  my agent\\nPid:\\t0\\\\ x ");
    assertThat(status.pid()).isEqualTo(4242);
  }

  @Test
  void keeps_a_name_with_a_colon_verbatim() throws Exception {
    assertThat(ProcStatusParser.parse(minimal("Name:\tUid: 0")).name()).isEqualTo("Uid: 0");
  }

  @Test
  void keeps_an_unmapped_uid_as_the_unsigned_32_bit_value() throws Exception {
    String text = minimal("Name:\tx").replace("Uid:\t1000\t1000", "Uid:\t4294967295\t4294967295");

    ProcStatus status = ProcStatusParser.parse(text);

    assertThat(Integer.toUnsignedString(status.effectiveUid())).isEqualTo("4294967295");
    assertThat(status.runsAsRoot()).isFalse();
  }
}
