package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyCommandTest {
  @Test
  void explains_the_nemoclaw_policy_in_words() {
    CliRunner run = CliRunner.run("policy", "check",
        RepoPaths.root().resolve("samples/policies/nemoclaw-sandbox.yaml").toString());

    assertThat(run.exitCode).isZero();
    assertThat(run.out).contains("valid")
        .contains("Must be dropped in every set and context (10)")
        .contains("Load-bearing CAP_SETPCAP, allowed anywhere")
        .contains("Load-bearing CAP_SETUID, allowed only in root-process, root-exec, config")
        .contains("nonroot-process may hold 0x100 [CAP_SETPCAP]")
        .contains("root-process may hold 0x1e9");
  }

  @Test
  void built_in_policies_resolve_by_name() {
    for (String name : PolicySource.BUILT_IN) {
      assertThat(CliRunner.run("policy", "check", name).exitCode).as(name).isZero();
    }
  }

  @Test
  void missing_policy_file_is_a_usage_error_naming_the_built_ins() {
    CliRunner run = CliRunner.run("policy", "check", "no-such-policy.yaml");

    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.err).contains("no policy file 'no-such-policy.yaml'").contains("nemoclaw-sandbox");
  }

  @Test
  void shows_a_hostile_policy_name_description_and_reason_as_text(@TempDir Path dir) throws Exception {
    Path policy = Files.writeString(dir.resolve("hostile\u001b[1m.yaml"), "apiVersion: capaudit/v1\n"
        + "kind: CapabilityPolicy\nname: \"\\e]0;owned\\a\"\ndescription: \"\\u202eevil\\e[2J\"\n"
        + "loadBearing:\n  - capability: KILL\n    reason: \"\\x9b31mred\\u2028next\"\n");

    CliRunner run = CliRunner.run("policy", "check", policy.toString());

    assertThat(run.exitCode).as(run.err).isZero();
    assertThat(run.out).contains("hostile\\x1b[1m.yaml: valid")
        .contains("Policy '\\x1b]0;owned\\x07': \\u202eevil\\x1b[2J")
        .contains("Load-bearing CAP_KILL, allowed anywhere: \\x9b31mred\\u2028next");
    assertThat(run.out.codePoints().filter(c -> c < 0x20 && c != '\n' || c == 0x9b || c == 0x202e || c == 0x2028))
        .isEmpty();
  }

  @Test
  void a_policy_that_cannot_be_read_says_why() {
    CliRunner run = CliRunner.run("policy", "check", "/proc/self/status/x.yaml");

    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.err).isEqualTo("capaudit: cannot read policy /proc/self/status/x.yaml: Not a directory\n");
  }
}
