package dev.capaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seeds reproduced end to end on a real engine: an entrypoint that drops with capsh and steps down with setpriv,
 * run under the permissive runtime (--cap-add SYS_ADMIN --cap-add SYS_PTRACE), judged by the NemoClaw policy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveScanIT {
  private static final String POLICY = "nemoclaw-sandbox";
  private static final String DROP_WITHOUT_SYS_ADMIN = "cap_sys_ptrace,cap_net_raw,cap_dac_override,cap_sys_chroot,"
      + "cap_fsetid,cap_setfcap,cap_mknod,cap_audit_write,cap_net_bind_service";
  private static final String[] PERMISSIVE = {"--cap-add", "SYS_ADMIN", "--cap-add", "SYS_PTRACE"};

  private DockerHarness docker;

  @TempDir
  Path temp;

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

  private String agent(String name, String... extraArgs) {
    String[] args = concat(PERMISSIVE, extraArgs, new String[] {DockerHarness.IMAGE});
    String container = docker.run(name, args);
    docker.awaitPid1(container, "sleep");
    return container;
  }

  private LiveReport scan(String... args) throws IOException {
    return LiveReport.scan(temp.resolve("report-" + System.nanoTime() + ".json"),
        concat(new String[] {"--policy", POLICY}, args));
  }

  @Test
  void correct_drop_lists_leave_pid_1_clean_but_the_exec_shell_keeps_0xa82c25fb() throws IOException {
    String container = agent("agent-fixed");

    LiveReport report = scan(container);

    JsonNode target = report.target(container);
    JsonNode pid1 = LiveReport.process(target, 1);
    assertThat(report.exitCode()).isEqualTo(4);
    assertThat(target.path("verdict").asText()).isEqualTo("fail");
    assertThat(pid1.path("uid").asInt()).isEqualTo(1000);
    assertThat(pid1.at("/sets/bounding").asText()).isEqualTo("0x100");
    assertThat(pid1.path("source").asText()).isEqualTo("host-proc");
    assertThat(target.path("processes")).as("probe processes are never listed").hasSize(1);
    assertThat(target.at("/exec/0/sets/bounding").asText()).isEqualTo("0xa82c25fb");
    assertThat(target.at("/exec/0/source").asText()).as("read from the runtime's own spec").isEqualTo("oci-spec");
    assertThat(LiveReport.findings(target))
        .contains("must-drop-present exec user=0 bounding CAP_SYS_ADMIN",
            "must-drop-present exec user=0 effective CAP_SYS_PTRACE")
        .noneMatch(f -> f.contains(" process "));
  }

  @Test
  void a_live_scan_writes_all_five_formats_in_one_run() throws IOException {
    String container = agent("agent-reports", "-e", "DROP=" + DROP_WITHOUT_SYS_ADMIN);

    LiveReport report = scan("--html", temp.resolve("live.html").toString(), "--junit",
        temp.resolve("live.xml").toString(), "--sarif", temp.resolve("live.sarif").toString(), "--markdown",
        temp.resolve("live.md").toString(), container);

    assertThat(report.exitCode()).isEqualTo(4);
    assertThat(Files.readString(temp.resolve("live.html"))).contains(container).contains("0x200100");
    assertThat(Files.readString(temp.resolve("live.xml"))).contains(container);
    assertThat(Files.readString(temp.resolve("live.sarif"))).contains(container);
    assertThat(Files.readString(temp.resolve("live.md")))
        .contains("CAP\\_SYS\\_ADMIN in CapBnd of pid 1 (sleep, uid 1000) in " + container)
        .contains("docker exec -u '0' '" + container + "' grep ^Cap /proc/self/status");
  }

  @Test
  void sys_admin_left_out_of_the_capsh_list_leaves_0x200100_on_pid_1() throws IOException {
    String container = agent("agent-sysadmin", "-e", "DROP=" + DROP_WITHOUT_SYS_ADMIN);

    JsonNode target = scan(container).target(container);

    assertThat(LiveReport.process(target, 1).at("/sets/bounding").asText()).isEqualTo("0x200100");
    assertThat(LiveReport.findings(target)).contains("must-drop-present process pid=1 bounding CAP_SYS_ADMIN",
        "regain-path process pid=1 bounding CAP_SYS_ADMIN");
  }

  @Test
  void setuid_left_out_of_the_setpriv_list_leaves_0x180() throws IOException {
    String container = agent("agent-setuid", "-e", "STEP_DROP=-setgid,-fowner,-chown,-kill");

    JsonNode target = scan(container).target(container);

    assertThat(LiveReport.process(target, 1).at("/sets/bounding").asText()).isEqualTo("0x180");
    assertThat(LiveReport.findings(target)).contains("outside-allowed-context process pid=1 bounding CAP_SETUID")
        .filteredOn(f -> f.contains("process pid=1")).hasSize(1);
  }

  @Test
  void drop_all_plus_the_six_load_bearing_passes() throws IOException {
    String container = docker.run("agent-drop-all", "--cap-drop", "ALL", "--cap-add", "CHOWN", "--cap-add", "FOWNER",
        "--cap-add", "KILL", "--cap-add", "SETGID", "--cap-add", "SETUID", "--cap-add", "SETPCAP",
        DockerHarness.IMAGE);
    docker.awaitPid1(container, "sleep");

    LiveReport report = scan(container);

    JsonNode target = report.target(container);
    assertThat(target.path("findings")).as("findings").isEmpty();
    assertThat(target.path("verdict").asText()).isEqualTo("pass");
    assertThat(target.at("/config/boundingSet").asText()).isEqualTo("0x1e9");
    assertThat(target.at("/exec/0/sets/bounding").asText()).isEqualTo("0x1e9");
    assertThat(report.exitCode()).isZero();
  }

  @Test
  void docker_defaults_as_root_fail() throws IOException {
    String container = docker.run("defaults-root", "--entrypoint", "sleep", DockerHarness.IMAGE, "1000000");
    docker.awaitPid1(container, "sleep");

    JsonNode target = scan(container).target(container);

    assertThat(target.path("verdict").asText()).isEqualTo("fail");
    assertThat(LiveReport.process(target, 1).at("/sets/effective").asText()).isEqualTo("0xa80425fb");
    assertThat(LiveReport.findings(target)).contains("must-drop-present process pid=1 effective CAP_NET_RAW",
        "must-drop-present config config bounding CAP_NET_RAW");
  }

  @Test
  void drop_all_as_user_1000_passes() throws IOException {
    String container = dropAllUser1000("user1000");

    LiveReport report = scan(container);

    assertThat(report.target(container).path("verdict").asText()).isEqualTo("pass");
    assertThat(report.target(container).at("/exec/0/user").asText()).isEqualTo("1000");
    assertThat(report.exitCode()).isZero();
  }

  @Test
  void a_child_forked_before_the_drop_is_found_with_its_own_sets() throws IOException {
    String container = docker.run("forked-child", concat(PERMISSIVE, new String[] {"--entrypoint", "/bin/sh",
        DockerHarness.IMAGE, "-c", "sleep 1000000 & exec /entry.sh sleep 1000001"}));
    docker.awaitPid1(container, "sleep");

    JsonNode target = scan(container).target(container);

    JsonNode child = StreamSupport.stream(target.path("processes").spliterator(), false)
        .filter(p -> p.path("pid").asInt() != 1).findFirst().orElseThrow();
    assertThat(target.path("processes")).hasSize(2);
    assertThat(LiveReport.process(target, 1).at("/sets/bounding").asText()).isEqualTo("0x100");
    assertThat(child.path("uid").asInt()).isZero();
    assertThat(child.path("ppid").asInt()).isPositive();
    assertThat(child.at("/sets/bounding").asText()).isEqualTo("0xa82c25fb");
    assertThat(LiveReport.findings(target)).contains("must-drop-present process pid=" + child.path("pid").asInt()
        + " effective CAP_SYS_ADMIN");
  }

  @Test
  void ambient_capabilities_on_a_non_root_process_are_found() throws IOException {
    String container = docker.run("ambient", "--entrypoint", "/usr/bin/setpriv", DockerHarness.IMAGE,
        "--reuid=sandbox", "--regid=sandbox", "--init-groups", "--inh-caps=+net_raw", "--ambient-caps=+net_raw",
        "--", "sleep", "1000000");
    docker.awaitPid1(container, "sleep");

    JsonNode target = scan(container).target(container);

    assertThat(LiveReport.process(target, 1).at("/sets/ambient").asText()).isEqualTo("0x2000");
    assertThat(LiveReport.findings(target)).contains("ambient-on-non-root process pid=1 ambient CAP_NET_RAW");
  }

  @Test
  void a_paused_container_is_never_a_pass() throws IOException {
    String violating = docker.run("paused-root", "--entrypoint", "sleep", DockerHarness.IMAGE, "1000000");
    String clean = dropAllUser1000("paused-clean");
    docker.awaitPid1(violating, "sleep");
    docker.docker("pause", violating);
    docker.docker("pause", clean);

    JsonNode fromHost = scan(violating).target(violating);
    JsonNode withoutHost = scan("--proc-root", "/nonexistent", clean).target(clean);

    assertThat(fromHost.path("verdict").asText()).isEqualTo("fail");
    assertThat(LiveReport.process(fromHost, 1).at("/sets/bounding").asText()).isEqualTo("0xa80425fb");
    assertThat(fromHost.at("/exec/0/source").asText()).as("a paused container's spec is readable").isEqualTo(
        "oci-spec");
    assertThat(withoutHost.path("verdict").asText()).isEqualTo("error");
    assertThat(withoutHost.path("errors").toString()).contains("paused");
    docker.docker("unpause", violating);
    docker.docker("unpause", clean);
  }

  @Test
  void a_shell_less_container_is_never_a_pass() throws IOException {
    String violating = docker.run("shell-less-root", DockerHarness.SHELL_LESS_IMAGE, "1000000");
    String clean = docker.run("shell-less-clean", "--cap-drop", "ALL", "--user", "1000",
        DockerHarness.SHELL_LESS_IMAGE, "1000000");
    docker.awaitPid1(violating, "sleep");

    JsonNode fromHost = scan(violating).target(violating);
    JsonNode probed = scan("--exec-view", "probe", violating).target(violating);
    JsonNode withoutHost = scan("--proc-root", "/nonexistent", clean).target(clean);

    assertThat(fromHost.path("verdict").asText()).isEqualTo("fail");
    assertThat(fromHost.at("/exec/0/source").asText()).as("no exec needed").isEqualTo("oci-spec");
    assertThat(probed.at("/exec/0/source").asText()).as("no cat to probe with").isEqualTo("oci-spec");
    assertThat(probed.path("notes").toString()).contains("from the runtime's OCI spec: the probe failed");
    assertThat(withoutHost.path("verdict").asText()).isEqualTo("error");
    assertThat(withoutHost.path("errors").toString()).contains("no shell or cat");
  }

  @Test
  void a_container_that_exits_during_the_scan_is_an_error_and_the_others_complete() throws IOException {
    // The container swaps its cat for one that stops pid 1, so it exits exactly while capaudit's exec probe runs.
    // Root without capabilities may still rewrite its own root-owned /bin, and holds nothing the policy forbids.
    String exiting = docker.run("exits-mid-scan", "--cap-drop", "ALL", "--entrypoint", "/bin/sh",
        DockerHarness.IMAGE, "-c", "rm /bin/cat && printf '#!/bin/sh\\nkill -TERM 1\\nsleep 5\\n' > /bin/cat"
            + " && chmod 755 /bin/cat && trap 'exit 0' TERM && while :; do sleep 1 & wait; done");
    docker.awaitFileReplaced(exiting, "bin/cat");
    String steady = dropAllUser1000("steady");

    LiveReport report = scan("--exec-view", "probe", exiting, steady);

    assertThat(report.target(exiting).path("verdict").asText()).as("%s", report.target(exiting)).isEqualTo("error");
    assertThat(report.target(exiting).path("errors").toString()).contains("exited during the scan");
    assertThat(report.target(steady).path("verdict").asText()).isEqualTo("pass");
    assertThat(report.exitCode()).isEqualTo(5);
  }

  @Test
  void without_the_host_proc_processes_are_read_in_one_exec_and_marked_as_such() throws IOException {
    String container = agent("agent-exec-dump");

    JsonNode target = scan("--proc-root", "/nonexistent", container).target(container);

    assertThat(target.path("processes")).as("the dump's own sh and cat are not listed").hasSize(1);
    assertThat(LiveReport.process(target, 1).path("source").asText()).isEqualTo("container-exec");
    assertThat(LiveReport.process(target, 1).at("/sets/bounding").asText()).isEqualTo("0x100");
    assertThat(target.path("notes").toString()).contains("container's own sh and cat");
  }

  @Test
  void exec_user_probes_the_sandbox_users_connect_shell() throws IOException {
    String container = agent("agent-connect");

    JsonNode target = scan("--exec-user", "sandbox", container).target(container);

    JsonNode sandbox = StreamSupport.stream(target.path("exec").spliterator(), false)
        .filter(e -> e.path("user").asText().equals("sandbox")).findFirst().orElseThrow();
    assertThat(sandbox.path("root").asBoolean()).isFalse();
    assertThat(sandbox.at("/sets/effective").asText()).isEqualTo("0x0");
    assertThat(sandbox.at("/sets/bounding").asText()).isEqualTo("0xa82c25fb");
    assertThat(LiveReport.findings(target)).contains("regain-path exec user=sandbox bounding CAP_SYS_ADMIN",
        "outside-allowed-context exec user=sandbox bounding CAP_SETUID");
  }

  @Test
  void label_selection_audits_only_the_labelled_containers() throws IOException {
    String labelled = docker.run("labelled", "--label", "team=sandbox-" + docker.runId(), "--cap-drop", "ALL",
        "--user", "1000", "--entrypoint", "sleep", DockerHarness.IMAGE, "1000000");

    LiveReport report = scan("--label", "team=sandbox-" + docker.runId());

    assertThat(report.root().path("targets")).hasSize(1);
    assertThat(report.target(labelled).path("labels").path("team").asText()).isEqualTo("sandbox-" + docker.runId());
  }

  @Test
  void an_unreachable_engine_exits_1_naming_the_host_without_a_stack_trace() {
    CliRunner run = CliRunner.run("scan", "--host", "unix:///nonexistent/docker.sock", "--all");

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.err).contains("no Docker engine answered at unix:///nonexistent/docker.sock")
        .doesNotContain("at dev.capaudit").doesNotContain("Exception in thread");
  }

  @Test
  void host_scan_attributes_each_process_to_its_container() throws IOException {
    String container = agent("agent-host-view");
    Path json = temp.resolve("host.json");

    CliRunner run = CliRunner.run("host", "--policy", POLICY, "--json", json.toString());

    JsonNode report = new ObjectMapper().readTree(json.toFile());
    JsonNode target = new LiveReport(run.exitCode, report, run.out, run.err).target(container);
    assertThat(report.at("/targets/0/kind").asText()).isEqualTo("host");
    assertThat(target.path("kind").asText()).isEqualTo("container");
    assertThat(target.path("processes")).hasSize(1);
    assertThat(target.at("/processes/0/sets/bounding").asText()).isEqualTo("0x100");
    assertThat(target.at("/config/boundingSet").asText()).isEqualTo("0xa82c25fb");
    assertThat(run.exitCode).isEqualTo(4);
  }

  @Test
  void a_bare_scan_of_a_named_engine_that_does_not_answer_never_audits_this_host() {
    Path json = temp.resolve("named.json");

    CliRunner run = CliRunner.run("scan", "--host", "unix:///nonexistent/docker.sock", "--policy", POLICY,
        "--json", json.toString());

    assertThat(run.exitCode).isEqualTo(1);
    assertThat(run.err).contains("no Docker engine answered at unix:///nonexistent/docker.sock")
        .contains("--host unix:///nonexistent/docker.sock").doesNotContain("auditing this host");
    assertThat(json).doesNotExist();
  }

  private String dropAllUser1000(String name) {
    String container = docker.run(name, "--cap-drop", "ALL", "--user", "1000", "--entrypoint", "sleep",
        DockerHarness.IMAGE, "1000000");
    docker.awaitPid1(container, "sleep");
    return container;
  }

  private static String[] concat(String[]... parts) {
    return Arrays.stream(parts).flatMap(Arrays::stream).toArray(String[]::new);
  }
}
