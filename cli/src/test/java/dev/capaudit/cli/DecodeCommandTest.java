package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecodeCommandTest {
  @Test
  void decodes_the_regression_signature_with_bit_numbers() {
    CliRunner run = CliRunner.run("decode", "0x2001e9");

    assertThat(run.exitCode).isZero();
    assertThat(run.out).contains("0x2001e9 (7 capabilities)")
        .containsPattern("(?m)^\\s+0\\s+CAP_CHOWN\\b")
        .containsPattern("(?m)^\\s+3\\s+CAP_FOWNER\\b")
        .containsPattern("(?m)^\\s+5\\s+CAP_KILL\\b")
        .containsPattern("(?m)^\\s+6\\s+CAP_SETGID\\b")
        .containsPattern("(?m)^\\s+7\\s+CAP_SETUID\\b")
        .containsPattern("(?m)^\\s+8\\s+CAP_SETPCAP\\b")
        .containsPattern("(?m)^\\s+21\\s+CAP_SYS_ADMIN\\b")
        .doesNotContain("CAP_NET_RAW");
  }

  @Test
  void keeps_bits_above_the_known_capabilities() {
    CliRunner run = CliRunner.run("decode", "0000060000000100");

    assertThat(run.out).contains("0x60000000100 (3 capabilities)").contains("CAP_41").contains("CAP_42");
  }

  @Test
  void decodes_every_set_of_a_captured_status_file() {
    CliRunner run = CliRunner.run("decode", "--status",
        RepoPaths.root().resolve("samples/captured/proc/agent-fixed/exec-1000.status").toString());

    assertThat(run.exitCode).isZero();
    assertThat(run.out).contains("uid 1000").contains("CapEff = 0x0 (0 capabilities)")
        .contains("CapBnd = 0xa82c25fb (16 capabilities)");
  }

  @Test
  void rejects_a_mask_that_is_not_hex_with_usage_error() {
    CliRunner run = CliRunner.run("decode", "0xnothex");

    assertThat(run.exitCode).isEqualTo(ExitCode.USAGE_ERROR.code());
    assertThat(run.err).contains("not a capability mask");
  }

  @Test
  void a_single_capability_is_counted_in_the_singular() {
    assertThat(CliRunner.run("decode", "0x100").out).startsWith("0x100 (1 capability)\n");
  }

  @Test
  void shows_a_hostile_process_name_from_a_status_file_as_text(@TempDir Path dir) throws Exception {
    Path status = Files.writeString(dir.resolve("hostile.status"), Files.readString(RepoPaths.root()
        .resolve("samples/captured/proc/agent-fixed/pid1.status")).replace("Name:\tsleep", "Name:\t\u001b]0;x\u0007"));

    CliRunner run = CliRunner.run("decode", "--status", status.toString());

    assertThat(run.exitCode).as(run.err).isZero();
    assertThat(run.out).startsWith("pid 1 (\\x1b]0;x\\x07) uid 1000").doesNotContain("\u001b", "\u0007");
  }

  @Test
  void shows_a_hostile_mask_argument_as_text() {
    CliRunner run = CliRunner.run("decode", "\u001b[2J\u202e");

    assertThat(run.exitCode).isEqualTo(ExitCode.USAGE_ERROR.code());
    assertThat(run.err).isEqualTo("capaudit: not a capability mask (at most 16 hex digits): '\\x1b[2J\\u202e'\n");
  }

  @Test
  void names_the_line_of_a_status_that_is_not_whole() throws Exception {
    CliRunner run = CliRunner.run("decode", "--status",
        RepoPaths.root().resolve("samples/cases/unreadable-status/garbled.status").toString());

    assertThat(run.exitCode).isEqualTo(ExitCode.USAGE_ERROR.code());
    assertThat(run.err).endsWith("garbled.status: line 9: CapBnd not a capability mask (at most 16 hex digits):"
        + " '00000000zz200100'\n");
  }
}
