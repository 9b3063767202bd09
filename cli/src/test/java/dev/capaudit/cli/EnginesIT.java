package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many engines in one run: the local engine, a second real dockerd on 127.0.0.1 with mutual TLS, and an address
 * nothing listens on; certificate problems named by file; a remote engine read through its containers.
 */
class EnginesIT {
  @TempDir
  static Path shared;

  @TempDir
  Path temp;

  private static SecondEngine remote;
  private DockerHarness local;
  private final String runId = UUID.randomUUID().toString().substring(0, 8);
  private final List<String> remoteContainers = new ArrayList<>();

  @BeforeAll
  static void startSecondEngine() throws IOException {
    DockerHarness.start().close(); // the local engine answers and the test image exists
    remote = SecondEngine.start(shared.resolve("engine"));
  }

  @AfterAll
  static void stopSecondEngine() {
    if (remote != null) {
      remote.close();
    }
  }

  @BeforeEach
  void start() {
    local = DockerHarness.start();
  }

  @AfterEach
  void stop() {
    remoteContainers.forEach(name -> remote.docker("rm", "-f", name));
    local.close();
  }

  private String onRemote(String name, String... args) {
    String unique = name + "-" + runId;
    List<String> command = new ArrayList<>(List.of("run", "-d", "--name", unique, "--label", "capaudit.it=" + runId));
    command.addAll(List.of(args));
    DockerHarness.Result run = remote.docker(command.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.output()).isZero();
    remoteContainers.add(unique);
    return unique;
  }

  private static int nothingListening() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private JsonNode scan(List<String> args) throws IOException {
    Path json = temp.resolve("engines-" + System.nanoTime() + ".json");
    List<String> all = new ArrayList<>(List.of("scan", "--policy", "cis-docker", "--json", json.toString()));
    all.addAll(args);
    CliRunner run = CliRunner.run(all.toArray(String[]::new));
    assertThat(json).as("stderr: %s", run.err).exists();
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    ((ObjectNode) report).put("exitCode", run.exitCode);
    return report;
  }

  private static List<JsonNode> targets(JsonNode report) {
    return StreamSupport.stream(report.path("targets").spliterator(), false).toList();
  }

  @Test
  void one_run_audits_every_engine_and_one_that_is_down_is_an_error_target_of_its_own() throws IOException {
    String name = "twin-" + runId;
    local.docker("run", "-d", "--name", name, "--label", "capaudit.it=" + runId, "--cap-drop", "ALL", "--user", "1000",
        "--entrypoint", "sleep", DockerHarness.IMAGE, "1000000");
    onRemote("twin", "--cap-drop", "ALL", "--user", "1000", "--entrypoint", "sleep", DockerHarness.IMAGE, "1000000");
    String dead = "tcp://127.0.0.1:" + nothingListening();
    List<String> args = new ArrayList<>(List.of("--host", "unix:///var/run/docker.sock", "--host", remote.address(),
        "--host", dead, "--connect-timeout", "2", "--read-timeout", "5", "--label", "capaudit.it=" + runId));
    args.addAll(remote.tls());

    JsonNode report;
    try {
      report = scan(args);
    } finally {
      local.docker("rm", "-f", name);
    }

    List<JsonNode> twins = targets(report).stream().filter(t -> t.path("name").asText().startsWith("twin-"))
        .toList();
    assertThat(twins).as("the same name on two engines is two targets").hasSize(2)
        .extracting(t -> t.at("/origin/engine").asText())
        .containsExactlyInAnyOrder("unix:///var/run/docker.sock", remote.address());
    assertThat(twins).allSatisfy(t -> assertThat(t.path("verdict").asText()).isEqualTo("pass"));
    JsonNode down = targets(report).stream().filter(t -> t.path("kind").asText().equals("engine")).findFirst()
        .orElseThrow();
    assertThat(down.path("name").asText()).isEqualTo(dead);
    assertThat(down.path("verdict").asText()).isEqualTo("error");
    assertThat(down.path("errors").toString()).contains(dead).contains("Connection refused");
    assertThat(report.path("exitCode").asInt()).as("nothing failed but an engine was unreadable").isEqualTo(5);
  }

  @Test
  void certificate_problems_exit_1_saying_so_and_naming_the_file() {
    Path certs = remote.certs;
    CliRunner wrongCa = CliRunner.run("scan", "--host", remote.address(), "--all", "--tlscacert",
        certs.resolve("other-ca.pem").toString(), "--tlscert", certs.resolve("cert.pem").toString(), "--tlskey",
        certs.resolve("key.pem").toString());
    CliRunner missing = CliRunner.run("scan", "--host", remote.address(), "--all", "--tlscacert",
        certs.resolve("ca.pem").toString(), "--tlscert", certs.resolve("absent.pem").toString(), "--tlskey",
        certs.resolve("key.pem").toString());
    CliRunner expired = CliRunner.run("scan", "--host", remote.address(), "--all", "--tlscacert",
        certs.resolve("ca.pem").toString(), "--tlscert", certs.resolve("expired.pem").toString(), "--tlskey",
        certs.resolve("expired-key.pem").toString());
    CliRunner plain = CliRunner.run("scan", "--host", remote.address(), "--all");

    assertThat(wrongCa.exitCode).isEqualTo(1);
    assertThat(wrongCa.err).contains("certificate problem").contains("not signed by the CA in")
        .contains("other-ca.pem");
    assertThat(missing.exitCode).isEqualTo(1);
    assertThat(missing.err).contains("certificate problem").contains("absent.pem")
        .contains("No such file or directory");
    assertThat(expired.exitCode).isEqualTo(1);
    assertThat(expired.err).contains("certificate problem").contains("expired.pem").contains("expired");
    assertThat(plain.exitCode).isEqualTo(1);
    assertThat(plain.err).contains("the engine speaks TLS");
    for (CliRunner run : List.of(wrongCa, missing, expired, plain)) {
      assertThat(run.err).doesNotContain("Exception").doesNotContain("\tat ");
    }
  }

