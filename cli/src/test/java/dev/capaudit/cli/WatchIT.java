package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code capaudit watch} on the real engine: a regressed and a good container started, exec sessions opened in
 * both, a pause and unpause, a kill, the engine's connection cut and restored (through a proxy of the engine's
 * socket: the shared engine itself is never restarted), and a soak of 2,000 events.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WatchIT {
  private static final String POLICY = "nemoclaw-sandbox";
  private static final String DROP_WITHOUT_SYS_ADMIN = "cap_sys_ptrace,cap_net_raw,cap_dac_override,cap_sys_chroot,"
      + "cap_fsetid,cap_setfcap,cap_mknod,cap_audit_write,cap_net_bind_service";
  /** From the moment a container has settled or an exec has started to its line. */
  private static final long WITHIN = 5_000;
  private static final Pattern METRICS = Pattern.compile("metrics at (http://\\S+)");

  private DockerHarness docker;

  @BeforeAll
  void startEngine() {
    docker = DockerHarness.start();
  }

  @AfterAll
  void removeContainers() {
    if (docker != null) {
      docker.close();
      assertThat(DockerHarness.leftovers(docker.runId())).as("containers left behind").isEmpty();
    }
  }

  private String label() {
    return DockerHarness.LABEL + "=" + docker.runId();
  }

  private String regressed(String name) {
    String container = docker.run(name, "--cap-add", "SYS_ADMIN", "--cap-add", "SYS_PTRACE", "-e",
        "DROP=" + DROP_WITHOUT_SYS_ADMIN, DockerHarness.IMAGE);
    docker.awaitPid1(container, "sleep");
    return container;
  }

  private String good(String name) {
    String container = docker.run(name, "--cap-drop", "ALL", "--cap-add", "CHOWN", "--cap-add", "FOWNER",
        "--cap-add", "KILL", "--cap-add", "SETGID", "--cap-add", "SETUID", "--cap-add", "SETPCAP",
        DockerHarness.IMAGE);
    docker.awaitPid1(container, "sleep");
    return container;
  }

  private static Predicate<JsonNode> line(String type, String name) {
    return line -> line.path("type").asText().equals(type) && line.at("/target/name").asText().equals(name);
  }

  private static Predicate<JsonNode> target(String name, String event) {
    return line("target", name).and(line -> line.path("event").asText().equals(event));
  }

  private static Predicate<JsonNode> exec(String name, String execId) {
    return line("exec", name).and(line -> line.at("/exec/id").asText().equals(execId));
  }

  /** The line, which must come within {@link #WITHIN} of now. */
  private static JsonNode soon(WatchSession watch, String what, Predicate<JsonNode> matching) {
    long started = System.nanoTime();
    JsonNode line = watch.await(what, matching, 30_000);
    assertThat((System.nanoTime() - started) / 1_000_000).as("ms until the line for " + what)
        .isLessThanOrEqualTo(WITHIN);
    return line;
  }

  private static List<String> findings(JsonNode line) {
    return StreamSupport.stream(line.path("findings").spliterator(), false)
        .map(f -> f.path("rule").asText() + " " + f.path("capability").asText()).toList();
  }

  private static Predicate<JsonNode> execOf(String name, String command) {
    return line("exec", name).and(line -> String.join(" ", StreamSupport.stream(line.at("/exec/command")
        .spliterator(), false).map(JsonNode::asText).toList()).equals(command));
  }

  /** {@code docker exec -d [OPTIONS] CONTAINER sleep SECONDS}: the duration tells the session apart. */
  private void execDetached(String container, String seconds, String... options) {
    List<String> args = new ArrayList<>(List.of("exec", "-d"));
    args.addAll(List.of(options));
    args.addAll(List.of(container, "sleep", seconds));
    docker.docker(args.toArray(String[]::new));
  }

  private static String scrape(WatchSession watch) throws IOException, InterruptedException {
    Matcher address = METRICS.matcher(watch.err());
    assertThat(address.find()).as("the metrics address on stderr: " + watch.err()).isTrue();
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
        address.group(1))).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  @Test
  void starts_exec_sessions_a_pause_and_a_kill_each_give_their_line_within_5_s() throws Exception {
    String good = good("watch-good");
    try (WatchSession watch = WatchSession.start("--policy", POLICY, "--label", label(), "--metrics", "0")) {
      JsonNode first = watch.await("the good container at the first rescan", target(good, "rescan"), 30_000);
      assertThat(first.path("verdict").asText()).as(first.path("headline").asText()).isEqualTo("pass");
      assertThat(first.path("findings")).isEmpty();

      String bad = regressed("watch-regressed");
      JsonNode started = soon(watch, "the regressed container's start", target(bad, "start"));
      assertThat(started.path("verdict").asText()).as(started.path("headline").asText()).isEqualTo("fail");
      assertThat(findings(started)).contains("must-drop-present CAP_SYS_ADMIN", "regain-path CAP_SYS_ADMIN");
      assertThat(started.at("/findings/0/occurrences/0/sets/bounding").asText()).isEqualTo("0x200100");
      assertThat(started.path("new").findValuesAsText("capability")).contains("CAP_SYS_ADMIN");
      assertThat(started.at("/target/labels").path(DockerHarness.LABEL).asText()).isEqualTo(docker.runId());

      execDetached(bad, "1001");
      JsonNode shell = soon(watch, "the root exec in the regressed container", execOf(bad, "sleep 1001"));
      assertThat(shell.path("verdict").asText()).as(shell.path("headline").asText()).isEqualTo("fail");
      assertThat(shell.at("/exec/context").asText()).isEqualTo("root-exec");
      assertThat(shell.at("/exec/uid").asLong()).isZero();
      assertThat(shell.at("/exec/process").asText()).isEqualTo("sleep");
      assertThat(shell.at("/exec/hostPid").asInt()).isPositive();
      assertThat(shell.at("/exec/view/source").asText()).isEqualTo("host-proc");
      assertThat(shell.at("/exec/view/sets/bounding").asText()).as("the connect shell's full bounding set")
          .isEqualTo("0xa82c25fb");
      assertThat(shell.at("/exec/id").asText()).hasSize(64);
      assertThat(findings(shell)).contains("must-drop-present CAP_SYS_ADMIN");

      execDetached(good, "1002", "-u", "1000");
      JsonNode sandbox = soon(watch, "the non-root exec in the good container", execOf(good, "sleep 1002"));
      // The same bounding set the root exec below passes with: the policy lets only root contexts keep SETUID.
      assertThat(sandbox.path("verdict").asText()).as(sandbox.path("headline").asText()).isEqualTo("fail");
      assertThat(findings(sandbox)).contains("outside-allowed-context CAP_SETUID");
      assertThat(sandbox.at("/findings/0/occurrences/0/policyContext").asText()).isEqualTo("nonroot-exec");
      assertThat(sandbox.at("/exec/context").asText()).isEqualTo("nonroot-exec");
      assertThat(sandbox.at("/exec/user").asText()).isEqualTo("1000");
      assertThat(sandbox.at("/exec/view/sets/effective").asText()).isEqualTo("0x0");

      docker.docker("pause", good);
      docker.docker("unpause", good);
      execDetached(good, "1003");
      JsonNode afterUnpause = soon(watch, "a root exec after the unpause", execOf(good, "sleep 1003"));
      assertThat(afterUnpause.path("verdict").asText()).as(afterUnpause.path("headline").asText()).isEqualTo("pass");
      assertThat(afterUnpause.at("/exec/view/sets/bounding").asText()).isEqualTo("0x1e9");
      assertThat(watch.lines()).as("the unpause changed nothing: no new line for the container")
          .filteredOn(target(good, "unpause")::test).isEmpty();

      docker.docker("kill", bad);
      JsonNode died = soon(watch, "the regressed container's death", target(bad, "die"));
      assertThat(died.path("state").asText()).isEqualTo("exited");
      assertThat(died.path("exitCode").asLong()).isEqualTo(137);

      String metrics = scrape(watch);
      assertThat(metrics).contains("capaudit_targets{verdict=\"pass\"} 1\n", "capaudit_targets{verdict=\"fail\"} 0\n",
          "capaudit_exec_sessions_total{verdict=\"fail\"} 2\n", "capaudit_exec_sessions_total{verdict=\"pass\"} 1\n",
          "capaudit_engine_up 1\n").containsPattern("capaudit_audit_seconds_count [1-9]");
      assertThat(watch.stop()).isZero();
    }
  }

  @Test
  void the_engine_connection_cut_and_restored_is_said_and_what_started_meanwhile_is_audited() throws Exception {
    Path socket = Path.of("/tmp/capaudit-watch-" + docker.runId() + ".sock");
    try (SocketProxy proxy = new SocketProxy(socket, Path.of("/var/run/docker.sock")).start()) {
      String before = good("watch-before-cut");
      try (WatchSession watch = WatchSession.start("--policy", POLICY, "--label", label(), "--host",
          proxy.address())) {
        watch.await("the container at the first rescan", target(before, "rescan"), 30_000);

        proxy.stop();
        JsonNode lost = soon(watch, "the engine lost", l -> l.path("type").asText().equals("error")
            && l.path("message").asText().startsWith("lost the engine"));
        assertThat(lost.has("target")).as("the engine's problem, not a target's").isFalse();
        String during = regressed("watch-during-cut");
        DockerHarness.sleep(2_000);
        assertThat(watch.lines()).filteredOn(line("target", during)::test).isEmpty();

        proxy.start();
        watch.awaitErr("answers again", 40_000);
        JsonNode found = soon(watch, "the container started while the engine was away", target(during, "rescan"));
        assertThat(found.path("verdict").asText()).as(found.path("headline").asText()).isEqualTo("fail");

        execDetached(before, "1004");
        soon(watch, "an exec after the reconnection", execOf(before, "sleep 1004"));
        assertThat(watch.stop()).isZero();
      }
    }
  }

  @Test
  void a_soak_of_2000_events_keeps_the_heap_flat() throws Exception {
    int cycles = 0;
    int execs = 0;
    int events = 0;
    List<Long> heap = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    String marker = good("watch-soak-marker");
    try (WatchSession watch = WatchSession.keeping(50, "--policy", POLICY, "--label", label(), "--interval", "5")) {
      watch.await("the marker at the first rescan", target(marker, "rescan"), 30_000);
      while (events < SOAK_EVENTS) {
        assertThat(System.nanoTime()).as("the soak's time limit").isLessThan(deadline);
        // Each cycle is 12 events the watch acts on: start, 8 exec_start, unpause, die, destroy.
        String container = docker.docker("run", "-d", "--label", label(), "--entrypoint", "sleep",
            DockerHarness.IMAGE, "300").strip();
        try {
          for (int i = 0; i < 8; i++) {
            docker.docker("exec", "-d", container, "sleep", "30");
          }
          docker.docker("pause", container);
          docker.docker("unpause", container);
        } finally {
          docker.docker("rm", "-f", container);
        }
        events += 12;
        execs += 8;
        cycles++;
        if (cycles % 20 == 0) {
          heap.add(heapAfterGc());
        }
      }
      String last = docker.docker("run", "-d", "--label", label(), "--entrypoint", "sleep", DockerHarness.IMAGE,
          "300").strip();
      try {
        watch.await("the watch catching up to the end of the soak", l -> l.path("type").asText().equals("target")
            && l.at("/target/id").asText().equals(last), 120_000);
      } finally {
        docker.docker("rm", "-f", last);
      }
      heap.add(heapAfterGc());
      Map<String, Long> counts = watch.counts();
      System.err.printf("soak: %d events in %d cycles, %d exec sessions; lines %s; heap after GC (MiB) %s%n",
          events, cycles, execs, counts, heap.stream().map(b -> String.format("%.1f", b / 1048576.0)).toList());
      long baseline = heap.get(0);
      assertThat(heap.stream().mapToLong(Long::longValue).max().orElseThrow() - baseline)
          .as("heap growth over the soak, bytes, from the first sample (after %d events)", 240)
          .isLessThan(HEAP_GROWTH_BOUND);
      assertThat(counts.getOrDefault("exec", 0L)).as("exec sessions audited").isGreaterThanOrEqualTo(execs * 9L / 10)
          .as("exec lines for sessions the soak opened only, never for the watch's own probes")
          .isLessThanOrEqualTo(execs);
      assertThat(watch.repeatedExecs()).as("exec sessions with more than one line").isEmpty();
      assertThat(watch.lines()).noneMatch(l -> l.path("message").asText().startsWith("internal error"));
      assertThat(watch.stop()).isZero();
    }
  }

  private static final int SOAK_EVENTS = 2_000;
  /** The watch keeps per container only its verdict and findings: 2,000 events must not grow the heap by this. */
  private static final long HEAP_GROWTH_BOUND = 16L * 1024 * 1024;

  /** The heap in use after full collections: what is still reachable, not what awaits collection. */
  private static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
