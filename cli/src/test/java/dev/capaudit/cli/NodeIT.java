package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node with containers of three runtimes (Docker, containerd's k8s.io namespace as Kubernetes uses it, Podman),
 * audited by {@code capaudit host} from the runtimes' own state with no engine API at all.
 */
class NodeIT {
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

  private JsonNode host(String... args) throws IOException {
    Path json = temp.resolve("node-" + System.nanoTime() + ".json");
    List<String> all = new ArrayList<>(List.of("host", "--no-engine", "--json", json.toString()));
    all.addAll(List.of(args));
    CliRunner run = CliRunner.run(all.toArray(String[]::new));
    assertThat(json).as("stderr: %s", run.err).exists();
    return new ObjectMapper().readTree(json.toFile());
  }

  private static JsonNode target(JsonNode report, String runtime, String nameFragment) {
    return StreamSupport.stream(report.path("targets").spliterator(), false)
        .filter(t -> t.at("/origin/runtime").asText().equals(runtime) && t.path("name").asText()
            .contains(nameFragment)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + runtime + " target named *" + nameFragment + "* in "
            + report.path("targets")));
  }

  @Test
  void every_runtimes_containers_are_found_named_and_judged_without_an_engine_api() throws IOException {
    String dockerName = docker.run("node-docker", "--cap-add", "SYS_ADMIN", "--entrypoint", "sleep",
        DockerHarness.IMAGE, "1000000");
    String sandbox = runtimes.pod("node-pause", "shop", "web-" + runtimes.runId(), "", true, "sleep", "1000000");
    String app = runtimes.pod("node-app", "shop", "web-" + runtimes.runId(), "app", false, "sleep", "1000000");
    runtimes.podman("node-podman", "--user", "1000", "--cap-add", "NET_BIND_SERVICE", "--entrypoint", "sleep",
        Runtimes.PODMAN_IMAGE, "1000000");
    docker.awaitPid1(dockerName, "sleep");
    DockerHarness.sleep(1000);

    JsonNode report = host("--policy", "cis-docker");

    JsonNode moby = target(report, "docker", dockerName);
    assertThat(moby.path("name").asText()).isEqualTo(dockerName);
    assertThat(moby.at("/config/boundingSet").asText()).isEqualTo("0xa82425fb");
    assertThat(moby.path("verdict").asText()).isEqualTo("fail");
    assertThat(moby.path("processes")).hasSize(1);
    assertThat(moby.at("/exec/0/source").asText()).isEqualTo("oci-spec");

    JsonNode pod = StreamSupport.stream(report.path("targets").spliterator(), false)
        .filter(t -> t.path("id").asText().equals(app)).findFirst().orElseThrow();
    assertThat(pod.path("name").asText()).isEqualTo("shop/web-" + runtimes.runId() + "/app");
    assertThat(pod.at("/origin/namespace").asText()).isEqualTo("k8s.io");
    assertThat(pod.at("/origin/kubernetes/pod").asText()).isEqualTo("web-" + runtimes.runId());
    assertThat(pod.at("/origin/kubernetes/podNamespace").asText()).isEqualTo("shop");
    assertThat(pod.at("/origin/kubernetes/container").asText()).isEqualTo("app");
    assertThat(pod.at("/labels/io.kubernetes.pod.name").asText()).as("labels from containerd's metadata")
        .isEqualTo("web-" + runtimes.runId());
    assertThat(pod.path("processes")).hasSize(1);
    assertThat(pod.at("/origin/runtime").asText()).isEqualTo("containerd");
    JsonNode pause = StreamSupport.stream(report.path("targets").spliterator(), false)
        .filter(t -> t.path("id").asText().equals(sandbox)).findFirst().orElseThrow();
    assertThat(pause.at("/origin/kubernetes/sandbox").asBoolean()).as("the pod's sandbox").isTrue();

    JsonNode podman = target(report, "podman", "node-podman");
    assertThat(podman.at("/labels/capaudit.it").asText()).as("labels from Podman's database")
        .isEqualTo(runtimes.runId());
    assertThat(podman.at("/config/boundingSet").asText()).as("Podman's 11 defaults plus NET_BIND_SERVICE")
        .isEqualTo("0x800405fb");
    assertThat(podman.at("/processes/0/uid").asInt()).isEqualTo(1000);
    assertThat(podman.at("/processes/0/sets/ambient").asText()).as("Podman gives a non-root process ambient caps")
        .isEqualTo("0x400");

    Set<Integer> containerPids = new HashSet<>();
    for (JsonNode target : report.path("targets")) {
      if (target.path("kind").asText().equals("container")) {
        target.path("processes").forEach(p -> containerPids.add(p.path("hostPid").asInt()));
      }
    }
    JsonNode hostTarget = StreamSupport.stream(report.path("targets").spliterator(), false)
        .filter(t -> t.path("kind").asText().equals("host")).findFirst().orElseThrow();
    assertThat(StreamSupport.stream(hostTarget.path("processes").spliterator(), false)
        .map(p -> p.path("hostPid").asInt())).as("no container's process is the host's")
        .doesNotContainAnyElementsOf(containerPids);
    for (JsonNode target : List.of(moby, pod, podman)) {
      assertThat(StreamSupport.stream(target.path("processes").spliterator(), false)
          .map(p -> p.path("name").asText())).as("no host process in %s", target.path("name"))
          .containsOnly("sleep");
    }
  }

  @Test
  void filters_report_only_the_containers_asked_for() throws IOException {
    runtimes.pod("filter-app", "shop", "web-" + runtimes.runId(), "app", false, "sleep", "1000000");
    runtimes.podman("filter-podman", "--entrypoint", "sleep", Runtimes.PODMAN_IMAGE, "1000000");
    DockerHarness.sleep(1000);

    JsonNode onlyPods = host("--pod-namespace", "shop", "--label", "capaudit.it=" + runtimes.runId());
    JsonNode onlyPodman = host("--runtime", "podman", "--label", "capaudit.it=" + runtimes.runId());

    assertThat(onlyPods.path("targets")).singleElement().satisfies(t ->
        assertThat(t.at("/origin/runtime").asText()).isEqualTo("containerd"));
    assertThat(StreamSupport.stream(onlyPodman.path("targets").spliterator(), false)
        .map(t -> t.at("/origin/runtime").asText())).containsOnly("podman");
  }
}
