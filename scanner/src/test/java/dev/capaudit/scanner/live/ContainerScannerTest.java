package dev.capaudit.scanner.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.rules.model.ExecView;
import dev.capaudit.rules.model.ObservationSource;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.scanner.docker.ExecResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live scan against a fake engine and a fake host /proc and runtime state: no Docker, no kernel. */
class ContainerScannerTest {
  private static final String ID = "a".repeat(64);
  private static final String OTHER = "b".repeat(64);
  private static final String NS = "pid:[4026532500]";
  private static final String NESTED = "pid:[4026532600]";
  private static final String DEFAULTS = "a80425fb";

  @TempDir
  Path temp;

  private FakeHost host;
  private FakeEngine engine;

  @BeforeEach
  void setUp() {
    host = new FakeHost(temp);
    engine = new FakeEngine();
  }

  private TargetSnapshot scan(ScanSettings settings) {
    return new LiveScanner(engine, host.hostProc(), settings.withRuntimeRoots(List.of(temp.resolve("state"))))
        .scanOne(ID);
  }

  /** Attribution and threads: no spec in these, and no exec wanted. */
  private TargetSnapshot scan() {
    return scan(ScanSettings.defaults(List.of()).withExecViewMode(ExecViewMode.DERIVE));
  }

  /** A container with its own namespace whose init is host pid 100, under Docker's cgroup naming. */
  private void ownNamespaceContainer() {
    engine.container(ID, "own", "running", 100, "", List.of(), List.of(), "");
    host.process(100, 90, List.of(100, 1), NS, 0, "/docker/" + ID, DEFAULTS, DEFAULTS);
  }

  private static ProcessSnapshot pid(TargetSnapshot target, int pid) {
    return target.processes().stream().filter(p -> p.pidInContainer() == pid).findFirst()
        .orElseThrow(() -> new AssertionError("no pid " + pid + " in " + target.processes()));
  }

  @Test
  void a_thread_whose_sets_differ_from_its_leaders_is_kept_with_its_tid_and_identical_ones_are_not() {
    ownNamespaceContainer();
    host.process(101, 100, List.of(101, 7), NS, 1000, "/docker/" + ID, "0", DEFAULTS)
        .thread(102, List.of(102, 8), 1000, "1e9", DEFAULTS)
        .thread(103, List.of(103, 9), 1000, "0", DEFAULTS);

    TargetSnapshot target = scan();

    ProcessSnapshot agent = pid(target, 7);
    assertThat(agent.threads()).singleElement().satisfies(thread -> {
      assertThat(thread.tid()).as("its tid in the container's namespace").isEqualTo(8);
      assertThat(thread.status().capabilities().masks().toString()).contains("EFFECTIVE=0x1e9");
    });
    assertThat(pid(target, 1).threads()).isEmpty();
  }

  @Test
  void a_thread_that_vanishes_mid_read_is_skipped_not_an_error() {
    ownNamespaceContainer();
    host.process(101, 100, List.of(101, 7), NS, 1000, "/docker/" + ID, "0", DEFAULTS).vanishedThread(105);

    TargetSnapshot target = scan();

    assertThat(target.errors()).isEmpty();
    assertThat(pid(target, 7).threads()).isEmpty();
  }

  @Test
  void a_zombie_leader_is_audited_through_its_live_threads_and_the_container_is_not_gone() {
    engine.container(ID, "zombie", "running", 100, "", List.of(), List.of(), "");
    // The exited leader's own cgroup reads "/" (as the kernel shows it); its live thread's names the container.
    host.process(100, 90, List.of(100, 1), NS, 1000, "", "0", DEFAULTS).zombieLeader()
        .thread(101, List.of(101, 2), 0, DEFAULTS, DEFAULTS);
    FakeHost.write(temp.resolve("proc/100/task/101/cgroup"), "0::/docker/" + ID + "\n");
    FakeHost.link(temp.resolve("proc/100/task/101/ns/pid"), NS);

    TargetSnapshot target = scan();

    assertThat(target.errors()).isEmpty();
    ProcessSnapshot init = pid(target, 1);
    assertThat(init.status().effectiveUid()).as("judged by the live thread").isZero();
    assertThat(init.status().capabilities().masks().toString()).contains("EFFECTIVE=0xa80425fb");
    assertThat(target.notes()).anyMatch(n -> n.contains("leader thread has exited"));
  }

