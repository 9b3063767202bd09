package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsCliTest {
  private static final Path CASES = RepoPaths.root().resolve("samples/cases");
  private static final String REGRESSION = CASES.resolve("setpriv-sysadmin-regression-0x200100/snapshot.yaml")
      .toString();
  private static final String FIXED = CASES.resolve("agent-fixed-0x100/snapshot.yaml").toString();
  private static final String SETUID = CASES.resolve("setpriv-setuid-regression-0x180/snapshot.yaml").toString();

  @TempDir
  Path temp;

  @Test
  void one_scan_writes_all_five_formats() throws IOException {
    CliRunner run = CliRunner.run("scan", "--policy", "nemoclaw-sandbox", "--snapshot", REGRESSION,
        "--json", temp.resolve("r.json").toString(), "--html", temp.resolve("r.html").toString(),
        "--junit", temp.resolve("r.xml").toString(), "--sarif", temp.resolve("r.sarif").toString(),
        "--markdown", temp.resolve("r.md").toString());

    assertThat(run.exitCode).as(run.err).isEqualTo(4);
    assertThat(Files.readString(temp.resolve("r.json"))).contains("\"capability\" : \"CAP_SYS_ADMIN\"");
    assertThat(Files.readString(temp.resolve("r.html"))).startsWith("<!DOCTYPE html>").contains("0x200100");
    assertThat(Files.readString(temp.resolve("r.xml"))).contains("<testsuite").contains("CAP_SYS_ADMIN");
    assertThat(new ObjectMapper().readTree(temp.resolve("r.sarif").toFile()).path("version").asText())
        .isEqualTo("2.1.0");
    assertThat(Files.readString(temp.resolve("r.md"))).contains("## CAP\\_SYS\\_ADMIN in CapBnd");
  }

  @Test
  void format_json_goes_to_standard_output_and_the_table_to_standard_error() throws IOException {
    CliRunner run = CliRunner.run("scan", "--policy", "nemoclaw-sandbox", "--snapshot", REGRESSION, "--format",
        "json");

    assertThat(run.exitCode).isEqualTo(4);
    assertThat(new ObjectMapper().readTree(run.out).path("schemaVersion").asInt()).isEqualTo(2);
    assertThat(run.err).contains("TARGET").contains("agent-sysadmin-regression");
    assertThat(Files.exists(Path.of("-"))).as("no file named '-'").isFalse();
  }

  @Test
  void json_dash_is_standard_output_and_o_writes_the_chosen_format() throws IOException {
    CliRunner dash = CliRunner.run("scan", "--policy", "nemoclaw-sandbox", "--snapshot", REGRESSION, "--json", "-");
    Path sarif = temp.resolve("out.sarif");
    CliRunner file = CliRunner.run("scan", "--policy", "nemoclaw-sandbox", "--snapshot", REGRESSION, "--format",
        "sarif", "-o", sarif.toString(), "--quiet");

    assertThat(new ObjectMapper().readTree(dash.out).at("/targets/0/name").asText())
        .isEqualTo("agent-sysadmin-regression");
    assertThat(new ObjectMapper().readTree(sarif.toFile()).path("version").asText()).isEqualTo("2.1.0");
    assertThat(file.out).isEmpty();
    assertThat(file.err).isEmpty();
    assertThat(file.exitCode).isEqualTo(4);
  }

  @Test
  void two_reports_on_standard_output_are_a_usage_error() {
    CliRunner run = CliRunner.run("scan", "--snapshot", FIXED, "--json", "-", "--format", "sarif");

    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.err).contains("only one report can go to standard output");
  }

  @Test
  void severity_sets_what_counts_towards_exit_4() {
    CliRunner medium = CliRunner.run("scan", "--policy", "nemoclaw-sandbox", "--snapshot", SETUID, "--quiet");
    CliRunner high = CliRunner.run("scan", "--policy", "nemoclaw-sandbox", "--snapshot", SETUID, "--severity",
        "high", "--quiet");
    CliRunner wrong = CliRunner.run("scan", "--snapshot", SETUID, "--severity", "fatal");

    assertThat(medium.exitCode).as("outside-allowed-context is medium").isEqualTo(4);
    assertThat(high.exitCode).isZero();
    assertThat(wrong.exitCode).isEqualTo(2);
    assertThat(wrong.err).contains("--severity must be high, medium, low or info");
  }

  @Test
  void with_a_baseline_only_new_findings_fail_when_asked() throws IOException {
    Path baseline = temp.resolve("baseline.json");
    CliRunner.run("scan", "--policy", "nemoclaw-sandbox", "--snapshot", REGRESSION, "--json", baseline.toString());
    Path again = temp.resolve("again.json");

    CliRunner run = CliRunner.run("scan", "--policy", "nemoclaw-sandbox", "--snapshot", REGRESSION, "--baseline",
        baseline.toString(), "--fail-on", "new", "--json", again.toString());

    assertThat(run.exitCode).as("nothing new").isZero();
    assertThat(run.out).contains("2 existing").contains("0 new");
    JsonNode report = new ObjectMapper().readTree(again.toFile());
    assertThat(report.at("/targets/0/findings/0/status").asText()).isEqualTo("existing");
    assertThat(report.at("/targets/0/findings/0/occurrences/0/status").asText()).isEqualTo("existing");
    assertThat(report.at("/baseline/name").asText()).isEqualTo(baseline.toString());
  }

  @Test
  void a_new_finding_against_the_baseline_fails_and_a_vanished_one_is_fixed() throws IOException {
    Path baseline = temp.resolve("baseline.json");
    CliRunner.run("scan", "--policy", "nemoclaw-sandbox", "--snapshot", SETUID, "--json", baseline.toString());
    Path now = temp.resolve("now.json");

    CliRunner run = CliRunner.run("scan", "--policy", "nemoclaw-sandbox", "--snapshot", REGRESSION, "--baseline",
        baseline.toString(), "--fail-on", "new", "--json", now.toString());

    assertThat(run.exitCode).isEqualTo(4);
    JsonNode report = new ObjectMapper().readTree(now.toFile());
    assertThat(report.at("/targets/0/findings/0/status").asText()).isEqualTo("new");
    assertThat(report.at("/baseline/fixed/0/capability").asText()).isEqualTo("CAP_SETUID");
  }

  @Test
  void a_malformed_or_duplicated_baseline_is_a_usage_error_without_a_stack_trace() throws IOException {
    Path broken = temp.resolve("broken.json");
    Files.writeString(broken, "{\"schemaVersion\": 2, \"targets\": [], \"targets\": []}");

    CliRunner run = CliRunner.run("scan", "--snapshot", FIXED, "--baseline", broken.toString());

    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.err).contains("Duplicate field 'targets'").doesNotContain("\tat ");
  }

  @Test
  void fail_on_new_without_a_baseline_is_a_usage_error() {
    CliRunner run = CliRunner.run("scan", "--snapshot", FIXED, "--fail-on", "new");

    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.err).contains("--fail-on new needs --baseline");
  }

  @Test
  void diff_prints_new_and_fixed_findings() throws IOException {
    Path old = temp.resolve("old.json");
    Path fresh = temp.resolve("new.json");
    CliRunner.run("scan", "--policy", "nemoclaw-sandbox", "--snapshot", FIXED, "--json", old.toString());
    CliRunner.run("scan", "--policy", "nemoclaw-sandbox", "--snapshot", REGRESSION, "--json", fresh.toString());

    CliRunner forward = CliRunner.run("diff", old.toString(), fresh.toString());
    CliRunner backward = CliRunner.run("diff", fresh.toString(), old.toString());

    assertThat(forward.exitCode).isEqualTo(4);
    assertThat(forward.out).startsWith("2 new, 0 fixed, 0 existing finding(s)")
        .contains("new   high   must-drop-present CAP_SYS_ADMIN in snapshot:agent-sysadmin-regression:"
            + " nonroot-process process sleep uid=1000");
    assertThat(backward.exitCode).isZero();
    assertThat(backward.out).startsWith("0 new, 2 fixed, 0 existing finding(s)");
  }

  @Test
  void diff_reads_a_schema_version_1_report_and_matches_it_by_name_and_uid() throws IOException {
    Path v1 = temp.resolve("v1.json");
    Files.writeString(v1, "{\"schemaVersion\": 1, \"targets\": [{\"kind\": \"snapshot\", \"name\":"
        + " \"agent-sysadmin-regression\", \"processes\": [{\"pid\": 7, \"name\": \"sleep\", \"euid\": 1000}],"
        + " \"findings\": [{\"rule\": \"must-drop-present\", \"severity\": \"high\", \"capability\": \"CAP_SYS_ADMIN\","
        + " \"context\": \"process\", \"policyContext\": \"nonroot-process\", \"pid\": 7, \"set\": \"bounding\"},"
        + " {\"rule\": \"regain-path\", \"severity\": \"high\", \"capability\": \"CAP_SYS_ADMIN\","
        + " \"context\": \"process\", \"policyContext\": \"nonroot-process\", \"pid\": 7, \"set\": \"bounding\"}]}]}");
    Path v2 = temp.resolve("v2.json");
    CliRunner.run("scan", "--policy", "nemoclaw-sandbox", "--snapshot", REGRESSION, "--json", v2.toString());

    CliRunner run = CliRunner.run("diff", v1.toString(), v2.toString());

    assertThat(run.out).as("pid 7 then, pid 1 now: the same sleep").startsWith("0 new, 0 fixed, 2 existing");
    assertThat(run.exitCode).isZero();
  }

  @Test
  void every_subcommand_help_lists_the_exit_codes_and_help_cmd_works() {
    for (String command : new String[] {"scan", "host", "image", "enforce", "diff", "merge", "decode", "rules"}) {
      CliRunner run = CliRunner.run(command, "--help");
      assertThat(run.out).as(command).contains("Exit Codes:").contains("4   at least one target violates");
    }
    CliRunner help = CliRunner.run("help", "diff");
    assertThat(help.exitCode).isZero();
    assertThat(help.out).contains("Usage: capaudit diff").contains("Exit Codes:");
  }

  @Test
  void version_names_the_commit_java_and_docker_java() {
    CliRunner run = CliRunner.run("--version");

    assertThat(run.exitCode).isZero();
    assertThat(run.out).containsPattern("capaudit \\S+ \\(commit \\S+\\)").contains("Java 17")
        .containsPattern("docker-java \\d+\\.\\d+");
  }

  @Test
  void rules_lists_the_risk_rank() {
    CliRunner run = CliRunner.run("rules");

    assertThat(run.out).contains("cap-add-all [high]").containsPattern("(?m)^\\s+1\\s+CAP_SYS_ADMIN")
        .containsPattern("(?m)^\\s+16\\s+CAP_NET_RAW");
  }
}
