package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanCommandTest {
  private static final Path CASES = RepoPaths.root().resolve("samples/cases");

  @TempDir
  Path temp;

  @Test
  void regression_snapshot_exits_4_and_names_sys_admin_in_the_bounding_set_of_pid_1() throws IOException {
    Path json = temp.resolve("report.json");
    CliRunner run = CliRunner.run("scan", "--policy", "nemoclaw-sandbox", "--snapshot",
        CASES.resolve("setpriv-sysadmin-regression-0x200100/snapshot.yaml").toString(), "--json", json.toString());

    assertThat(run.exitCode).isEqualTo(4);
    assertThat(run.out).contains("agent-sysadmin-regression").contains("fail")
        .contains("CAP_SYS_ADMIN in CapBnd of pid 1 (sleep, uid 1000)");
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    JsonNode finding = report.at("/targets/0/findings/0");
    assertThat(finding.path("rule").asText()).isEqualTo("must-drop-present");
    assertThat(finding.path("capability").asText()).isEqualTo("CAP_SYS_ADMIN");
    assertThat(finding.at("/occurrences/0/sets/bounding").asText()).isEqualTo("0x200100");
    assertThat(finding.at("/occurrences/0/holder/pids/0").asInt()).isEqualTo(1);
  }

  @Test
  void json_report_follows_schema_version_2() throws IOException {
    Path json = temp.resolve("report.json");
    CliRunner.run("scan", "--policy", "nemoclaw-sandbox", "--snapshot",
        CASES.resolve("connect-shell-0xa82c25fb/snapshot.yaml").toString(), "--json", json.toString());

    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertThat(report.path("schemaVersion").asInt()).isEqualTo(2);
    assertThat(report.at("/tool/name").asText()).isEqualTo("capaudit");
    assertThat(report.at("/policy/name").asText()).isEqualTo("nemoclaw-sandbox");
    assertThat(report.at("/summary/targets").asInt()).isEqualTo(1);
    assertThat(report.at("/summary/fail").asInt()).isEqualTo(1);
    JsonNode target = report.at("/targets/0");
    assertThat(target.path("kind").asText()).isEqualTo("container");
    assertThat(target.path("name").asText()).isEqualTo("capaudit-capture-agent-fixed");
    assertThat(target.at("/config/boundingSet").asText()).isEqualTo("0xa82c25fb");
    assertThat(target.at("/config/capAdd").toString()).isEqualTo("[\"CAP_SYS_ADMIN\",\"CAP_SYS_PTRACE\"]");
    assertThat(target.at("/processes/0/pid").asInt()).isEqualTo(1);
    assertThat(target.at("/processes/0/uid").asInt()).isEqualTo(1000);
    assertThat(target.at("/processes/0/source").asText()).isEqualTo("host-proc");
    assertThat(target.at("/processes/0/sets/bounding").asText()).isEqualTo("0x100");
    assertThat(target.at("/exec/0/user").asText()).isEqualTo("0");
    assertThat(target.at("/exec/0/sets/effective").asText()).isEqualTo("0xa82c25fb");
    JsonNode execHolder = target.at("/findings/0/occurrences/0/holder");
    assertThat(execHolder.path("kind").asText()).isEqualTo("exec");
    assertThat(execHolder.path("name").asText()).isEqualTo("0");
    assertThat(execHolder.has("pids")).isFalse();
  }

  @Test
  void broken_policy_exits_2_with_its_line_number() throws IOException {
    Path policy = temp.resolve("policy.yaml");
    Files.writeString(policy, "apiVersion: capaudit/v1\nkind: CapabilityPolicy\nname: broken\nunlisted: fail\n"
        + "sets: [bounding]\nmustDrop:\n    - CAP_NET_RAWW\n");

    CliRunner run = CliRunner.run("scan", "--policy", policy.toString(), "--snapshot",
        CASES.resolve("agent-fixed-0x100/snapshot.yaml").toString());

    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.err).contains("unknown capability 'CAP_NET_RAWW' at " + policy + ":7:7; did you mean CAP_NET_RAW?");
  }

  @Test
  void unreadable_target_exits_5_not_0() {
    CliRunner run = CliRunner.run("scan", "--policy", "nemoclaw-sandbox", "--snapshot",
        CASES.resolve("unreadable-status/snapshot.yaml").toString());

    assertThat(run.exitCode).isEqualTo(5);
    assertThat(run.out).contains("error").contains("line 9");
  }

  @Test
  void unknown_option_is_a_usage_error() {
    CliRunner run = CliRunner.run("scan", "--polcy", "x");

    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.err).contains("Unknown option: '--polcy'");
  }
}