  @Test
  void a_pid_host_container_holds_its_cgroup_and_its_descendants_never_the_host() {
    engine.container(ID, "pid-host", "running", 100, "", List.of(), List.of(), "host");
    host.process(2, 0, List.of(2), FakeHost.HOST_NS, 0, "", "1ffffffffff", "1ffffffffff").name("kthreadd");
    host.process(50, 1, List.of(50), FakeHost.HOST_NS, 0, "", "1ffffffffff", "1ffffffffff").name("containerd");
    host.process(100, 90, List.of(100), FakeHost.HOST_NS, 0, "/docker/" + ID, DEFAULTS, DEFAULTS);
    // A child that moved itself to another cgroup stays its parent's child.
    host.process(120, 100, List.of(120), FakeHost.HOST_NS, 0, "/elsewhere", DEFAULTS, DEFAULTS).name("moved");

    TargetSnapshot target = scan();

    assertThat(target.processes()).extracting(ProcessSnapshot::pidInContainer).containsExactly(100, 120);
    assertThat(target.notes()).anyMatch(n -> n.contains("shares the host's pid namespace"));
  }

  @Test
  void a_container_sharing_another_containers_namespace_gets_none_of_its_processes() {
    engine.container(ID, "joiner", "running", 200, "", List.of(), List.of(), "container:" + OTHER);
    engine.container(OTHER, "owner", "running", 100, "", List.of(), List.of(), "");
    host.process(100, 90, List.of(100, 1), NS, 0, "/docker/" + OTHER, DEFAULTS, DEFAULTS);
    host.process(200, 190, List.of(200, 5), NS, 0, "/docker/" + ID, DEFAULTS, DEFAULTS);

    TargetSnapshot target = scan();

    assertThat(target.processes()).extracting(ProcessSnapshot::pidInContainer).containsExactly(5);
  }

  @Test
  void a_nested_namespace_and_a_cgroup_escaped_process_in_it_belong_to_the_container_with_their_pids() {
    ownNamespaceContainer();
    host.process(110, 100, List.of(110, 7), NS, 0, "/docker/" + ID, DEFAULTS, DEFAULTS).name("unshare");
    // In a namespace nested in the container's and in the root cgroup: found by descent.
    host.process(111, 110, List.of(111, 8, 1), NESTED, 0, "", DEFAULTS, DEFAULTS).name("hidden");
    // A host process in no container is never pulled in.
    host.process(300, 1, List.of(300), FakeHost.HOST_NS, 0, "", "0", "1ffffffffff").name("host-daemon");

    TargetSnapshot target = scan();

    assertThat(target.processes()).extracting(ProcessSnapshot::pidInContainer).containsExactly(1, 7, 8);
    ProcessSnapshot hidden = pid(target, 8);
    assertThat(hidden.nsPid()).hasValue(1);
    assertThat(hidden.status().name()).isEqualTo("hidden");
  }

  @Test
  void another_containers_process_in_the_namespace_is_not_this_ones() {
    ownNamespaceContainer();
    engine.container(OTHER, "other", "running", 400, "", List.of(), List.of(), "container:" + ID);
    host.process(400, 390, List.of(400, 12), NS, 0, "/docker/" + OTHER, DEFAULTS, DEFAULTS);

    TargetSnapshot target = scan();

    assertThat(target.processes()).extracting(ProcessSnapshot::pidInContainer).containsExactly(1);
  }

