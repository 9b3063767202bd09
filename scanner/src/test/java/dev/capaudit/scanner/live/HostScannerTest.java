package dev.capaudit.scanner.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.scanner.TestFiles;
import dev.capaudit.scanner.runtime.RuntimeDiscovery;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node of four runtimes, laid out from real captures (samples/captured/runtime; CRI-O's constructed from its
 * source): the host audit finds, names and judges every container from their state alone.
 */
class HostScannerTest {
  private static final String DOCKER = "6618d998c4ada951be47d70e66ba031d64cb88087993eaaf18ba3de331aedde0";
  private static final String POD_APP = "7c6aa05f364ee06424c38d22a98338bfb02192d96ec99442de24d8bec3027fd7";
  private static final String POD_SANDBOX = "085c4f807859b1411cecdadee3ae810a768d3a8fdd21349369001a0b13c3ce85";
  private static final String PODMAN = "569323e9786316dbd75c5e7dc5e761ca4772102417d941c131c161a2c25b3100";
  private static final String CRIO = "857e8a6a59274e165f4e4b4628cc366c37ad6ad4ed701cc8adbb32d3f4f358f8";
  private static final String DEFAULTS = "a80425fb";

  @TempDir
  Path temp;

  private FakeHost host;
  private Path root;

  @BeforeEach
  void node() throws IOException {
    host = new FakeHost(temp);
    root = temp.resolve("host");
    // Docker: its own state, and the task its containerd keeps in namespace moby.
    copy("docker/default/config.v2.json", "var/lib/docker/containers/" + DOCKER + "/config.v2.json");
    copy("docker/default/hostconfig.json", "var/lib/docker/containers/" + DOCKER + "/hostconfig.json");
    copy("docker/default/config.json", "run/docker/containerd/daemon/io.containerd.runtime.v2.task/moby/" + DOCKER
        + "/config.json");
    host.process(30786, 30765, List.of(30786, 1), "pid:[4026532201]", 1000, "/docker/" + DOCKER, "0", "100");
    // containerd, k8s.io: a pod's sandbox and its app, their labels in containerd's metadata database.
    task("containerd-k8s.io/sandbox", POD_SANDBOX, 32176);
    task("containerd-k8s.io/app", POD_APP, 32296);
    try (InputStream db = new GZIPInputStream(Files.newInputStream(
        TestFiles.sample("captured/runtime/containerd-k8s.io/meta.db.gz")))) {
      Path target = root.resolve("var/lib/containerd/io.containerd.metadata.v1.bolt/meta.db");
      Files.createDirectories(target.getParent());
      Files.copy(db, target);
    }
    host.process(32176, 32118, List.of(32176, 1), "pid:[4026532301]", 65535, "/kubepods/besteffort/pod7d4c/"
        + POD_SANDBOX, "0", DEFAULTS).name("pause");
    host.process(32296, 32118, List.of(32296, 1), "pid:[4026532302]", 0, "/kubepods/besteffort/pod7d4c/" + POD_APP,
        DEFAULTS, DEFAULTS);
    // Podman: containers/storage lists it; its bundle is in the persistent root, its pid in the run root.
    FakeHost.write(root.resolve("var/lib/containers/storage/overlay-containers/containers.json"),
        TestFiles.read("captured/runtime/podman/default/storage-containers.entry.json"));
    copy("podman/default/config.json", "var/lib/containers/storage/overlay-containers/" + PODMAN
        + "/userdata/config.json");
    FakeHost.write(root.resolve("run/containers/storage/overlay-containers/" + PODMAN + "/userdata/pidfile"), "32634");
    host.process(32634, 32623, List.of(32634, 1), "pid:[4026532401]", 0, "/libpod_parent/libpod-" + PODMAN,
        "800405fb", "800405fb");
    // CRI-O: the same store, its bundle in the run root, managed by cri-o.
    FakeHost.write(root.resolve("run/containers/storage/overlay-containers/containers.json"),
        "[{\"id\":\"" + CRIO + "\",\"names\":[\"k8s_app_web-0_shop_7d4c0b5e_0\"],\"metadata\":\"{}\"}]");
    copy("cri-o/app/config.json", "run/containers/storage/overlay-containers/" + CRIO + "/userdata/config.json");
    FakeHost.write(root.resolve("run/containers/storage/overlay-containers/" + CRIO + "/userdata/pidfile"), "40001");
    host.process(40001, 40000, List.of(40001, 1), "pid:[4026532501]", 0, "/kubepods/besteffort/pod7d4c/crio-" + CRIO,
        "5fb", "5fb");
    // A host daemon in no container.
    host.process(900, 1, List.of(900), FakeHost.HOST_NS, 0, "", "1ffffffffff", "1ffffffffff").name("dockerd");
  }

