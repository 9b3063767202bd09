package dev.capaudit.rules.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capaudit.rules.TestFiles;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProcStatusParserTest {
  private static final String AGENT_FIXED_PID1 = "captured/proc/agent-fixed/pid1.status";

  private static ProcStatus parseSample(String relative) throws ProcStatusFormatException {
    return ProcStatusParser.parse(TestFiles.read(relative));
  }

  private static void assertRefused(String text, String message) {
    assertThatThrownBy(() -> ProcStatusParser.parse(text))
        .isInstanceOf(ProcStatusFormatException.class)
        .hasMessage(message);
  }

  /** The fixed agent's real status with one piece of text replaced must be refused with this message. */
  private static void assertRefusedWhenChanged(String from, String to, String message) {
    String text = TestFiles.read(AGENT_FIXED_PID1);
    assertThat(text).contains(from);
    assertRefused(text.replace(from, to), message);
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

    assertRefused(text, "line 3: expected 'Key:<tab>value' but found 'this is not a field'");
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
    assertRefusedWhenChanged("Uid:\t1000\t1000", "Uid:\troot\t1000",
        "line 9: 'root' is not a number");
  }

  @Test
  void rejects_a_no_new_privs_that_is_not_0_or_1_naming_its_line() {
    assertRefusedWhenChanged("NoNewPrivs:\t0", "NoNewPrivs:\t2",
        "line 49: NoNewPrivs must be 0 or 1");
  }

  @Test
  void rejects_an_unknown_seccomp_mode_naming_its_line() {
    assertRefusedWhenChanged("Seccomp:\t2", "Seccomp:\t3",
        "line 50: unknown Seccomp mode 3");
  }

  @Test
  void rejects_a_status_without_a_pid() {
    assertRefusedWhenChanged("Pid:\t22640\n", "",
        "missing field 'Pid'");
  }

  @Test
  void rejects_garbage_keeping_its_bytes_for_the_report_to_escape() {
    assertThatThrownBy(() -> ProcStatusParser.parse("\u0000\u0001garbage\nmore"))
        .isInstanceOf(ProcStatusFormatException.class)
        .hasMessage("line 1: expected 'Key:<tab>value' but found '\u0000\u0001garbage'");
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

  /** Sample cases whose status is broken on purpose, to show the target becomes an error. */
  private static final List<String> BROKEN_ON_PURPOSE = List.of("garbled.status", "nocaps.status");

  /** Every status file the repository holds: real captures and the sample cases built from them. */
  static Stream<Path> everyStatusSample() throws IOException {
    try (Stream<Path> files = Files.walk(TestFiles.root().resolve("samples"))) {
      return files.filter(f -> f.getFileName().toString().endsWith(".status"))
          .filter(f -> !BROKEN_ON_PURPOSE.contains(f.getFileName().toString())).sorted().toList().stream();
    }
  }

  @Test
  void the_samples_broken_on_purpose_are_refused() throws Exception {
    assertThatThrownBy(() -> parseSample("cases/unreadable-status/garbled.status"))
        .hasMessage("line 9: CapBnd not a capability mask (at most 16 hex digits): '00000000zz200100'");
    assertThatThrownBy(() -> parseSample("cases/status-without-capabilities/nocaps.status"))
        .hasMessageStartingWith("missing field 'CapInh'");
  }

  @ParameterizedTest
  @MethodSource("everyStatusSample")
  void every_real_status_sample_still_parses_with_all_four_required_sets(Path file) throws Exception {
    ProcStatus status = ProcStatusParser.parse(Files.readString(file, StandardCharsets.UTF_8));

    assertThat(status.capabilities().masks()).containsKeys(CapabilitySetKind.INHERITABLE,
        CapabilitySetKind.PERMITTED, CapabilitySetKind.EFFECTIVE, CapabilitySetKind.BOUNDING);
    assertThat(status.nsPids()).isNotEmpty().startsWith(status.pid());
  }

  @Test
  void the_sample_list_covers_the_captures() throws Exception {
    assertThat(everyStatusSample()).hasSizeGreaterThan(40);
  }

  @Test
  void rejects_a_status_without_any_capability_line() {
    String text = TestFiles.read(AGENT_FIXED_PID1).replaceAll("(?m)^Cap[A-Za-z]+:.*\n", "");
    assertThat(text).doesNotContain("Cap");

    assertRefused(text, "missing field 'CapInh': every kernel since 2.6.26 prints CapInh, CapPrm, CapEff and CapBnd,"
            + " so this is not a whole /proc/N/status");
  }

  @ParameterizedTest
  @ValueSource(strings = {"CapInh", "CapPrm", "CapEff", "CapBnd"})
  void rejects_a_status_missing_one_required_set(String field) {
    String text = TestFiles.read(AGENT_FIXED_PID1).replaceAll("(?m)^" + field + ":.*\n", "");

    assertThatThrownBy(() -> ProcStatusParser.parse(text))
        .isInstanceOf(ProcStatusFormatException.class)
        .hasMessageStartingWith("missing field '" + field + "'");
  }

  @Test
  void accepts_a_status_that_lacks_only_the_ambient_set_of_kernels_before_4_3() throws Exception {
    String text = TestFiles.read(AGENT_FIXED_PID1).replace("CapAmb:\t0000000000000000\n", "");

    ProcStatus status = ProcStatusParser.parse(text);

    assertThat(status.capabilities().masks()).hasSize(4).doesNotContainKey(CapabilitySetKind.AMBIENT);
  }

  @Test
  void rejects_a_uid_beyond_32_bits_instead_of_wrapping_it_to_root() {
    String text = minimal("Name:\tx").replace("Uid:\t1000\t1000", "Uid:\t4294967296\t4294967296");

    assertRefused(text, "line 4: Uid 4294967296 is out of range (0 to 4294967295)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "+1000", "1e3", "0x3e8", "１０００"})
  void rejects_a_uid_the_kernel_would_not_print(String uid) {
    String text = minimal("Name:\tx").replace("Uid:\t1000", "Uid:\t" + uid);

    assertRefused(text, "line 4: '" + uid + "' is not a number");
  }

  @Test
  void rejects_a_gid_with_a_huge_number_of_digits() {
    String text = minimal("Name:\tx").replace("Gid:\t1000", "Gid:\t" + "9".repeat(40));

    assertRefused(text, "line 5: Gid " + "9".repeat(40) + " is out of range (0 to 4294967295)");
  }

  @Test
  void rejects_a_uid_line_without_the_four_ids_the_kernel_prints() {
    String text = minimal("Name:\tx").replace("Uid:\t1000\t1000\t1000\t1000", "Uid:\t1000\t1000");

    assertRefused(text, "line 4: 'Uid' needs 4 ids (real, effective, saved, filesystem) but has 2");
  }

  @Test
  void keeps_the_largest_pid_a_kernel_hands_out_and_rejects_the_next() throws Exception {
    String largest = minimal("Name:\tx").replace("Pid:\t4242", "Pid:\t4194303");
    String beyond = minimal("Name:\tx").replace("Pid:\t4242", "Pid:\t4194304");

    assertThat(ProcStatusParser.parse(largest).pid()).isEqualTo(4194303);
    assertRefused(beyond, "line 2: Pid 4194304 is out of range (1 to 4194303)");
  }

  @Test
  void rejects_pid_0_which_no_process_has() {
    String text = minimal("Name:\tx").replace("Pid:\t4242", "Pid:\t0");

    assertThatThrownBy(() -> ProcStatusParser.parse(text))
        .hasMessage("line 2: Pid 0 is out of range (1 to 4194303)");
  }

  @Test
  void rejects_an_nspid_that_does_not_start_with_the_pid() {
    assertRefusedWhenChanged("NSpid:\t22640\t1", "NSpid:\t22641\t1",
        "line 14: NSpid starts with 22641 but Pid is 22640");
  }

  @Test
  void rejects_a_duplicated_capability_line_instead_of_letting_the_first_win() {
    assertRefusedWhenChanged("CapAmb:", "CapEff:\t000001ffffffffff\nCapAmb:",
        "line 48: duplicate field 'CapEff' (first at line 46)");
  }

  @Test
  void rejects_a_duplicated_field_it_does_not_even_read() {
    String text = TestFiles.read(AGENT_FIXED_PID1) + "Threads:\t2\n";

    assertThatThrownBy(() -> ProcStatusParser.parse(text))
        .hasMessageEndingWith("duplicate field 'Threads' (first at line 37)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0x0000000000000100", "00000000000000100", "-100", "10 0", "g"})
  void rejects_a_mask_the_kernel_would_not_print(String mask) {
    String text = minimal("Name:\tx").replace("CapBnd:\t0000000000000100", "CapBnd:\t" + mask);

    assertRefused(text, "line 9: CapBnd not a capability mask (at most 16 hex digits): '" + mask + "'"
            + (mask.startsWith("0x") ? "; the kernel prints no 0x" : ""));
  }

  @Test
  void reads_the_8_digit_masks_of_kernels_before_2_6_25() throws Exception {
    String text = minimal("Name:\tx").replace("CapBnd:\t0000000000000100", "CapBnd:\t00000100");

    assertThat(ProcStatusParser.parse(text).capabilities().getOrEmpty(CapabilitySetKind.BOUNDING))
        .hasToString("0x100");
  }

  @Test
  void rejects_a_key_that_is_not_an_identifier() {
    String text = minimal("Name:\tx") + "Cap\u001bEff:\t0\n";

    assertThatThrownBy(() -> ProcStatusParser.parse(text))
        .hasMessage("line 10: expected 'Key:<tab>value' but found 'Cap\u001bEff:\t0'");
  }

  @Test
  void abbreviates_a_long_offending_line_without_splitting_a_character() {
    String text = "\ud83d\ude00".repeat(100) + "\n";

    assertThatThrownBy(() -> ProcStatusParser.parse(text))
        .hasMessage("line 1: expected 'Key:<tab>value' but found '" + "\ud83d\ude00".repeat(60) + "...'");
  }
}
