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
    assertThat(Files.readString(temp.resolve("r.xml"))).contains("<testsuites").contains("CAP_SYS_ADMIN");
    assertThat(new ObjectMapper().readTree(temp.resolve("r.sarif").toFile()).path("version").asText())
        .isEqualTo("2.1.0");
    assertThat(Files.readString(temp.resolve("r.md"))).contains("## CAP\\_SYS\\_ADMIN still present in CapBnd");
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
    assertThat(report.at("/baseline/name").asText()).isEqualTo(baseline.toString());
  }

  @Test
  void a_new_finding_against_the_baseline_fails_and_a_vanished_one_is_fixed() throws IOException {
    // The baseline is the setuid regression (CAP_SETUID); the new run is the sys_admin regression.
    Path baseline = temp.resolve("baseline.json");
    CliRunner.run("scan", "--policy", "nemoclaw-sandbox", "--snapshot",
        CASES.resolve("setpriv-setuid-regression-0x180/snapshot.yaml").toString(), "--json", baseline.toString());
    Path now = temp.resolve("now.json");

    CliRunner run = CliRunner.run("scan", "--policy", "nemoclaw-sandbox", "--snapshot", REGRESSION, "--baseline",
        baseline.toString(), "--fail-on", "new", "--json", now.toString());

    assertThat(run.exitCode).isEqualTo(4);
    JsonNode report = new ObjectMapper().readTree(now.toFile());
    assertThat(report.at("/targets/0/findings/0/status").asText()).isEqualTo("new");
    assertThat(report.at("/baseline/fixed/0/capability").asText()).isEqualTo("CAP_SETUID");
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
        .contains("new   high   must-drop-present CAP_SYS_ADMIN in bounding pid=1 of snapshot:agent-sysadmin-regression");
    assertThat(backward.exitCode).isZero();
    assertThat(backward.out).startsWith("0 new, 2 fixed, 0 existing finding(s)");
  }
}
