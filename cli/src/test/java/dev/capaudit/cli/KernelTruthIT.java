package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel's truth against a real engine: strict attribution (host, shared and nested pid namespaces, a process
 * that escapes its cgroups), the runtime's own spec for configuration and exec views, paused containers, engines
 * that do not answer, and probes that hang.
 */
class KernelTruthIT {
  private static final String POLICY = "nemoclaw-sandbox";

  @TempDir
  Path temp;

  private DockerHarness docker;

  @BeforeEach
  void startEngine() {
    docker = DockerHarness.start();
  }

  @AfterEach
  void removeContainers() {
    docker.close();
  }

  private LiveReport scan(String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of("--policy", POLICY));
    all.addAll(List.of(args));
    return LiveReport.scan(temp.resolve("report-" + System.nanoTime() + ".json"), all.toArray(String[]::new));
  }

  private int hostPid(String container) {
    return Integer.parseInt(docker.docker("inspect", "-f", "{{.State.Pid}}", container).strip());
  }

  @Test
  void a_pid_host_container_holds_only_its_own_processes_and_with_sys_ptrace_is_host_root_equivalent()
      throws IOException {
    String container = docker.run("pid-host", "--pid=host", "--cap-add", "SYS_PTRACE", "--entrypoint", "sleep",
        DockerHarness.IMAGE, "1000000");
    docker.awaitPid1(container, "sleep");

    JsonNode target = scan(container).target(container);

    assertThat(target.path("processes")).as("no host process is the container's").hasSize(1);
    JsonNode sleep = target.path("processes").get(0);
    assertThat(sleep.path("name").asText()).isEqualTo("sleep");
    assertThat(sleep.path("pid").asInt()).as("the host's pid: the container shares its namespace")
        .isEqualTo(hostPid(container));
    assertThat(LiveReport.findings(target)).anyMatch(f -> f.startsWith("host-root-equivalent config"));
    assertThat(target.path("notes").toString()).contains("shares the host's pid namespace");
  }

  @Test
  void a_process_in_a_nested_pid_namespace_keeps_its_pid_in_the_container_and_the_inner_one_as_ns_pid()
      throws IOException {
    String container = docker.run("nested-ns", "--cap-add", "SYS_ADMIN", "--entrypoint", "unshare",
        DockerHarness.IMAGE, "-p", "-f", "sleep", "1000000");
    awaitProcessNamed(container, "sleep");

    JsonNode target = scan(container).target(container);

    JsonNode sleep = processNamed(target, "sleep");
    assertThat(sleep.path("pid").asInt()).as("its pid in the container's namespace, not the inner 1")
        .isGreaterThan(1);
    assertThat(sleep.path("nsPid").asInt()).isEqualTo(1);
    assertThat(LiveReport.process(target, 1).path("name").asText()).isEqualTo("unshare");
    assertThat(target.path("processes")).hasSize(2);
  }

  @Test
  void a_root_process_that_escapes_its_cgroups_into_a_nested_pid_namespace_is_still_its_containers()
      throws IOException {
    // pid 1 drops SYS_ADMIN; a second root process keeps it, mounts the host's cgroup hierarchies, moves itself to
    // their roots and hides in a nested pid namespace. A policy that allows SYS_ADMIN only in the configuration and
    // a root exec shell passes the container unless that process is found.
    String escape = "for c in cpu cpuacct cpuset memory devices freezer blkio pids; do mkdir -p /m/$c;"
        + " mount -t cgroup -o $c cgroup /m/$c && echo $$ > /m/$c/cgroup.procs; done;"
        + " mkdir -p /m/systemd && mount -t cgroup -o none,name=systemd cgroup /m/systemd"
        + " && echo $$ > /m/systemd/cgroup.procs;"
        + " mkdir -p /m/unified && mount -t cgroup2 none /m/unified && echo $$ > /m/unified/cgroup.procs;"
        + " exec unshare -p -f sleep 1000001";
    String container = docker.run("cgroup-escape", "--cap-add", "SYS_ADMIN", "-e", "ESCAPE=" + escape,
        "--entrypoint", "/bin/sh", DockerHarness.IMAGE, "-c",
        "sh -c \"$ESCAPE\" & exec capsh --drop=cap_sys_admin -- -c 'exec sleep 1000000'");
    int hidden = awaitHostProcess("sleep\u00001000001");
    docker.awaitPid1(container, "sleep");
    assertThat(Files.readString(Path.of("/proc", Integer.toString(hidden), "cgroup")))
        .as("the test really escaped").doesNotContain(docker.docker("inspect", "-f", "{{.Id}}", container).strip());
    Path policy = Files.writeString(temp.resolve("sys-admin-in-config.yaml"), String.join("\n",
        "apiVersion: capaudit/v1", "kind: CapabilityPolicy", "name: sys-admin-in-config", "unlisted: allow",
        "loadBearing:", "  - capability: SYS_ADMIN", "    reason: the test grants it to the configuration",
        "    contexts: [config, root-exec]", ""));

    LiveReport report = LiveReport.scan(temp.resolve("escape.json"), "--policy", policy.toString(), container);

    JsonNode target = report.target(container);
    assertThat(StreamSupport.stream(target.path("processes").spliterator(), false)
        .map(p -> p.path("hostPid").asInt())).as("the escaped process is attributed").contains(hidden);
    assertThat(report.exitCode()).isEqualTo(4);
    assertThat(LiveReport.findings(target)).anyMatch(f -> f.startsWith("outside-allowed-context process")
        && f.endsWith("CAP_SYS_ADMIN"));
  }

  @Test
  void cap_add_all_is_judged_by_the_bounding_set_the_runtime_applied_without_phantom_capabilities()
      throws IOException {
    String container = docker.run("cap-add-all", "--cap-add", "ALL", "--cap-drop", "SYS_RESOURCE", "--entrypoint",
        "sleep", DockerHarness.IMAGE, "1000000");
    docker.awaitPid1(container, "sleep");

    JsonNode target = scan("--exec-view", "verify", container).target(container);

    String applied = "0x3ffeffffff"; // Docker 20.10: bits 0-37, without SYS_RESOURCE
    assertThat(target.at("/config/boundingSet").asText()).isEqualTo(applied);
    assertThat(LiveReport.process(target, 1).at("/sets/bounding").asText()).isEqualTo(applied);
    assertThat(target.at("/exec/0/sets/bounding").asText()).isEqualTo(applied);
    assertThat(LiveReport.findings(target)).noneMatch(f -> f.contains("CAP_PERFMON") || f.contains("CAP_BPF")
        || f.contains("CAP_CHECKPOINT_RESTORE") || f.startsWith("exec-view-mismatch"));
    assertThat(target.path("notes").toString()).doesNotContain("may lie");
  }

  @Test
  void a_paused_container_is_part_of_a_label_selection_and_judged_from_the_host() throws IOException {
    String label = "capaudit.paused=" + docker.runId();
    String paused = docker.run("paused-label", "--label", label, "--entrypoint", "sleep", DockerHarness.IMAGE,
        "1000000");
    docker.awaitPid1(paused, "sleep");
    docker.docker("pause", paused);
    try {
      LiveReport report = scan("--label", label);

      JsonNode target = report.target(paused);
      assertThat(target.path("verdict").asText()).isEqualTo("fail");
      assertThat(LiveReport.process(target, 1).path("source").asText()).isEqualTo("host-proc");
      assertThat(target.at("/exec/0/source").asText()).isEqualTo("oci-spec");
    } finally {
      docker.docker("unpause", paused);
    }
  }

  @Test
  void an_open_exec_session_is_audited_as_a_process_of_its_container_with_what_it_really_holds()
      throws IOException {
    String container = docker.run("exec-session", "--cap-drop", "ALL", "--cap-add", "CHOWN", "--user", "1000",
        "--entrypoint", "sleep", DockerHarness.IMAGE, "1000000");
    docker.awaitPid1(container, "sleep");
    docker.docker("exec", "-d", "-u", "0", container, "sleep", "999999");
    awaitProcessNamed(container, "sleep", 2);

    JsonNode target = scan(container).target(container);

    JsonNode session = StreamSupport.stream(target.path("processes").spliterator(), false)
        .filter(p -> p.path("pid").asInt() != 1).findFirst().orElseThrow();
    assertThat(session.path("uid").asInt()).isZero();
    assertThat(session.at("/sets/effective").asText()).as("a root exec gets the bounding set").isEqualTo("0x1");
    assertThat(session.path("ppid").asInt()).as("its parent is the runtime's shim, outside").isZero();
    assertThat(target.at("/exec/0/sets/bounding").asText()).isEqualTo("0x1");
    assertThat(LiveReport.findings(target)).anyMatch(f -> f.equals("outside-allowed-context process pid="
        + session.path("pid").asInt() + " effective CAP_CHOWN") || f.contains("CAP_CHOWN"));
  }

  @Test
  void an_engine_that_accepts_and_never_answers_fails_within_the_timeouts_naming_it() throws IOException {
    for (boolean drip : new boolean[] {false, true}) {
      Path socket = temp.resolve(drip ? "drip.sock" : "silent.sock");
      try (SilentEngine engine = drip ? SilentEngine.dripping(socket) : SilentEngine.silent(socket)) {
        long started = System.nanoTime();
        CliRunner run = CliRunner.run("scan", "--host", engine.address(), "--connect-timeout", "1",
            "--read-timeout", "2", "--all");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

        assertThat(run.exitCode).as(run.err).isEqualTo(1);
        assertThat(run.err).contains(engine.address()).contains("did not answer in time")
            .doesNotContain("Exception");
        assertThat(seconds).as("bounded by the timeouts, not minutes").isLessThan(30);
      }
    }
  }

  @Test
  void a_probe_that_hangs_is_killed_and_the_report_says_so() throws IOException {
    String container = docker.run("hanging-cat", "--entrypoint", "/bin/sh", DockerHarness.IMAGE, "-c",
        "rm /bin/cat && printf '#!/bin/sh\\nexec sleep 777777\\n' > /bin/cat && chmod 755 /bin/cat"
            + " && exec sleep 1000000");
    docker.awaitFileReplaced(container, "bin/cat");

    JsonNode target = scan("--exec-view", "probe", "--exec-timeout", "2", container).target(container);

    assertThat(target.path("notes").toString()).contains("timed out after 2 s and was killed");
    DockerHarness.sleep(500);
    assertThat(docker.docker("top", container)).doesNotContain("777777");
    JsonNode again = scan(container).target(container);
    assertThat(again.path("processes")).as("no probe left to audit").hasSize(1);
  }

  @Test
  void verify_reports_a_probe_that_disagrees_with_the_runtimes_spec() throws IOException {
    String fake = "Name:\\tcat\\nPid:\\t9\\nPPid:\\t0\\nUid:\\t0\\t0\\t0\\t0\\nGid:\\t0\\t0\\t0\\t0\\n"
        + "CapInh:\\t0000000000000000\\nCapPrm:\\t0000000000000000\\nCapEff:\\t0000000000000000\\n"
        + "CapBnd:\\t0000000000000000\\nCapAmb:\\t0000000000000000\\nNoNewPrivs:\\t0\\n";
    String container = docker.run("lying-cat", "--entrypoint", "/bin/sh", DockerHarness.IMAGE, "-c",
        "rm /bin/cat && printf '#!/bin/sh\\nprintf \"" + fake + "\"\\n' > /bin/cat && chmod 755 /bin/cat"
            + " && exec sleep 1000000");
    docker.awaitFileReplaced(container, "bin/cat");

    LiveReport report = scan("--exec-view", "verify", container);

    JsonNode target = report.target(container);
    assertThat(LiveReport.findings(target)).anyMatch(f -> f.startsWith("exec-view-mismatch exec user=0 bounding"));
    assertThat(report.exitCode()).isEqualTo(4);
  }

  @Test
  void a_bare_scan_falls_back_to_the_host_only_when_no_engine_was_named() throws Exception {
    // The current docker context points at a socket nothing listens on; nothing names an engine.
    Path config = temp.resolve("docker-config");
    String meta = "{\"Name\":\"dead\",\"Metadata\":{},\"Endpoints\":{\"docker\":{\"Host\":\"unix://"
        + temp.resolve("nothing.sock") + "\",\"SkipTLSVerify\":false}}}";
    Path metaDir = config.resolve("contexts/meta").resolve(HexFormat.of().formatHex(MessageDigest
        .getInstance("SHA-256").digest("dead".getBytes(StandardCharsets.UTF_8))));
    Files.createDirectories(metaDir);
    Files.writeString(metaDir.resolve("meta.json"), meta);
    Files.writeString(config.resolve("config.json"), "{\"currentContext\":\"dead\"}");
    Path json = temp.resolve("fallback.json");

    DockerHarness.Result bare = CapauditProcess.run(Map.of("DOCKER_CONFIG", config.toString()), "scan",
        "--policy", POLICY, "--json", json.toString());
    DockerHarness.Result named = CapauditProcess.run(Map.of("DOCKER_CONFIG", config.toString(), "DOCKER_CONTEXT",
        "dead"), "scan", "--policy", POLICY);

    assertThat(bare.output()).contains("auditing this host's processes instead");
    assertThat(new ObjectMapper().readTree(json.toFile()).at("/targets/0/kind").asText()).isEqualTo("host");
    assertThat(named.exitCode()).as(named.output()).isEqualTo(1);
    assertThat(named.output()).contains("DOCKER_CONTEXT=dead").doesNotContain("auditing this host");
  }


  private static JsonNode processNamed(JsonNode target, String name) {
    return StreamSupport.stream(target.path("processes").spliterator(), false)
        .filter(p -> p.path("name").asText().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in " + target.path("processes")));
  }

  private void awaitProcessNamed(String container, String name) {
    awaitProcessNamed(container, name, 1);
  }

  /** Waits until the container has this many processes of that name (read by docker top, from the host). */
  private void awaitProcessNamed(String container, String name, int count) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      long seen = docker.docker("top", container, "-o", "pid,comm").lines()
          .filter(l -> l.strip().endsWith(" " + name)).count();
      if (seen >= count) {
        return;
      }
      DockerHarness.sleep(100);
    }
    throw new AssertionError(container + " never ran " + count + " " + name);
  }

  /**
   * Waits for a host process whose command line contains the marker ({@code docker top} lists only the container's
   * cgroup, which an escaped process has left) and returns its host pid.
   */
  private static int awaitHostProcess(String marker) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      try (var entries = Files.list(Path.of("/proc"))) {
        for (Path entry : (Iterable<Path>) entries::iterator) {
          String name = entry.getFileName().toString();
          if (!name.chars().allMatch(Character::isDigit)) {
            continue;
          }
          try {
            if (new String(Files.readAllBytes(entry.resolve("cmdline")), StandardCharsets.UTF_8).contains(marker)) {
              return Integer.parseInt(name);
            }
          } catch (IOException gone) {
            // exited while listed
          }
        }
      }
      DockerHarness.sleep(100);
    }
    throw new AssertionError("no host process ran " + marker.replace('\u0000', ' '));
  }
}
