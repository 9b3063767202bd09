package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Podman through its Docker-compatible API: judged by its own defaults (11 capabilities), its ambient capabilities
 * for a non-root user, and driven by the image gate and enforce like Docker.
 */
class PodmanIT {
  static final String PODMAN = "unix:///run/podman/podman.sock";

  @TempDir
  Path temp;

  private DockerHarness docker;
  private Runtimes runtimes;

  @BeforeEach
  void start() {
    docker = DockerHarness.start();
    runtimes = Runtimes.start();
  }

  @AfterEach
  void stop() {
    if (runtimes != null) {
      runtimes.close();
    }
    docker.close();
  }

  private LiveReport scan(String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of("--host", PODMAN, "--policy", "cis-docker"));
    all.addAll(List.of(args));
    return LiveReport.scan(temp.resolve("podman-" + System.nanoTime() + ".json"), all.toArray(String[]::new));
  }

  @Test
  void podman_containers_are_judged_by_podmans_own_capabilities_not_dockers_defaults() throws IOException {
    runtimes.podman("pm-defaults", "--entrypoint", "sleep", Runtimes.PODMAN_IMAGE, "1000000");
    runtimes.podman("pm-ambient", "--user", "1000", "--cap-add", "NET_BIND_SERVICE", "--entrypoint", "sleep",
        Runtimes.PODMAN_IMAGE, "1000000");
    DockerHarness.sleep(1000);

    LiveReport report = scan("--label", "capaudit.it=" + runtimes.runId());

    JsonNode defaults = report.target("pm-defaults-" + runtimes.runId());
    assertThat(defaults.at("/origin/runtime").asText()).isEqualTo("podman");
    assertThat(defaults.at("/config/boundingSet").asText()).as("11 defaults: no NET_RAW, MKNOD, AUDIT_WRITE")
        .isEqualTo("0x800405fb");
    assertThat(defaults.path("verdict").asText()).isEqualTo("pass");
    JsonNode ambient = report.target("pm-ambient-" + runtimes.runId());
    assertThat(LiveReport.process(ambient, 1).at("/sets/ambient").asText()).isEqualTo("0x400");
    assertThat(LiveReport.findings(ambient)).anyMatch(f -> f.startsWith("ambient-on-non-root process")
        && f.endsWith("CAP_NET_BIND_SERVICE"));
  }

  @Test
  void the_image_gate_and_enforce_drive_podman_as_they_drive_docker() {
    // The engine's defaults are Podman's own 11: only the NET_RAW added here is a finding.
    CliRunner defaults = CliRunner.run("image", Runtimes.PODMAN_IMAGE, "--host", PODMAN, "--policy", "cis-docker",
        "--profile", "docker-default", "--", "sleep", "1000000");
    CliRunner gate = CliRunner.run("image", Runtimes.PODMAN_IMAGE, "--host", PODMAN, "--policy", "cis-docker",
        "--profile", "docker-default", "--cap-add", "NET_RAW", "--", "sleep", "1000000");
    String victim = "pm-enforced-" + runtimes.runId();
    runtimes.podman("pm-enforced", "--cap-add", "SYS_ADMIN", "--entrypoint", "sleep", Runtimes.PODMAN_IMAGE,
        "1000000");
    CliRunner applied = CliRunner.run("enforce", victim, "--host", PODMAN, "--policy", "cis-docker", "--apply",
        "--grace", "2", "--remove-backup");

    assertThat(defaults.exitCode).as(defaults.out + defaults.err).isZero();
    assertThat(gate.exitCode).as(gate.out + gate.err).isEqualTo(4);
    assertThat(gate.out).contains("CAP_NET_RAW");
    assertThat(DockerHarness.run(List.of("podman", "ps", "-aq", "--filter", "label=capaudit.gate"), 30).output())
        .as("the gate removed its container").isBlank();
    assertThat(applied.exitCode).as(applied.out + applied.err).isZero();
    assertThat(DockerHarness.run(List.of("podman", "inspect", "-f", "{{.EffectiveCaps}}", victim), 30).output())
        .doesNotContain("CAP_SYS_ADMIN");
    DockerHarness.run(List.of("sh", "-c", "podman ps -aq --filter name=" + victim + " | xargs -r podman rm -f -t 0"),
        60);
  }
}