  @Test
  void the_bounding_set_and_exec_views_come_from_the_runtimes_spec_with_no_exec() {
    ownNamespaceContainer();
    host.bundle(temp.resolve("state/moby").resolve(ID), 0, List.of("CAP_CHOWN", "CAP_SYS_ADMIN"),
        List.of("CAP_CHOWN", "CAP_SYS_ADMIN"), false);

    TargetSnapshot target = scan(ScanSettings.defaults(List.of()));

    assertThat(engine.execs).isEmpty();
    assertThat(target.config().orElseThrow().boundingSet().toString()).isEqualTo("0x200001");
    assertThat(target.notes()).anyMatch(n -> n.contains("the runtime's OCI spec gives the bounding set 0x200001"));
    ExecView root = target.exec().get(0);
    assertThat(root.source()).isEqualTo(ObservationSource.OCI_SPEC);
    assertThat(root.capabilities().masks().toString()).contains("EFFECTIVE=0x200001", "BOUNDING=0x200001");
  }

  @Test
  void a_non_root_exec_from_the_spec_holds_nothing_but_keeps_the_bounding_set() {
    engine.container(ID, "agent", "running", 100, "1000", List.of(), List.of(), "");
    host.process(100, 90, List.of(100, 1), NS, 1000, "/docker/" + ID, "0", DEFAULTS);
    host.bundle(temp.resolve("state").resolve(ID), 1000, List.of("CAP_CHOWN"), List.of(), true);

    TargetSnapshot target = scan(ScanSettings.defaults(List.of()));

    ExecView configured = target.exec().get(0);
    assertThat(configured.user()).isEqualTo("1000");
    assertThat(configured.root()).isFalse();
    assertThat(configured.capabilities().masks().toString()).contains("EFFECTIVE=0x0", "BOUNDING=0x1");
    assertThat(configured.noNewPrivs()).contains(true);
    assertThat(target.exec().get(1).root()).isTrue();
  }

  @Test
  void verify_probes_and_keeps_the_specs_prediction_beside_what_the_probe_showed() {
    ownNamespaceContainer();
    host.bundle(temp.resolve("state/moby").resolve(ID), 0, List.of("CAP_CHOWN"), List.of("CAP_CHOWN"), false);
    engine.exec = (user, command) -> new ExecResult(0, FakeHost.status("cat", 9, 0, List.of(9), 0, "0", "0"), "",
        false, false);

    TargetSnapshot target = scan(ScanSettings.defaults(List.of()).withExecViewMode(ExecViewMode.VERIFY));

    ExecView root = target.exec().get(0);
    assertThat(root.source()).isEqualTo(ObservationSource.EXEC_PROBE);
    assertThat(root.disagreesWithPrediction()).isTrue();
    assertThat(root.predicted().orElseThrow().masks().toString()).contains("BOUNDING=0x1");
    assertThat(engine.execs).containsExactly("0 cat /proc/self/status");
  }

  @Test
  void without_a_spec_auto_probes_and_a_probe_showing_less_than_the_configuration_is_not_believed() {
    ownNamespaceContainer();
    engine.exec = (user, command) -> new ExecResult(0, FakeHost.status("cat", 9, 0, List.of(9), 0, "0", "0"), "",
        false, false);

    TargetSnapshot target = scan(ScanSettings.defaults(List.of()));

    assertThat(engine.execs).containsExactly("0 cat /proc/self/status");
    assertThat(target.exec().get(0).source()).isEqualTo(ObservationSource.DERIVED);
    assertThat(target.notes()).anyMatch(n -> n.contains("the container's cat may lie"));
  }

  @Test
  void a_paused_container_is_read_from_the_host_and_never_probed() {
    engine.container(ID, "paused", "paused", 100, "", List.of(), List.of(), "");
    host.process(100, 90, List.of(100, 1), NS, 0, "/docker/" + ID, DEFAULTS, DEFAULTS);

    TargetSnapshot target = scan(ScanSettings.defaults(List.of()).withExecViewMode(ExecViewMode.PROBE));

    assertThat(engine.execs).isEmpty();
    assertThat(target.processes()).hasSize(1);
    assertThat(target.exec().get(0).source()).isEqualTo(ObservationSource.DERIVED);
  }

