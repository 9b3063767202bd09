package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged capaudit running as its own process, so a test can signal it or let it crash. */
final class CapauditProcess {
  private final Process process;
  private final Path log;

  private CapauditProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static CapauditProcess start(Path log, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("java", "-jar",
        RepoPaths.root().resolve("cli/target/capaudit.jar").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return new CapauditProcess(builder.start(), log);
  }

  /**
   * Runs the packaged capaudit to its end with this environment (and no DOCKER_HOST or DOCKER_CONTEXT of the test's
   * own), at most 120 s, and returns its exit code and output.
   */
  static DockerHarness.Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("java", "-jar",
        RepoPaths.root().resolve("cli/target/capaudit.jar").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("DOCKER_HOST");
    builder.environment().remove("DOCKER_CONTEXT");
    builder.environment().putAll(env);
    Process process = builder.start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("capaudit did not finish within 120 s: " + String.join(" ", args));
    }
    return new DockerHarness.Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }

  long pid() {
    return process.pid();
  }

  /** Waits until the output shows the text, at most 60 s; fails with the output otherwise. */
  void awaitOutput(String text) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (output().contains(text)) {
        return;
      }
      if (!process.isAlive()) {
        fail("capaudit exited (" + process.exitValue() + ") before printing '" + text + "':\n" + output());
      }
      DockerHarness.sleep(50);
    }
    fail("capaudit never printed '" + text + "':\n" + output());
  }

  /** SIGTERM, as systemd, docker stop or kill send it: the JVM runs its shutdown hooks. */
  void terminate() {
    process.destroy();
  }

  /** Waits for the exit, at most 120 s, and returns the exit code. */
  int waitFor() throws InterruptedException {
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("capaudit did not finish:\n" + output());
    }
    return process.exitValue();
  }

  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }
}
