package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Options of image, enforce and minimize are checked before any engine is asked: a bad value is a usage error
 * (exit 2) that names it, even where no engine answers, never "no Docker engine answered" (exit 1).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OptionValidationTest {
  /** An engine that cannot answer: a valid option gets as far as this, an invalid one must not. */
  private static final String NO_ENGINE = "unix:///nonexistent/capaudit-no-engine.sock";

  @TempDir
  Path dir;

  /** Runs a command line of words; {@code <empty>} and {@code <blank>} stand for "" and " ". */
  private static CliRunner run(String line) {
    List<String> args = new ArrayList<>(List.of(line.strip().split(" +")));
    args.replaceAll(a -> a.equals("<empty>") ? "" : a.equals("<blank>") ? " " : a);
    args.addAll(List.of("--host", NO_ENGINE));
    return CliRunner.run(args.toArray(String[]::new));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "image x --timeout -1        | --timeout must be 1 to 3600 seconds, not -1",
      "image x --timeout 0         | --timeout must be 1 to 3600 seconds, not 0",
      "image x --settle -1         | --settle must be 0 to 3600 seconds, not -1",
      "image x --settle 3601       | --settle must be 0 to 3600 seconds, not 3601",
      "image <empty>               | name an image to run, e.g. my/agent:ci",
      "image <blank>               | name an image to run, e.g. my/agent:ci",
      "enforce x --grace -1        | --grace must be 0 to 3600 seconds, not -1",
      "enforce x --grace 3601      | --grace must be 0 to 3600 seconds, not 3601",
      "enforce x --stop-timeout -5 | --stop-timeout must be 0 to 3600 seconds, not -5",
      "minimize <empty>            | name an image or a container to minimize",
      "minimize x --hold -1        | --hold must be 0 to 3600 seconds, not -1",
      "minimize x --timeout 0      | --timeout must be 1 to 3600 seconds, not 0",
      "minimize x --settle -2      | --settle must be 0 to 3600 seconds, not -2",
      "minimize x --parallel 0     | --parallel must be 1 to 16, not 0",
      "minimize x --parallel 17    | --parallel must be 1 to 16, not 17",
      "minimize x --budget 0       | --budget must be 1 to 86400 seconds, not 0",
      "minimize x --volumes rw     | --volumes must be empty or read-only, not 'rw'",
      "minimize x --from root      | unknown --from 'root'; choose docker-default, permissive, openshell or none",
      "minimize x --cap-add NET_RAWW | unknown capability 'NET_RAWW' in --cap-add; did you mean CAP_NET_RAW?",
      "minimize x --ready-log a(b  | --ready-log is not a regular expression: Unclosed group near index 3",
      "minimize x --ready-cmd <blank> | --ready-cmd needs a command",
      "minimize x --policy nope.yaml | no policy file 'nope.yaml': No such file or directory (built-in policies:"
          + " cis-docker, k8s-restricted, nemoclaw-sandbox)"})
  void a_bad_value_is_a_usage_error_before_any_engine_is_asked(String line, String message) {
    CliRunner run = run(line);

    assertThat(run.err).isEqualTo("capaudit: " + message + "\n");
    assertThat(run.exitCode).isEqualTo(ExitCode.USAGE_ERROR.code());
  }

  @Test
  void a_policy_out_in_a_missing_directory_is_refused_before_any_trial() {
    Path file = dir.resolve("missing/policy.yaml");

    CliRunner run = CliRunner.run("minimize", "x", "--policy-out", file.toString(), "--host", NO_ENGINE);

    assertThat(run.err).isEqualTo("capaudit: --policy-out " + file + ": No such directory " + file.getParent()
        + "\n");
    assertThat(run.exitCode).isEqualTo(ExitCode.USAGE_ERROR.code());
  }

  @Test
  void a_policy_out_that_is_a_directory_is_refused() {
    CliRunner run = CliRunner.run("minimize", "x", "--policy-out", dir.toString(), "--host", NO_ENGINE);

    assertThat(run.err).isEqualTo("capaudit: --policy-out " + dir + " is a directory\n");
    assertThat(run.exitCode).isEqualTo(ExitCode.USAGE_ERROR.code());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"image x --timeout 1 --settle 0", "enforce x --grace 0",
      "minimize x --hold 0 --parallel 16 --budget 86400 --volumes read-only --from none --cap-add cap_chown"})
  void valid_values_get_as_far_as_the_engine(String line) {
    CliRunner run = run(line);

    assertThat(run.err).startsWith("capaudit: no Docker engine answered at " + NO_ENGINE);
    assertThat(run.exitCode).isEqualTo(ExitCode.TOOL_ERROR.code());
  }
}