  @Test
  void an_exited_container_is_judged_on_its_configuration_only_and_carries_an_error() {
    engine.container(ID, "exited", "exited", 0, "", List.of("SYS_ADMIN"), List.of(), "");

    TargetSnapshot target = scan();

    assertThat(target.processes()).isEmpty();
    assertThat(target.exec()).isEmpty();
    assertThat(target.config()).isPresent();
    assertThat(target.errors()).singleElement().asString().contains("exited, not running");
  }

  @Test
  void an_engine_on_another_host_is_read_through_the_container_with_every_thread() {
    engine.container(ID, "remote", "running", 100, "", List.of(), List.of(), "");
    host.process(100, 90, List.of(100), FakeHost.HOST_NS, 0, "/docker/" + OTHER, DEFAULTS, DEFAULTS);
    String dump = "capaudit-self 40\ncapaudit-status /proc/1/task/1/status\n"
        + FakeHost.status("sleep", 1, 0, List.of(1), 0, "a80405fb", "a80405fb")
        + "capaudit-status /proc/1/task/3/status\n" + FakeHost.status("keeper", 3, 0, List.of(3), 0, DEFAULTS,
            DEFAULTS)
        + "capaudit-status /proc/40/task/40/status\n" + FakeHost.status("sh", 40, 0, List.of(40), 0, "0", "0");
    engine.exec = (user, command) -> command.get(0).equals("sh") ? new ExecResult(0, dump, "", false, false)
        : new ExecResult(1, "", "no cat", false, false);

    TargetSnapshot target = scan(ScanSettings.defaults(List.of()));

    assertThat(target.processes()).singleElement().satisfies(p -> {
      assertThat(p.source()).isEqualTo(ObservationSource.CONTAINER_EXEC);
      assertThat(p.threads()).singleElement().satisfies(t -> assertThat(t.tid()).isEqualTo(3));
    });
    assertThat(target.notes()).anyMatch(n -> n.contains("the engine runs elsewhere"));
  }

  @Test
  void a_container_that_hangs_its_audit_becomes_an_error_within_the_target_deadline() {
    ownNamespaceContainer();
    engine.inspectDelayMillis = 5_000;
    ScanSettings quick = new ScanSettings(List.of(), Duration.ofSeconds(1), 1024, Duration.ofMillis(300), 2,
        ExecViewMode.AUTO, List.of());

    long started = System.nanoTime();
    TargetSnapshot target = new LiveScanner(engine, host.hostProc(), quick).scanOne(ID);

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
    assertThat(target.errors()).containsExactly("audit timed out after 0 s");
  }

  @Test
  void labels_select_running_and_paused_containers() throws Exception {
    engine.container(ID, "run", "running", 100, "", List.of(), List.of(), "");
    engine.container(OTHER, "frozen", "paused", 200, "", List.of(), List.of(), "");
    engine.container("c".repeat(64), "stopped", "exited", 0, "", List.of(), List.of(), "");

    List<String> selected = new LiveScanner(engine, host.hostProc(), ScanSettings.defaults(List.of()))
        .select(Map.of());

    assertThat(selected).containsExactlyInAnyOrder(ID, OTHER);
  }

  @Test
  void a_host_table_read_ahead_serves_one_scan_and_the_next_scan_reads_the_host_again() {
    ownNamespaceContainer();
    LiveScanner scanner = new LiveScanner(engine, host.hostProc(), ScanSettings.defaults(List.of())
        .withExecViewMode(ExecViewMode.DERIVE).withRuntimeRoots(List.of(temp.resolve("state"))));
    scanner.startReadingHost();
    TargetSnapshot first = scanner.scanOne(ID);
    host.process(101, 100, List.of(101, 7), NS, 1000, "/docker/" + ID, "0", DEFAULTS);

    TargetSnapshot second = scanner.scanOne(ID);

    assertThat(first.processes()).extracting(ProcessSnapshot::pidInContainer).containsExactly(1);
    assertThat(second.processes()).extracting(ProcessSnapshot::pidInContainer).containsExactlyInAnyOrder(1, 7);
  }
}