  @Test
  void a_remote_engine_without_the_hosts_proc_is_read_through_its_containers_and_says_how_far_to_trust_it()
      throws IOException {
    String container = onRemote("remote-agent", "--cap-add", "SYS_ADMIN", DockerHarness.IMAGE);
    DockerHarness.sleep(2000);
    List<String> args = new ArrayList<>(List.of("--host", remote.address(), "--proc-root", "/nonexistent",
        container));
    args.addAll(remote.tls());

    JsonNode target = scan(args).path("targets").get(0);

    assertThat(target.at("/origin/engine").asText()).isEqualTo(remote.address());
    assertThat(target.at("/processes/0/source").asText()).isEqualTo("container-exec");
    assertThat(target.at("/exec/0/source").asText()).isEqualTo("exec-probe");
    assertThat(target.path("notes").toString()).contains("container's own sh and cat");
    assertThat(target.path("verdict").asText()).isEqualTo("fail");
  }

  @Test
  void an_engine_that_is_in_fact_on_this_host_is_read_from_the_hosts_proc_and_its_spec() throws IOException {
    String container = onRemote("remote-local", "--cap-add", "SYS_ADMIN", "--entrypoint", "sleep",
        DockerHarness.IMAGE, "1000000");
    DockerHarness.sleep(1000);
    List<String> args = new ArrayList<>(List.of("--host", remote.address(), container));
    args.addAll(remote.tls());

    JsonNode target = scan(args).path("targets").get(0);

    assertThat(target.at("/processes/0/source").asText()).isEqualTo("host-proc");
    assertThat(target.at("/exec/0/source").asText()).isEqualTo("oci-spec");
    assertThat(target.at("/config/boundingSet").asText()).isEqualTo("0xa82425fb");
  }

  @Test
  void the_image_gate_and_enforce_work_against_the_remote_engine() throws IOException {
    List<String> image = new ArrayList<>(List.of("image", DockerHarness.IMAGE, "--host", remote.address(),
        "--policy", "nemoclaw-sandbox", "--profile", "docker-default"));
    image.addAll(remote.tls());
    CliRunner gate = CliRunner.run(image.toArray(String[]::new));
    String victim = onRemote("enforced", "--entrypoint", "sleep", DockerHarness.IMAGE, "1000000");
    List<String> enforce = new ArrayList<>(List.of("enforce", victim, "--host", remote.address(), "--policy",
        "cis-docker", "--apply", "--grace", "2"));
    enforce.addAll(remote.tls());
    CliRunner applied = CliRunner.run(enforce.toArray(String[]::new));

    assertThat(gate.exitCode).as(gate.err).isIn(0, 4);
    assertThat(remote.docker("ps", "-aq", "--filter", "label=capaudit.gate").output()).as("the gate cleaned up")
        .isBlank();
    assertThat(applied.exitCode).as(applied.out + applied.err).isZero();
    assertThat(remote.docker("inspect", "-f", "{{json .HostConfig.CapDrop}}", victim).output()).contains("ALL");
    remote.docker("ps", "-aq", "--filter", "name=" + victim).output().lines().filter(l -> !l.isBlank())
        .forEach(id -> remote.docker("rm", "-f", id));
  }

  @Test
  void all_contexts_audits_the_engine_of_every_docker_context_named_by_context() throws Exception {
    Path config = temp.resolve("docker-config");
    context(config, "here", "unix:///var/run/docker.sock", null);
    context(config, "secure", remote.address(), remote.certs);
    String name = "ctx-" + runId;
    local.docker("run", "-d", "--name", name, "--label", "capaudit.it=" + runId, "--entrypoint", "sleep",
        DockerHarness.IMAGE, "1000000");
    onRemote("ctx", "--entrypoint", "sleep", DockerHarness.IMAGE, "1000000");
    Path json = temp.resolve("contexts.json");

    DockerHarness.Result run;
    try {
      run = CapauditProcess.run(Map.of("DOCKER_CONFIG", config.toString()), "scan", "--all-contexts", "--label",
          "capaudit.it=" + runId, "--policy", "cis-docker", "--json", json.toString());
    } finally {
      local.docker("rm", "-f", name);
    }

    assertThat(json).as(run.output()).exists();
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertThat(targets(report)).extracting(t -> t.at("/origin/engine").asText())
        .containsExactlyInAnyOrder("here", "secure");
  }

  /** A docker context as the docker CLI stores it, with its TLS material when given. */
  private static void context(Path config, String name, String host, Path tls) throws Exception {
    String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(name.getBytes(StandardCharsets.UTF_8)));
    Path meta = Files.createDirectories(config.resolve("contexts/meta").resolve(hash));
    Files.writeString(meta.resolve("meta.json"), "{\"Name\":\"" + name + "\",\"Metadata\":{},\"Endpoints\":"
        + "{\"docker\":{\"Host\":\"" + host + "\",\"SkipTLSVerify\":false}}}");
    if (tls != null) {
      Path dir = Files.createDirectories(config.resolve("contexts/tls").resolve(hash).resolve("docker"));
      for (String file : List.of("ca.pem", "cert.pem", "key.pem")) {
        Files.copy(tls.resolve(file), dir.resolve(file));
      }
    }
  }

}
