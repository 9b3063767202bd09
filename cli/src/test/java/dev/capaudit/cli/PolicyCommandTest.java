package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
}
