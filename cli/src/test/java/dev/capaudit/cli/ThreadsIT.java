package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Capabilities are per thread: static helpers (testing/helpers) whose threads step down differently, read from the
 * host's /proc, through the exec fallback, and by the image gate.
 */
class ThreadsIT {
  static final String IMAGE = "capaudit-threads:latest";

  @TempDir
  Path temp;

  private DockerHarness docker;

  @BeforeEach
  void startEngine() {
    docker = DockerHarness.start();
    Path script = RepoPaths.root().resolve("testing/build-helper-image.sh");
    DockerHarness.Result built = DockerHarness.run(List.of("bash", script.toString(), IMAGE), 300);
    if (built.exitCode() != 0) {
      fail("cannot build the thread helper image: " + built.output());
    }
  }

  @AfterEach
  void removeContainers() {
    docker.close();
  }

  private LiveReport scan(String policy, String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of("--policy", policy));
    all.addAll(List.of(args));
    return LiveReport.scan(temp.resolve("report-" + System.nanoTime() + ".json"), all.toArray(String[]::new));
  }

  /** Starts a helper program and waits until its threads reported their final sets. */
  private String helper(String name, String program) {
    String container = docker.run(name, IMAGE, "/usr/local/bin/" + program);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (docker.docker("logs", container).lines().filter(l -> l.startsWith("ready")).count() >= 2) {
        return container;
      }
      DockerHarness.sleep(100);
    }
    throw new AssertionError(program + " never got ready: " + docker.docker("logs", container));
  }

  /** A finding's capability and one occurrence of it held by a thread. */
  private record ThreadOccurrence(String rule, String capability, JsonNode holder) {}

  private static List<ThreadOccurrence> threadFindings(JsonNode target) {
    List<ThreadOccurrence> result = new ArrayList<>();
    for (JsonNode finding : target.path("findings")) {
      for (JsonNode occurrence : finding.path("occurrences")) {
        if (occurrence.at("/holder/kind").asText().equals("thread")) {
          result.add(new ThreadOccurrence(finding.path("rule").asText(), finding.path("capability").asText(),
              occurrence.path("holder")));
        }
      }
    }
    return result;
  }

  @Test
  void a_helper_thread_that_keeps_capabilities_the_leader_dropped_fails_the_sandbox_policy() throws IOException {
    String container = helper("thread-keeps", "thread-keeps-caps");

    LiveReport report = scan("nemoclaw-sandbox", container);
    JsonNode target = report.target(container);

    assertThat(report.exitCode()).isEqualTo(4);
    JsonNode leader = LiveReport.process(target, 1);
    assertThat(leader.at("/sets/effective").asText()).as("the leader holds nothing").isEqualTo("0x0");
    assertThat(leader.path("threads")).singleElement().satisfies(thread -> {
      assertThat(thread.path("uid").asInt()).isEqualTo(1000);
      assertThat(thread.at("/sets/effective").asText()).isEqualTo("0x1e9");
      assertThat(thread.path("tid").asInt()).as("its tid in the container").isGreaterThan(1);
    });
    int tid = leader.path("threads").get(0).path("tid").asInt();
    assertThat(threadFindings(target)).isNotEmpty().allSatisfy(f -> {
      assertThat(f.holder().path("tids").toString()).isEqualTo("[" + tid + "]");
      assertThat(f.holder().path("pids").toString()).isEqualTo("[1]");
    });
    assertThat(threadFindings(target)).extracting(ThreadOccurrence::capability)
        .as("load-bearing for root only; SETPCAP may stay anywhere").contains("CAP_SETUID", "CAP_CHOWN")
        .doesNotContain("CAP_SETPCAP");
  }

  @Test
  void the_exec_fallback_reads_every_thread_too() throws IOException {
    String container = helper("thread-keeps-exec", "thread-keeps-caps");

    LiveReport report = scan("nemoclaw-sandbox", "--proc-root", "/nonexistent", container);
    JsonNode target = report.target(container);

    assertThat(LiveReport.process(target, 1).path("source").asText()).isEqualTo("container-exec");
    assertThat(LiveReport.process(target, 1).path("threads")).hasSize(1);
    assertThat(report.exitCode()).isEqualTo(4);
    assertThat(threadFindings(target)).isNotEmpty();
  }

  @Test
  void a_leader_that_drops_net_raw_while_a_thread_keeps_it_fails_the_cis_policy_on_that_thread() throws IOException {
    String container = helper("thread-net-raw", "thread-drops-net-raw");

    JsonNode target = scan("cis-docker", container).target(container);

    assertThat(LiveReport.process(target, 1).at("/sets/bounding").asText()).isEqualTo("0xa80405fb");
    assertThat(threadFindings(target)).anySatisfy(f -> {
      assertThat(f.capability()).isEqualTo("CAP_NET_RAW");
      assertThat(f.rule()).isEqualTo("must-drop-present");
    });
    assertThat(StreamSupport.stream(target.path("findings").spliterator(), false)
        .filter(f -> f.path("capability").asText().equals("CAP_NET_RAW"))
        .flatMap(f -> StreamSupport.stream(f.path("occurrences").spliterator(), false))
        .filter(o -> o.path("context").asText().equals("process")))
        .as("of the processes, only the thread holds it")
        .allSatisfy(o -> assertThat(o.at("/holder/kind").asText()).isEqualTo("thread"));
  }

  @Test
  void a_zombie_leader_is_audited_through_its_live_thread_and_is_not_reported_gone() throws IOException {
    String container = helper("thread-zombie", "thread-zombie-leader");
    try {
      zombieLeaderIsAuditedThroughItsThread(container);
    } finally {
      // Docker 20.10 cannot kill a container whose init is a zombie leader: its rm forgets the container and
      // leaves the live thread running in containerd. Killing the thread group from the host ends it.
      new ProcessBuilder("kill", "-9", Integer.toString(hostPid(container))).start();
      DockerHarness.sleep(300);
    }
  }

  private int hostPid(String container) {
    return Integer.parseInt(docker.docker("inspect", "-f", "{{.State.Pid}}", container).strip());
  }

  private void zombieLeaderIsAuditedThroughItsThread(String container) throws IOException {
    LiveReport report = scan("nemoclaw-sandbox", container);
    JsonNode target = report.target(container);

    assertThat(target.path("errors").toString()).doesNotContain("pid 1 is gone").doesNotContain("exited");
    JsonNode init = LiveReport.process(target, 1);
    assertThat(init.path("uid").asInt()).as("the live worker's credentials").isZero();
    assertThat(init.at("/sets/effective").asText()).isEqualTo("0xa80425fb");
    assertThat(report.exitCode()).isEqualTo(4);
    assertThat(target.path("notes").toString()).contains("leader thread has exited");
  }

  @Test
  void the_image_gate_audits_every_thread() throws IOException {
    Path json = temp.resolve("gate.json");

    CliRunner run = CliRunner.run("image", IMAGE, "--policy", "nemoclaw-sandbox", "--profile", "docker-default",
        "--json", json.toString(), "--", "/usr/local/bin/thread-keeps-caps");

    assertThat(run.exitCode).as(run.err).isEqualTo(4);
    JsonNode target = new ObjectMapper().readTree(json.toFile()).path("targets").get(0);
    assertThat(threadFindings(target)).extracting(ThreadOccurrence::capability).contains("CAP_SETUID");
  }
}