  private void copy(String capture, String to) throws IOException {
    Path target = root.resolve(to);
    Files.createDirectories(target.getParent());
    Files.copy(TestFiles.sample("captured/runtime/" + capture), target);
  }

  private void task(String capture, String id, int pid) throws IOException {
    copy(capture + "/config.json", "run/containerd/io.containerd.runtime.v2.task/k8s.io/" + id + "/config.json");
    FakeHost.write(root.resolve("run/containerd/io.containerd.runtime.v2.task/k8s.io/" + id + "/init.pid"),
        Integer.toString(pid));
  }

  private List<TargetSnapshot> scan(HostScanSettings.Filter filter) throws IOException {
    return new HostScanner(host.hostProc(), new HostScanSettings(RuntimeDiscovery.Layout.of(root, Optional.empty()),
        List.of(), filter)).scan(Optional.empty());
  }

  private static TargetSnapshot byId(List<TargetSnapshot> targets, String id) {
    return targets.stream().filter(t -> t.id().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + id + " in " + targets.stream().map(TargetSnapshot::name)
            .toList()));
  }

  @Test
  void every_runtimes_containers_are_found_named_and_configured_from_their_state() throws IOException {
    List<TargetSnapshot> targets = scan(HostScanSettings.Filter.NONE);

    TargetSnapshot docker = byId(targets, DOCKER);
    assertThat(docker.name()).isEqualTo("capaudit-rt-docker-default");
    assertThat(docker.origin().runtime()).isEqualTo("docker");
    assertThat(docker.config().orElseThrow().boundingSet().toString()).isEqualTo("0xa80425fb");
    assertThat(docker.labels()).containsEntry("capaudit.capture", "1");

    TargetSnapshot app = byId(targets, POD_APP);
    assertThat(app.name()).isEqualTo("shop/web-0/app");
    assertThat(app.origin().runtime()).isEqualTo("containerd");
    assertThat(app.origin().namespace()).isEqualTo("k8s.io");
    assertThat(app.origin().kubernetes()).hasValueSatisfying(k -> {
      assertThat(k.pod()).isEqualTo("web-0");
      assertThat(k.podNamespace()).isEqualTo("shop");
      assertThat(k.container()).isEqualTo("app");
      assertThat(k.sandbox()).isFalse();
    });
    assertThat(app.labels()).containsEntry("io.kubernetes.container.name", "app");
    assertThat(byId(targets, POD_SANDBOX).origin().kubernetes()).hasValueSatisfying(k ->
        assertThat(k.sandbox()).isTrue());

    TargetSnapshot podman = byId(targets, PODMAN);
    assertThat(podman.origin().runtime()).isEqualTo("podman");
    assertThat(podman.name()).isEqualTo("capaudit-rt-podman-default");
    assertThat(podman.config().orElseThrow().boundingSet().toString()).as("podman's 11").isEqualTo("0x800405fb");

    TargetSnapshot crio = byId(targets, CRIO);
    assertThat(crio.origin().runtime()).isEqualTo("cri-o");
    assertThat(crio.name()).isEqualTo("shop/web-0/app");
    assertThat(crio.config().orElseThrow().boundingSet().toString()).as("CRI-O's 9 defaults").isEqualTo("0x5fb");
    assertThat(crio.exec()).isNotEmpty().allSatisfy(view -> assertThat(view.source().id()).isEqualTo("oci-spec"));
  }

  @Test
  void each_container_holds_its_own_processes_and_the_host_none_of_them() throws IOException {
    List<TargetSnapshot> targets = scan(HostScanSettings.Filter.NONE);

    assertThat(byId(targets, DOCKER).processes()).extracting(ProcessSnapshot::pidInContainer).containsExactly(1);
    assertThat(byId(targets, POD_APP).processes()).extracting(p -> p.status().pid()).containsExactly(32296);
    assertThat(byId(targets, CRIO).processes()).extracting(p -> p.status().pid()).containsExactly(40001);
    TargetSnapshot node = targets.stream().filter(t -> t.kind() == TargetKind.HOST).findFirst().orElseThrow();
    assertThat(node.processes()).extracting(p -> p.status().pid()).containsExactlyInAnyOrder(1, 900);
  }

  @Test
  void filters_leave_out_other_containers_and_the_host() throws IOException {
    List<TargetSnapshot> shop = scan(new HostScanSettings.Filter(Set.of(), Set.of(), Set.of("shop"), Map.of()));
    List<TargetSnapshot> podman = scan(new HostScanSettings.Filter(Set.of("podman"), Set.of(), Set.of(), Map.of()));
    List<TargetSnapshot> labelled = scan(new HostScanSettings.Filter(Set.of(), Set.of("k8s.io"), Set.of(),
        Map.of("io.cri-containerd.kind", "container")));

    assertThat(shop).extracting(TargetSnapshot::id).containsExactlyInAnyOrder(POD_APP, POD_SANDBOX, CRIO);
    assertThat(podman).extracting(TargetSnapshot::id).containsExactly(PODMAN);
    assertThat(labelled).extracting(TargetSnapshot::id).containsExactly(POD_APP);
  }

  @Test
  void a_state_directory_that_is_there_but_cannot_be_read_makes_the_host_audit_incomplete() throws IOException {
    Path tasks = root.resolve("run/containerd/io.containerd.runtime.v2.task");
    try (var walk = Files.walk(tasks)) {
      for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
    // Root reads through any mode bits, so a symbolic-link loop stands in for a directory capaudit may not read.
    Files.createSymbolicLink(tasks, tasks);

    List<TargetSnapshot> targets = scan(HostScanSettings.Filter.NONE);

    TargetSnapshot node = targets.stream().filter(t -> t.kind() == TargetKind.HOST).findFirst().orElseThrow();
    assertThat(node.errors()).anySatisfy(error -> assertThat(error)
        .contains("cannot read runtime state " + tasks).contains("cannot be told from the host's"));
  }

  @Test
  void processes_in_a_pid_namespace_no_state_names_are_a_target_of_their_own_never_the_hosts() throws IOException {
    // A containerd container whose task directory is gone (or unreadable): its cgroup "/k8s.io/app" names no id.
    host.process(5000, 4990, List.of(5000, 1), "pid:[4026539999]", 0, "/k8s.io/app", "a80425fb", "a80425fb")
        .name("app");
    host.process(5001, 5000, List.of(5001, 2), "pid:[4026539999]", 1000, "/k8s.io/app", "0", "a80425fb");

    List<TargetSnapshot> targets = scan(HostScanSettings.Filter.NONE);

    TargetSnapshot unnamed = byId(targets, "pidns-5000");
    assertThat(unnamed.kind()).isEqualTo(TargetKind.CONTAINER);
    assertThat(unnamed.processes()).extracting(p -> p.status().pid() + ":" + p.pidInContainer())
        .containsExactlyInAnyOrder("5000:1", "5001:2");
    assertThat(unnamed.errors()).singleElement().asString().contains("configuration and exec views are unknown");
    TargetSnapshot node = targets.stream().filter(t -> t.kind() == TargetKind.HOST).findFirst().orElseThrow();
    assertThat(node.processes()).extracting(p -> p.status().pid()).doesNotContain(5000, 5001);
  }

  @Test
  void a_container_only_its_cgroup_names_is_incomplete_not_passed() throws IOException {
    String orphan = "f".repeat(64);
    host.process(6000, 5990, List.of(6000, 1), "pid:[4026538888]", 1000, "/docker/" + orphan, "0", "0");

    TargetSnapshot target = byId(scan(HostScanSettings.Filter.NONE), orphan);

    assertThat(target.processes()).hasSize(1);
    assertThat(target.errors()).anySatisfy(error -> assertThat(error).contains("no runtime state or engine"));
  }

  @Test
  void the_node_is_named_as_given_not_by_the_pods_hostname() throws IOException {
    List<TargetSnapshot> targets = new HostScanner(host.hostProc(), new HostScanSettings(RuntimeDiscovery.Layout
        .of(root, Optional.empty()), List.of(), HostScanSettings.Filter.NONE, Optional.of("worker-7")))
        .scan(Optional.empty());

    assertThat(targets).allSatisfy(t -> assertThat(t.origin().node()).isEqualTo("worker-7"));
    assertThat(targets.stream().filter(t -> t.kind() == TargetKind.HOST)).extracting(TargetSnapshot::name)
        .containsExactly("worker-7");
  }
}
