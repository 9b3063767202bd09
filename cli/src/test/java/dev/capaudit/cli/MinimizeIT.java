package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.policy.AuditContext;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.scanner.policy.PolicyFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * capaudit minimize against a real engine, with images made from host binaries whose needs are known exactly: the
 * seeds' capsh-then-setpriv entrypoint (SETPCAP, SETUID, SETGID), a root chown (CHOWN), a sleep (nothing), a
 * non-root binary with a file capability (NET_RAW), and one that exits whatever it gets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MinimizeIT {
  /** busybox and its applets, and a root-owned /data to chown; no entrypoint, so -- CMD is the whole command. */
  private static final String BUSYBOX = "capaudit-minimize-busybox:latest";
  /** busybox as /bin/sleep with cap_net_raw+ep: as uid 1000 it holds NET_RAW, and cannot start without it. */
  private static final String FILE_CAP = "capaudit-minimize-filecap:latest";
  /**
   * busybox whose HEALTHCHECK chowns a root-owned file: the check (a root exec in the trial) needs CHOWN, the
   * workload ({@code sleep}) nothing. Built with {@code docker import --change HEALTHCHECK}, no registry needed.
   */
  private static final String HEALTH = "capaudit-minimize-health:latest";
  private static final String LABEL = "label=capaudit.minimize";

  @TempDir
  Path temp;

  @BeforeAll
  void images() {
    DockerHarness.start().close();
    build(BUSYBOX, "mkdir \"$root/bin\"; cp \"$(command -v busybox)\" \"$root/bin/busybox\";"
        + " for a in sh sleep chown echo test; do ln -s busybox \"$root/bin/$a\"; done; echo data > \"$root/data\";"
        + " tar --numeric-owner --owner=0 --group=0 -C \"$root\" -c .");
    build(FILE_CAP, "mkdir \"$root/bin\"; cp \"$(command -v busybox)\" \"$root/bin/sleep\";"
        + " setcap cap_net_raw+ep \"$root/bin/sleep\"; tar --xattrs --xattrs-include='security.capability'"
        + " --numeric-owner --owner=0 --group=0 -C \"$root\" -c .");
    build(HEALTH, "mkdir \"$root/bin\"; cp \"$(command -v busybox)\" \"$root/bin/busybox\";"
        + " for a in sh sleep chown; do ln -s busybox \"$root/bin/$a\"; done; echo data > \"$root/data\";"
        + " tar --numeric-owner --owner=0 --group=0 -C \"$root\" -c .",
        "--change", "'HEALTHCHECK --interval=1s --timeout=3s --retries=2 CMD chown 1000:1000 /data'");
  }

  private static void build(String image, String tarToStdout, String... importOptions) {
    if (DockerHarness.run(List.of("docker", "image", "inspect", image), 30).exitCode() == 0) {
      return;
    }
    String script = "set -e; root=$(mktemp -d); (" + tarToStdout + ") | docker import "
        + String.join(" ", importOptions) + " - " + image + "; rm -rf \"$root\"";
    DockerHarness.Result result = DockerHarness.run(List.of("sh", "-c", script), 120);
    if (result.exitCode() != 0) {
      fail("cannot build " + image + ": " + result.output());
    }
  }

  @AfterEach
  void no_trial_container_is_left_behind() {
    assertThat(trials()).as("capaudit minimize must remove every trial container").isEmpty();
  }

  private static String trials() {
    return DockerHarness.run(List.of("docker", "ps", "-aq", "--filter", LABEL), 30).output().strip();
  }

  private LiveReport minimize(String... args) throws IOException {
    Path json = temp.resolve("minimize-" + System.nanoTime() + ".json");
    List<String> all = new ArrayList<>(List.of("minimize", "--json", json.toString()));
    all.addAll(List.of(args));
    CliRunner run = CliRunner.run(all.toArray(String[]::new));
    assertThat(json).as("JSON report; stdout: %s; stderr: %s", run.out, run.err).exists();
    return new LiveReport(run.exitCode, new ObjectMapper().readTree(json.toFile()), run.out, run.err);
  }

  private static List<String> capabilities(LiveReport report) {
    return StreamSupport.stream(report.root().at("/minimize/capabilities").spliterator(), false)
        .map(JsonNode::asText).toList();
  }

  private static JsonNode kept(LiveReport report, String capability) {
    return StreamSupport.stream(report.root().at("/minimize/kept").spliterator(), false)
        .filter(k -> k.path("capability").asText().equals(capability)).findFirst()
        .orElseThrow(() -> new AssertionError("no kept " + capability + " in " + report.root().at("/minimize")));
  }

  private static JsonNode trial(LiveReport report, int number) {
    return report.root().at("/minimize/trials/" + (number - 1));
  }

  @Test
  void the_capsh_then_setpriv_entrypoint_needs_setpcap_setuid_and_setgid() throws Exception {
    Path policy = temp.resolve("minimal.yaml");

    LiveReport report = minimize(DockerHarness.IMAGE, "--ready-log", "stage1 CapBnd=", "--policy-out",
        policy.toString(), "--emit", "run");

    assertThat(report.exitCode()).as(report.out() + report.err()).isZero();
    assertThat(capabilities(report)).containsExactly("CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP");
    assertThat(report.root().at("/minimize/set").asText()).isEqualTo("0x1c0");
    assertThat(report.root().at("/minimize/startingSet").asText()).isEqualTo("0xa80425fb");
    assertThat(report.root().at("/minimize/status").asText()).isEqualTo("minimal");
    assertThat(report.root().at("/minimize/trialCount").asInt()).isLessThanOrEqualTo(16);
    JsonNode setuid = trial(report, kept(report, "CAP_SETUID").path("withoutTrial").asInt());
    assertThat(setuid.path("phase").asText()).isEqualTo("verify");
    assertThat(setuid.path("set").asText()).as("SETGID and SETPCAP").isEqualTo("0x140");
    assertThat(setuid.path("verdict").asText()).isEqualTo("fail");
    assertThat(setuid.path("exitCode").asLong()).isNotZero();
    assertThat(setuid.path("logTail").toString()).contains("setpriv: setresuid failed: Operation not permitted");
    JsonNode setpcap = trial(report, kept(report, "CAP_SETPCAP").path("withoutTrial").asInt());
    assertThat(setpcap.path("state").asText()).isEqualTo("running");
    assertThat(setpcap.path("reason").asText()).contains("pid 1 (sleep, uid 1000) holds").contains("CAP_SETUID")
        .contains("in its bounding set, which it does not hold with the starting set");
    assertThat(kept(report, "CAP_SETUID").path("need").asText()).isEqualTo("root-start-up");
    assertThat(kept(report, "CAP_SETPCAP").path("holders").toString()).contains("pid 1 (sleep, uid 1000): bounding");
    JsonNode target = report.root().at("/targets/0");
    assertThat(target.path("verdict").asText()).isEqualTo("pass");
    assertThat(LiveReport.process(target, 1).at("/sets/bounding").asText()).isEqualTo("0x100");
    assertThat(report.out()).contains("minimal set: CAP_SETGID, CAP_SETUID, CAP_SETPCAP (0x1c0)")
        .contains("--cap-drop ALL --cap-add SETGID --cap-add SETUID --cap-add SETPCAP\n");

    Policy written = PolicyFiles.load(policy);
    assertThat(written.loadBearing()).containsOnlyKeys(Capability.SETGID, Capability.SETUID, Capability.SETPCAP);
    assertThat(written.mustDrop()).hasSize(Capability.values().length - 3);
    assertThat(written.loadBearing().get(Capability.SETUID).reason()).contains("setresuid failed");
    assertThat(written.loadBearing().get(Capability.SETPCAP).contexts()).contains(AuditContext.NONROOT_PROCESS,
        AuditContext.ROOT_PROCESS, AuditContext.CONFIG);
  }

  @Test
  void a_root_chown_entrypoint_needs_only_chown() throws Exception {
    LiveReport report = minimize(BUSYBOX, "--hold", "2", "--", "sh", "-c",
        "chown 1000:1000 /data && exec sleep 1000000");

    assertThat(report.exitCode()).as(report.out() + report.err()).isZero();
    assertThat(capabilities(report)).containsExactly("CAP_CHOWN");
    // The minimal set without CHOWN is nothing at all: the trial of the starting set without everything.
    JsonNode without = trial(report, kept(report, "CAP_CHOWN").path("withoutTrial").asInt());
    assertThat(without.path("set").asText()).isEqualTo("0x0");
    assertThat(without.path("exitCode").asLong()).isEqualTo(1);
    assertThat(without.path("logTail").toString()).contains("chown: /data: Operation not permitted");
    assertThat(kept(report, "CAP_CHOWN").path("need").asText()).isEqualTo("root-process");
  }

  @Test
  void a_workload_that_needs_nothing_gets_nothing() throws Exception {
    Path policy = temp.resolve("nothing.yaml");

    LiveReport report = minimize(BUSYBOX, "--hold", "2", "--policy-out", policy.toString(), "--", "sleep",
        "1000000");

    assertThat(report.exitCode()).as(report.out() + report.err()).isZero();
    assertThat(capabilities(report)).isEmpty();
    assertThat(report.root().at("/minimize/set").asText()).isEqualTo("0x0");
    assertThat(report.root().at("/minimize/trialCount").asInt()).isEqualTo(3);
    assertThat(LiveReport.process(report.root().at("/targets/0"), 1).at("/sets/bounding").asText()).isEqualTo("0x0");
    Policy written = PolicyFiles.load(policy);
    assertThat(written.loadBearing()).isEmpty();
    assertThat(written.mustDrop()).isEqualTo(EnumSet.allOf(Capability.class));
  }

  @Test
  void a_non_root_binary_with_a_file_capability_needs_it_and_is_warned_about() throws Exception {
    LiveReport report = minimize(FILE_CAP, "--hold", "2", "--user", "1000", "--", "/bin/sleep", "1000000");

    assertThat(report.exitCode()).as(report.out() + report.err()).isZero();
    assertThat(capabilities(report)).containsExactly("CAP_NET_RAW");
    assertThat(kept(report, "CAP_NET_RAW").path("need").asText()).isEqualTo("non-root");
    assertThat(kept(report, "CAP_NET_RAW").path("warning").asBoolean()).isTrue();
    assertThat(kept(report, "CAP_NET_RAW").path("holders").toString())
        .contains("pid 1 (sleep, uid 1000): permitted, effective, bounding");
    assertThat(report.out()).contains("WARNING: CAP_NET_RAW: the non-root workload holds it: it came through ambient"
        + " or file capabilities");
  }

  @Test
  void the_images_healthcheck_is_part_of_readiness_and_keeps_what_only_the_check_needs() throws Exception {
    LiveReport report = minimize(HEALTH, "--hold", "2", "--", "sleep", "1000000");

    assertThat(report.exitCode()).as(report.out() + report.err()).isZero();
    // The workload alone needs nothing (see a_workload_that_needs_nothing_gets_nothing): CHOWN is the check's.
    assertThat(capabilities(report)).containsExactly("CAP_CHOWN");
    JsonNode without = trial(report, kept(report, "CAP_CHOWN").path("withoutTrial").asInt());
    assertThat(without.path("verdict").asText()).isEqualTo("fail");
    assertThat(without.path("reason").asText()).contains("HEALTHCHECK");
  }

  @Test
  void a_workload_that_exits_whatever_it_gets_is_an_error_with_its_log() throws Exception {
    Path policy = temp.resolve("never.yaml");

    LiveReport report = minimize(BUSYBOX, "--policy-out", policy.toString(), "--", "sh", "-c",
        "echo boom >&2; exit 3");

    assertThat(report.exitCode()).isEqualTo(ExitCode.UNREADABLE.code());
    assertThat(report.root().at("/minimize/status").asText()).isEqualTo("baseline-failed");
    assertThat(report.root().at("/minimize/set").isMissingNode()).as("never an empty set").isTrue();
    assertThat(report.root().at("/minimize/kept")).isEmpty();
    assertThat(trial(report, 1).path("phase").asText()).isEqualTo("baseline");
    assertThat(trial(report, 1).path("set").asText()).isEqualTo("0xa80425fb");
    JsonNode target = report.root().at("/targets/0");
    assertThat(target.path("verdict").asText()).isEqualTo("error");
    assertThat(target.at("/gate/exitCode").asInt()).isEqualTo(3);
    assertThat(target.at("/gate/log").asText()).contains("boom");
    assertThat(target.path("errors").toString()).contains("the workload fails even with the starting set 0xa80425fb")
        .contains("exited with code 3");
    assertThat(report.err()).contains("log: boom");
    assertThat(policy).as("no policy for a workload that never ran").doesNotExist();
  }

  @Test
  void a_ready_cmd_that_never_passes_fails_the_baseline() throws Exception {
    LiveReport report = minimize(BUSYBOX, "--hold", "1", "--timeout", "3", "--ready-cmd", "test -e /ready",
        "--", "sleep", "1000000");

    assertThat(report.exitCode()).isEqualTo(ExitCode.UNREADABLE.code());
    assertThat(trial(report, 1).path("reason").asText()).isEqualTo("--ready-cmd failed: exit code 1");
  }

  @Test
  void a_container_is_minimized_from_its_own_configuration_and_never_touched() throws Exception {
    String volume = "capaudit-minimize-it-" + System.nanoTime();
    try (DockerHarness docker = DockerHarness.start()) {
      // The image has no command: the trials work only with the container's own command and env.
      String name = docker.run("minimize-original", "-e", "TARGET=/data", "-v", volume + ":/work", BUSYBOX, "sh",
          "-c", "echo $HOSTNAME >> /work/log; chown 1000:1000 $TARGET && exec sleep 1000000");
      docker.awaitPid1(name, "sleep");
      String before = docker.docker("inspect", "-f", "{{.Id}} {{.State.StartedAt}} {{.RestartCount}}", name);

      LiveReport report = minimize(name, "--hold", "2");

      assertThat(report.exitCode()).as(report.out() + report.err()).isZero();
      assertThat(report.root().at("/minimize/mode").asText()).isEqualTo("container");
      assertThat(report.root().at("/minimize/from").asText()).isEqualTo("the container's own");
      assertThat(capabilities(report)).containsExactly("CAP_CHOWN");
      assertThat(docker.docker("inspect", "-f", "{{.Id}} {{.State.StartedAt}} {{.RestartCount}}", name))
          .isEqualTo(before);
      assertThat(docker.docker("inspect", "-f", "{{.State.Running}}", name).strip()).isEqualTo("true");
      assertThat(docker.docker("exec", name, "sh", "-c", "cat /work/log").lines().count())
          .as("no trial wrote to the original's volume").isEqualTo(1);
      assertThat(report.root().at("/minimize/notes").toString()).contains("/work").contains("neither read nor"
          + " written");
    } finally {
      DockerHarness.run(List.of("docker", "volume", "rm", "-f", volume), 60);
    }
  }

  @Test
  void the_budget_reports_the_best_set_proven_so_far_and_removes_every_trial() throws Exception {
    long started = System.nanoTime();

    LiveReport report = minimize(DockerHarness.IMAGE, "--hold", "1", "--budget", "4");

    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(30);
    assertThat(report.exitCode()).isEqualTo(ExitCode.UNREADABLE.code());
    assertThat(report.root().at("/minimize/status").asText()).isEqualTo("incomplete");
    assertThat(report.root().at("/minimize/reason").asText()).startsWith("the budget of 4 s ran out after ");
    assertThat(report.root().at("/targets/0/verdict").asText()).isEqualTo("error");
  }

  @Test
  void sigterm_removes_every_trial_container() throws Exception {
    CapauditProcess run = CapauditProcess.start(temp.resolve("minimize.log"), Map.of(), "minimize",
        DockerHarness.IMAGE);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (trials().lines().count() < 2 && System.nanoTime() < deadline) {
      DockerHarness.sleep(50);
    }
    assertThat(trials().lines().count()).as("trials running in parallel").isGreaterThanOrEqualTo(2);

    run.terminate();
    run.waitFor();

    assertThat(trials()).as("removed by the shutdown hook").isEmpty();
  }
}
