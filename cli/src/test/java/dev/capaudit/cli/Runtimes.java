package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * containerd (standalone, its k8s.io namespace) and Podman, driven through their own CLIs as an operator would.
 * Without them the tests skip loudly; with {@code CAPAUDIT_REQUIRE_RUNTIMES=1} (CI, after .ci/runtimes-up.sh) a
 * missing runtime fails them.
 */
final class Runtimes implements AutoCloseable {
  static final String CONTAINERD = "/run/containerd/containerd.sock";
  static final String CTR_IMAGE = "docker.io/library/capaudit-test:latest";
  static final String PODMAN_IMAGE = "localhost/capaudit-test:latest";

  private final String runId = UUID.randomUUID().toString().substring(0, 8);
  private final List<String> containerdTasks = new ArrayList<>();
  private final List<String> podmanContainers = new ArrayList<>();

  static Runtimes start() {
    require(List.of("ctr", "--address", CONTAINERD, "version"), "containerd at " + CONTAINERD);
    require(List.of("podman", "--remote", "--url", "unix:///run/podman/podman.sock", "version"),
        "Podman's API service at /run/podman/podman.sock");
    if (!DockerHarness.run(List.of("ctr", "--address", CONTAINERD, "-n", "k8s.io", "image", "ls", "-q"), 30).output()
        .lines().anyMatch(CTR_IMAGE::equals)) {
      require(List.of("false"), "the test image in containerd's k8s.io namespace (.ci/runtimes-up.sh imports it)");
    }
    return new Runtimes();
  }

  private static void require(List<String> command, String what) {
    DockerHarness.Result result = DockerHarness.run(command, 30);
    if (result.exitCode() == 0) {
      return;
    }
    String message = what + " is not available (" + result.output().strip() + ")";
    if ("1".equals(System.getenv("CAPAUDIT_REQUIRE_RUNTIMES"))) {
      fail(message + "; CAPAUDIT_REQUIRE_RUNTIMES=1 makes the runtime integration tests mandatory");
    }
    System.err.println("*** SKIPPING runtime integration tests: " + message + " ***");
    Assumptions.abort(message);
  }

  String runId() {
    return runId;
  }

  /** A container in containerd's k8s.io namespace, with the CRI annotations and labels a kubelet would give it. */
  String pod(String name, String podNamespace, String pod, String container, boolean sandbox, String... command) {
    String id = name + "-" + runId;
    List<String> args = new ArrayList<>(List.of("ctr", "--address", CONTAINERD, "-n", "k8s.io", "run", "-d",
        "--annotation", "io.kubernetes.cri.container-type=" + (sandbox ? "sandbox" : "container"),
        "--annotation", "io.kubernetes.cri.sandbox-name=" + pod,
        "--annotation", "io.kubernetes.cri.sandbox-namespace=" + podNamespace,
        "--annotation", "io.kubernetes.cri.sandbox-uid=uid-" + runId,
        "--label", "io.kubernetes.pod.name=" + pod, "--label", "io.kubernetes.pod.namespace=" + podNamespace,
        "--label", "capaudit.it=" + runId,
        "--cgroup", "kubepods/besteffort/pod" + runId + "/" + id));
    if (!sandbox) {
      args.addAll(List.of("--annotation", "io.kubernetes.cri.container-name=" + container, "--label",
          "io.kubernetes.container.name=" + container));
    }
    args.add(CTR_IMAGE);
    args.add(id);
    args.addAll(List.of(command));
    DockerHarness.Result result = DockerHarness.run(args, 60);
    if (result.exitCode() != 0) {
      fail("ctr run failed: " + result.output());
    }
    containerdTasks.add(id);
    return id;
  }

  /** A Podman container (this machine's limits need the ulimits). */
  String podman(String name, String... args) {
    String unique = name + "-" + runId;
    List<String> command = new ArrayList<>(List.of("podman", "run", "-d", "--name", unique, "--label",
        "capaudit.it=" + runId, "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"));
    command.addAll(List.of(args));
    DockerHarness.Result result = DockerHarness.run(command, 60);
    if (result.exitCode() != 0) {
      fail("podman run failed: " + result.output());
    }
    podmanContainers.add(unique);
    return result.output().strip().lines().reduce((a, b) -> b).orElse("");
  }

  @Override
  public void close() {
    for (String id : containerdTasks) {
      DockerHarness.run(List.of("ctr", "--address", CONTAINERD, "-n", "k8s.io", "task", "kill", "-s", "SIGKILL", id),
          30);
      DockerHarness.sleep(300);
      DockerHarness.run(List.of("ctr", "--address", CONTAINERD, "-n", "k8s.io", "task", "delete", "-f", id), 30);
      DockerHarness.run(List.of("ctr", "--address", CONTAINERD, "-n", "k8s.io", "container", "delete", id), 30);
    }
    for (String name : podmanContainers) {
      DockerHarness.run(List.of("podman", "rm", "-f", "-t", "0", name), 60);
    }
  }
}
