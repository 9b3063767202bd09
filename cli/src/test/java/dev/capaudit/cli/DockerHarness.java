package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Docker engine for integration tests, driven through the docker CLI as a user would. Without an engine
 * the tests skip loudly; with {@code CAPAUDIT_REQUIRE_DOCKER=1} (CI) a missing engine fails them.
 */
final class DockerHarness implements AutoCloseable {
  static final String IMAGE = "capaudit-test:latest";
  static final String SHELL_LESS_IMAGE = "capaudit-test-shell-less:latest";
  static final String FILE_CAP_IMAGE = "capaudit-test-filecap:latest";

  /** Every container a harness starts carries this label with its run id, so cleanup finds them all. */
  static final String LABEL = "capaudit.it";

  private final String runId = UUID.randomUUID().toString().substring(0, 8);
  private final List<String> started = new ArrayList<>();

  static DockerHarness start() {
    requireEngine();
    Path script = RepoPaths.root().resolve("testing/build-test-image.sh");
    Result built = run(List.of("bash", script.toString(), IMAGE), 300);
    if (built.exitCode != 0) {
      fail("cannot build the test image: " + built.output);
    }
    buildShellLessImage();
    buildFileCapabilityImage();
    return new DockerHarness();
  }

  private static void requireEngine() {
    Result info = run(List.of("docker", "info", "--format", "{{.ServerVersion}}"), 30);
    if (info.exitCode == 0) {
      return;
    }
    String message = "no Docker engine answered 'docker info' (" + info.output.strip() + ")";
    if ("1".equals(System.getenv("CAPAUDIT_REQUIRE_DOCKER"))) {
      fail(message + "; CAPAUDIT_REQUIRE_DOCKER=1 makes the Docker integration tests mandatory");
    }
    System.err.println("*** SKIPPING Docker integration tests: " + message + " ***");
    Assumptions.abort(message);
  }

  /** An image with no shell and no cat, like a distroless one: only a static busybox installed as /sleep. */
  private static void buildShellLessImage() {
    if (run(List.of("docker", "image", "inspect", SHELL_LESS_IMAGE), 30).exitCode == 0) {
      return;
    }
    String script = "set -e; root=$(mktemp -d); cp \"$(command -v busybox)\" \"$root/sleep\";"
        + " tar -C \"$root\" -c . | docker import -c 'ENTRYPOINT [\"/sleep\"]' - " + SHELL_LESS_IMAGE
        + "; rm -rf \"$root\"";
    Result result = run(List.of("sh", "-c", script), 120);
    if (result.exitCode != 0) {
      fail("cannot build the shell-less image: " + result.output);
    }
  }

  /**
   * An image whose /bin/netraw-tool carries the file capability cap_net_raw+ep, set on the host with setcap and
   * kept by tar --xattrs through docker import.
   */
  private static void buildFileCapabilityImage() {
    if (run(List.of("docker", "image", "inspect", FILE_CAP_IMAGE), 30).exitCode == 0) {
      return;
    }
    String script = "set -e; root=$(mktemp -d); mkdir \"$root/bin\"; cp \"$(command -v busybox)\" \"$root/bin/busybox\";"
        + " for a in sh sleep cat; do ln -s busybox \"$root/bin/$a\"; done;"
        + " cp \"$(command -v busybox)\" \"$root/bin/netraw-tool\"; setcap cap_net_raw+ep \"$root/bin/netraw-tool\";"
        + " tar --xattrs --xattrs-include='security.capability' -C \"$root\" -c . | docker import - " + FILE_CAP_IMAGE
        + "; rm -rf \"$root\"";
    Result result = run(List.of("sh", "-c", script), 120);
    if (result.exitCode != 0) {
      fail("cannot build the file-capability image: " + result.output);
    }
  }

  /** Starts a detached container (name made unique per run) and returns its name. */
  String run(String name, String... dockerRunArgs) {
    String unique = name + "-" + runId;
    List<String> command = new ArrayList<>(List.of("docker", "run", "-d", "--name", unique, "--label",
        LABEL + "=" + runId));
    command.addAll(List.of(dockerRunArgs));
    Result result = run(command, 60);
    if (result.exitCode != 0) {
      fail("docker run " + String.join(" ", dockerRunArgs) + " failed: " + result.output);
    }
    started.add(unique);
    return unique;
  }

  String runId() {
    return runId;
  }

  /** Waits until the container's pid 1, read from the host, runs the named program (the entrypoint settled). */
  void awaitPid1(String container, String programName) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    String last = "";
    while (System.nanoTime() < deadline) {
      String pid = docker("inspect", "-f", "{{.State.Pid}}", container).strip();
      try {
        last = Files.readString(Path.of("/proc", pid, "status"), StandardCharsets.UTF_8);
        if (last.startsWith("Name:\t" + programName + "\n")) {
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      }
      sleep(100);
    }
    fail("pid 1 of " + container + " never became " + programName + ": " + last.lines().findFirst().orElse(""));
  }

  /** Waits until a file in the container's root (seen from the host) is an executable file, no longer a symlink. */
  void awaitFileReplaced(String container, String relativePath) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      String pid = docker("inspect", "-f", "{{.State.Pid}}", container).strip();
      Path file = Path.of("/proc", pid, "root", relativePath);
      if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.isExecutable(file)) {
        return;
      }
      sleep(100);
    }
    fail(relativePath + " in " + container + " was never replaced");
  }

  String docker(String... args) {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    Result result = run(command, 60);
    if (result.exitCode != 0) {
      fail("docker " + String.join(" ", args) + " failed: " + result.output);
    }
    return result.output;
  }

  /** Containers this run left behind (should be none after close). */
  static List<String> leftovers(String runId) {
    String out = run(List.of("docker", "ps", "-aq", "--filter", "label=" + LABEL + "=" + runId), 30).output;
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  @Override
  public void close() {
    for (String name : started) {
      run(List.of("docker", "rm", "-f", "-v", name), 60);
    }
  }

  record Result(int exitCode, String output) {}

  static Result run(List<String> command, int timeoutSeconds) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, "timed out: " + String.join(" ", command));
      }
      return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
