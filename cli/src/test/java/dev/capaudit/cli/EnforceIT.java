package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** capaudit enforce against a real engine: recreate, verify, roll back, survive interruption, emit fixes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EnforceIT {
  private DockerHarness docker;

  @TempDir
  Path temp;

  @BeforeAll
  void engine() {
    docker = DockerHarness.start();
  }

  @AfterAll
  void removeEverything() {
    if (docker != null) {
      docker.close();
      // Replacements and backups carry the original's labels, so the run label finds them all.
      DockerHarness.leftovers(docker.runId()).forEach(id -> docker.docker("rm", "-f", "-v", id));
      assertThat(DockerHarness.leftovers(docker.runId())).isEmpty();
    }
  }

  /** A root workload under Docker's defaults with a named and an anonymous volume holding random data. */
  private String workloadWithData(String name) {
    String volume = "capaudit-it-" + docker.runId() + "-" + name;
    String container = docker.run(name, "-v", volume + ":/named", "-v", "/anon", "--label", "app=demo",
        "--entrypoint", "sleep", DockerHarness.IMAGE, "1000000");
    docker.docker("exec", container, "sh", "-c",
        "head -c 65536 /dev/urandom > /named/data; head -c 65536 /dev/urandom > /anon/data");
    return container;
  }

  private String checksums(String container) {
    return docker.docker("exec", container, "md5sum", "/named/data", "/anon/data");
  }

  private String idOf(String container) {
    return docker.docker("inspect", "-f", "{{.Id}}", container).strip();
  }

  @Test
  void enforcing_keeps_the_data_passes_the_audit_and_keeps_a_backup() {
    String container = workloadWithData("enforce-data");
    String before = checksums(container);
    String oldId = idOf(container);

    CliRunner run = CliRunner.run("enforce", "--policy", "cis-docker", "--apply", container);

    assertThat(run.exitCode).as(run.out + run.err).isZero();
    assertThat(run.out).contains("step 3: renamed the original to " + container + ".capaudit-backup-")
        .contains("re-audited the replacement: pass").contains(container + ": applied");
    assertThat(idOf(container)).isNotEqualTo(oldId);
    assertThat(checksums(container)).as("data intact, byte for byte").isEqualTo(before);
    assertThat(docker.docker("inspect", "-f", "{{.HostConfig.CapDrop}} {{.Config.Labels.app}}", container).strip())
        .isEqualTo("[ALL] demo");
    assertThat(docker.docker("ps", "-a", "--filter", "id=" + oldId, "--format", "{{.Names}}").strip())
        .startsWith(container + ".capaudit-backup-");
  }

  @Test
  void enforcing_twice_is_a_no_op() {
    String container = workloadWithData("enforce-twice");
    CliRunner.run("enforce", "--policy", "cis-docker", "--apply", "--remove-backup", container);
    String id = idOf(container);

    CliRunner again = CliRunner.run("enforce", "--policy", "cis-docker", "--apply", container);

    assertThat(again.exitCode).isZero();
    assertThat(again.out).contains("already complies").contains(container + ": unchanged");
    assertThat(idOf(container)).isEqualTo(id);
  }

  @Test
  void a_workload_that_needs_a_dropped_capability_is_rolled_back() {
    // The workload checks every 200 ms that it still holds CAP_NET_RAW (bit 13) and exits 3 without it.
    String container = docker.run("needs-net-raw", "--entrypoint", "sh", DockerHarness.IMAGE, "-c",
        "while :; do eff=$(grep CapEff /proc/self/status | cut -f2); [ $(( 0x$eff >> 13 & 1 )) = 1 ] || exit 3;"
            + " sleep 0.2; done");
    String oldId = idOf(container);

    CliRunner run = CliRunner.run("enforce", "--policy", "cis-docker", "--apply", "--grace", "5", container);

    assertThat(run.exitCode).isEqualTo(4);
    assertThat(run.out).contains("verification failed").contains("renamed " + container + ".capaudit-backup-")
        .contains("started the original again").contains(container + ": rolled back");
    assertThat(idOf(container)).isEqualTo(oldId);
    assertThat(docker.docker("inspect", "-f", "{{.State.Running}}", container).strip()).isEqualTo("true");
  }

  @ParameterizedTest(name = "killed after step {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5})
  void killing_the_process_between_steps_never_leaves_the_name_empty(int step) throws Exception {
    String container = workloadWithData("enforce-kill-" + step);

    int exit = capauditProcess(Map.of("CAPAUDIT_ENFORCE_HALT_AFTER_STEP", Integer.toString(step)), "enforce",
        "--policy", "cis-docker", "--apply", container);

    assertThat(exit).as("the simulated crash").isEqualTo(99);
    assertThat(DockerHarness.run(List.of("docker", "inspect", container), 30).exitCode())
        .as("a container holds the name %s after a crash at step %d", container, step).isZero();
    // A later run completes (or recovers) the enforcement.
    CliRunner again = CliRunner.run("enforce", "--policy", "cis-docker", "--apply", container);
    assertThat(again.exitCode).as(again.out + again.err).isZero();
  }

  @Test
  void the_entrypoint_shim_makes_the_workload_pass_under_the_permissive_runtime() throws Exception {
    String source = docker.run("shim-source", "--entrypoint", "sleep", DockerHarness.IMAGE, "1000000");
    CliRunner emitted = CliRunner.run("enforce", "--policy", "nemoclaw-sandbox", "--emit", "entrypoint", source);
    String shim = emitted.out.substring(emitted.out.indexOf("#!/bin/sh"),
        emitted.out.indexOf("# ---- Dockerfile lines"));
    Path context = Files.createDirectories(temp.resolve("shim"));
    Files.writeString(context.resolve("capaudit-entrypoint.sh"), shim);
    Files.writeString(context.resolve("Dockerfile"), "FROM " + DockerHarness.IMAGE + "\n"
        + "COPY capaudit-entrypoint.sh /usr/local/bin/capaudit-entrypoint.sh\n"
        + "RUN [\"/bin/chmod\", \"0755\", \"/usr/local/bin/capaudit-entrypoint.sh\"]\n"
        + "ENV CAPAUDIT_RUN_AS=sandbox\nENTRYPOINT [\"/usr/local/bin/capaudit-entrypoint.sh\"]\n"
        + "CMD [\"sleep\", \"1000000\"]\n");
    String image = "capaudit-test-shim:" + docker.runId();
    DockerHarness.Result built = DockerHarness.run(List.of("env", "DOCKER_BUILDKIT=0", "docker", "build",
        "--network", "none", "-q", "-t", image, context.toString()), 120);
    assertThat(built.exitCode()).as(built.output()).isZero();
    Path json = temp.resolve("shim.json");

    try {
      CliRunner.run("image", "--policy", "nemoclaw-sandbox", "--profile", "permissive", "--json", json.toString(),
          image);
      LiveReport report = new LiveReport(0, new ObjectMapper().readTree(
          json.toFile()), "", "");
      var target = report.root().at("/targets/0");
      assertThat(LiveReport.process(target, 1).path("uid").asInt()).isEqualTo(1000);
      assertThat(LiveReport.process(target, 1).at("/sets/bounding").asText()).isEqualTo("0x100");
      assertThat(LiveReport.findings(target)).as("the workload's processes pass")
          .noneMatch(f -> f.contains(" process "));
    } finally {
      DockerHarness.run(List.of("docker", "rmi", "-f", image), 60);
    }
  }

  @Test
  void emits_a_compose_override_for_the_compose_service() {
    String container = docker.run("compose-like", "--label", "com.docker.compose.service=agent",
        "--entrypoint", "sleep", DockerHarness.IMAGE, "1000000");

    CliRunner run = CliRunner.run("enforce", "--policy", "nemoclaw-sandbox", "--emit", "compose", "--emit", "run",
        "--emit", "k8s", "--no-new-privileges", container);

    assertThat(run.out).contains("services:\n  agent:\n    cap_drop:\n    - ALL\n    cap_add:\n    - CHOWN\n")
        .contains("    security_opt:\n    - no-new-privileges:true")
        .contains("--cap-drop ALL --cap-add CHOWN --cap-add FOWNER --cap-add KILL --cap-add SETGID --cap-add SETUID"
            + " --cap-add SETPCAP --security-opt no-new-privileges")
        .contains("  allowPrivilegeEscalation: false\n  capabilities:\n    drop:\n    - ALL");
  }

  private int capauditProcess(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("java", "-jar",
        RepoPaths.root().resolve("cli/target/capaudit.jar").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(temp.resolve("process.log").toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("capaudit did not finish: " + Files.readString(temp.resolve("process.log")));
    }
    return process.exitValue();
  }
}
