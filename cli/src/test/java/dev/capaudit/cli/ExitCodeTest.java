package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ExitCodeTest {
  @Test
  void help_lists_every_exit_code_with_its_meaning() {
    CliRunner run = CliRunner.run("--help");

    assertThat(run.exitCode).isZero();
    for (ExitCode code : ExitCode.values()) {
      assertThat(run.out).containsPattern("(?m)^\\s+" + code.code() + "\\s+" + java.util.regex.Pattern.quote(
          code.meaning()) + "$");
    }
  }

  @Test
  void codes_are_the_documented_numbers() {
    assertThat(Arrays.stream(ExitCode.values()).mapToInt(ExitCode::code)).containsExactly(0, 1, 2, 4, 5);
  }
}
