package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergeCommandTest {
  private static final Path CASES = RepoPaths.root().resolve("samples/cases");
  private static final Path GOLDEN = RepoPaths.root().resolve("cli/src/test/resources/merge/golden-merged.json");

  @TempDir
  Path temp;

  /** A node report: the case's JSON report, written as if on that node (named by the file). */
  private Path node(String name, String policy, String... cases) {
    Path json = temp.resolve(name + ".json");
    String[] args = new String[4 + 2 * cases.length];
    args[0] = "scan";
    args[1] = "--policy";
    args[2] = policy;
    for (int i = 0; i < cases.length; i++) {
      args[3 + 2 * i] = "--snapshot";
      args[4 + 2 * i] = CASES.resolve(cases[i] + "/snapshot.yaml").toString();
    }
    args[args.length - 1] = "--quiet";
    String[] all = java.util.Arrays.copyOf(args, args.length + 2);
    all[all.length - 2] = "--json";
    all[all.length - 1] = json.toString();
    CliRunner.run(all);
    return json;
  }

  @Test
  void merges_node_reports_into_one_fleet_report_that_matches_its_golden_file() throws IOException {
    Path a = node("node-a", "nemoclaw-sandbox", "setpriv-sysadmin-regression-0x200100", "agent-fixed-0x100");
    Path b = node("node-b", "nemoclaw-sandbox", "connect-shell-0xa82c25fb", "unreadable-status");
    Path merged = temp.resolve("fleet.json");

    CliRunner run = CliRunner.run("merge", a.toString(), b.toString(), "--json", merged.toString());

    assertThat(run.exitCode).as(run.err).isEqualTo(4);
    assertThat(run.out).contains("agent-sysadmin-regression @node-a").contains("garbled @node-b")
        .contains("4 target(s): 1 pass, 2 fail, 1 error");
    // The time of writing, fixed to one instant so that the golden file is valid against the schema too.
    String actual = Files.readString(merged).replaceFirst("\"generatedAt\" : \"[^\"]+\"",
        "\"generatedAt\" : \"2026-11-28T12:00:00Z\"");
    if (Boolean.getBoolean("capaudit.updateGolden") || !Files.exists(GOLDEN)) {
      Files.createDirectories(GOLDEN.getParent());
      Files.writeString(GOLDEN, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual).isEqualTo(Files.readString(GOLDEN));
    JsonNode report = new ObjectMapper().readTree(actual);
    assertThat(report.at("/targets/0/origin/node").asText()).isEqualTo("node-a");
    assertThat(report.at("/targets/0/notes/0").asText())
        .isEqualTo("node 'node-a' taken from the report's file name node-a.json: the report names no node");
  }

  @Test
  void the_same_name_on_two_nodes_stays_two_targets() throws IOException {
    Path a = node("node-a", "nemoclaw-sandbox", "setpriv-sysadmin-regression-0x200100");
    Path b = node("node-b", "nemoclaw-sandbox", "setpriv-sysadmin-regression-0x200100");
    Path merged = temp.resolve("fleet.json");

    CliRunner.run("merge", a.toString(), b.toString(), "--json", merged.toString(), "--quiet");

    JsonNode targets = new ObjectMapper().readTree(merged.toFile()).path("targets");
    assertThat(targets).hasSize(2);
    assertThat(targets).extracting(t -> t.at("/origin/node").asText()).containsExactlyInAnyOrder("node-a", "node-b");
  }

  @Test
  void reports_of_different_policies_need_a_policy_to_judge_them_again() {
    Path a = node("node-a", "nemoclaw-sandbox", "cis-defaults-net-raw");
    Path b = node("node-b", "cis-docker", "cis-defaults-net-raw");

    CliRunner refused = CliRunner.run("merge", a.toString(), b.toString());
    CliRunner rejudged = CliRunner.run("merge", a.toString(), b.toString(), "--policy", "k8s-restricted", "--quiet");

    assertThat(refused.exitCode).isEqualTo(2);
    assertThat(refused.err).contains("was judged by policy 'cis-docker'").contains("pass --policy");
    assertThat(rejudged.exitCode).isEqualTo(4);
  }

  @Test
  void a_merged_report_works_as_a_baseline_and_in_diff() throws IOException {
    Path a = node("node-a", "nemoclaw-sandbox", "setpriv-sysadmin-regression-0x200100");
    Path b = node("node-b", "nemoclaw-sandbox", "setpriv-setuid-regression-0x180");
    Path merged = temp.resolve("fleet.json");
    CliRunner.run("merge", a.toString(), b.toString(), "--json", merged.toString(), "--quiet");

    CliRunner again = CliRunner.run("merge", a.toString(), b.toString(), "--baseline", merged.toString(),
        "--fail-on", "new");
    CliRunner diff = CliRunner.run("diff", merged.toString(), merged.toString());

    assertThat(again.exitCode).isZero();
    assertThat(again.out).contains("0 new, 3 existing, 0 fixed");
    assertThat(diff.out).startsWith("0 new, 0 fixed, 3 existing");
  }

  @Test
  void a_report_of_schema_version_1_is_refused() throws IOException {
    Path v1 = temp.resolve("v1.json");
    Files.writeString(v1, "{\"schemaVersion\": 1, \"targets\": []}");

    CliRunner run = CliRunner.run("merge", v1.toString());

    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.err).contains("is a schema version 1 report");
  }
}
