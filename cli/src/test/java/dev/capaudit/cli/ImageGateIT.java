package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** capaudit image against a real engine: the seeds' entrypoint under each runtime profile. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageGateIT {
  private static final String[] SIX = {"--cap-add", "CHOWN", "--cap-add", "FOWNER", "--cap-add", "KILL",
      "--cap-add", "SETGID", "--cap-add", "SETUID", "--cap-add", "SETPCAP"};

  @TempDir
  Path temp;

  @BeforeAll
  void engine() {
    DockerHarness.start().close();
  }

  @AfterEach
  void no_gate_container_is_left_behind() {
    String left = DockerHarness.run(List.of("docker", "ps", "-aq", "--filter", "label=capaudit.gate"), 30).output();
    assertThat(left.strip()).as("capaudit image must always remove its container").isEmpty();
  }

  private LiveReport gate(String... args) throws IOException {
    Path json = temp.resolve("gate-" + System.nanoTime() + ".json");
    List<String> all = new ArrayList<>(List.of("image", "--json", json.toString()));
    all.addAll(List.of(args));
    CliRunner run = CliRunner.run(all.toArray(String[]::new));
    assertThat(json).as("JSON report; stderr: %s", run.err).exists();
    return new LiveReport(run.exitCode, new ObjectMapper().readTree(json.toFile()),
        run.out, run.err);
  }

  private static JsonNode only(LiveReport report) {
    return report.root().at("/targets/0");
  }

  @Test
  void a_correct_entrypoint_passes_from_nothing_plus_the_six_load_bearing() throws IOException {
    List<String> args = new ArrayList<>(List.of("--policy", "nemoclaw-sandbox", "--profile", "none"));
    args.addAll(List.of(SIX));
    args.add(DockerHarness.IMAGE);

    LiveReport report = gate(args.toArray(String[]::new));

    JsonNode target = only(report);
    assertThat(target.path("findings")).isEmpty();
    assertThat(target.path("verdict").asText()).isEqualTo("pass");
    assertThat(target.path("kind").asText()).isEqualTo("image");
    assertThat(target.at("/gate/startingSet").asText()).isEqualTo("0x1e9");
    assertThat(LiveReport.process(target, 1).at("/sets/bounding").asText()).isEqualTo("0x100");
    assertThat(target.at("/gate/log").asText()).contains("stage1 CapBnd=00000000000001e9");
    assertThat(report.exitCode()).isZero();
  }

  @Test
  void the_same_image_fails_under_the_permissive_runtime_on_the_exec_view() throws IOException {
    LiveReport report = gate("--policy", "nemoclaw-sandbox", DockerHarness.IMAGE);

    JsonNode target = only(report);
    assertThat(report.exitCode()).isEqualTo(4);
    assertThat(target.at("/gate/profile").asText()).isEqualTo("permissive");
    assertThat(LiveReport.process(target, 1).at("/sets/bounding").asText()).isEqualTo("0x100");
    assertThat(LiveReport.findings(target)).contains("must-drop-present exec user=0 bounding CAP_SYS_ADMIN")
        .noneMatch(f -> f.contains(" process "));
  }

  @Test
  void sys_admin_missing_from_the_drop_list_fails_on_pid_1() throws IOException {
    LiveReport report = gate("--policy", "nemoclaw-sandbox", "--env", "DROP=cap_sys_ptrace,cap_net_raw,"
        + "cap_dac_override,cap_sys_chroot,cap_fsetid,cap_setfcap,cap_mknod,cap_audit_write,cap_net_bind_service",
        DockerHarness.IMAGE);

    JsonNode target = only(report);
    assertThat(LiveReport.process(target, 1).at("/sets/bounding").asText()).isEqualTo("0x200100");
    assertThat(LiveReport.findings(target)).contains("must-drop-present process pid=1 bounding CAP_SYS_ADMIN");
  }

  @Test
  void an_entrypoint_that_exits_1_is_an_error_with_its_log() throws IOException {
    List<String> args = new ArrayList<>(List.of("--policy", "nemoclaw-sandbox", "--profile", "none"));
    args.addAll(List.of(SIX));
    args.addAll(List.of(DockerHarness.IMAGE, "--", "sh", "-c", "echo boom >&2; exit 1"));

    LiveReport report = gate(args.toArray(String[]::new));

    JsonNode target = only(report);
    assertThat(target.path("verdict").asText()).isEqualTo("error");
    assertThat(target.at("/gate/exitCode").asInt()).isEqualTo(1);
    assertThat(target.at("/gate/log").asText()).contains("boom");
    assertThat(target.path("errors").toString()).contains("exited with code 1");
    assertThat(report.exitCode()).isEqualTo(5);
  }

  @Test
  void an_entrypoint_that_never_settles_is_an_error() throws IOException {
    // The workload starts a new process every 200 ms, so its process tree never holds still.
    List<String> args = new ArrayList<>(List.of("--policy", "nemoclaw-sandbox", "--profile", "none", "--timeout",
        "3"));
    args.addAll(List.of(SIX));
    args.addAll(List.of(DockerHarness.IMAGE, "--", "sh", "-c", "while :; do sleep 0.2; done"));

    LiveReport report = gate(args.toArray(String[]::new));

    JsonNode target = only(report);
    assertThat(target.path("verdict").asText()).isEqualTo("error");
    assertThat(target.path("errors").toString()).contains("did not settle within 3 s");
  }

  @Test
  void a_file_capability_binary_is_a_regain_path_for_a_non_root_process() throws IOException {
    LiveReport report = gate("--policy", "cis-docker", "--profile", "docker-default", "--user", "1000",
        DockerHarness.FILE_CAP_IMAGE, "--", "/bin/sleep", "1000000");

    JsonNode target = only(report);
    assertThat(target.at("/gate/privilegedFiles/0/path").asText()).isEqualTo("/bin/netraw-tool");
    assertThat(target.at("/gate/privilegedFiles/0/fileCapabilities").asText()).isEqualTo("0x2000");
    assertThat(LiveReport.process(target, 1).at("/sets/bounding").asText()).isEqualTo("0xa80425fb");
    assertThat(LiveReport.findings(target)).contains("regain-binary process pid=1 bounding CAP_NET_RAW");
    assertThat(target.path("findings").toString()).contains("by executing /bin/netraw-tool");
  }

  @Test
  void an_interrupted_gate_still_removes_its_container() throws Exception {
    Path jar = RepoPaths.root().resolve("cli/target/capaudit.jar");
    Process gate = new ProcessBuilder("java", "-jar", jar.toString(), "image", "--settle", "60",
        DockerHarness.IMAGE).redirectErrorStream(true).redirectOutput(temp.resolve("gate.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (gateContainers().isEmpty() && System.nanoTime() < deadline) {
      DockerHarness.sleep(100);
    }
    assertThat(gateContainers()).as("the gate started its container").isNotEmpty();

    gate.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the JVM runs its shutdown hooks
    gate.waitFor(30, TimeUnit.SECONDS);

    assertThat(gateContainers()).as("removed by the shutdown hook").isEmpty();
  }

  private static String gateContainers() {
    return DockerHarness.run(List.of("docker", "ps", "-aq", "--filter", "label=capaudit.gate"), 30).output()
        .strip();
  }
}
