package dev.capaudit.scanner.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.capability.CapabilitySets;
import dev.capaudit.scanner.TestFiles;
import dev.capaudit.scanner.proc.HostProc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finds real captured bundles (samples/captured/runtime) laid out as each runtime lays them out. */
class BundleLocatorTest {
  private static final String ID = "6618d998c4ada951be47d70e66ba031d64cb88087993eaaf18ba3de331aedde0";
  private static final String SANDBOX = "085c4f807859b1411cecdadee3ae810a768d3a8fdd21349369001a0b13c3ce85";

  @TempDir
  Path temp;

  private final List<String> problems = new ArrayList<>();

  private Path place(String capture, Path bundle) throws IOException {
    Files.createDirectories(bundle);
    Files.copy(TestFiles.sample("captured/runtime/" + capture + "/config.json"), bundle.resolve("config.json"));
    return bundle;
  }

  private BundleLocator locator(List<BundleLocator.Root> roots, List<BundleLocator.Root> states) {
    return new BundleLocator(new HostProc(temp.resolve("proc")), roots, states);
  }

  private static String bounding(OciBundle bundle) {
    List<String> problems = new ArrayList<>();
    CapabilitySets sets = SpecCapabilities.of(bundle.spec(), problems).orElseThrow();
    return sets.getOrEmpty(CapabilitySetKind.BOUNDING).toString();
  }

  @Test
  void finds_dockers_own_containerd_bundle_by_namespace_and_id() throws IOException {
    Path root = temp.resolve("run/docker/containerd/daemon/io.containerd.runtime.v2.task");
    place("docker/all-minus-sys-resource", root.resolve("moby").resolve(ID));

    Optional<OciBundle> found = locator(List.of(new BundleLocator.Root(root, BundleLocator.Shape.NAMESPACED,
        "docker's containerd")), List.of()).find(ID, 0, problems::add);

    assertThat(found).hasValueSatisfying(bundle -> {
      assertThat(bundle.layout()).isEqualTo("docker's containerd");
      assertThat(bounding(bundle)).as("what Docker 20.10 applied for ALL minus SYS_RESOURCE").isEqualTo("0x3ffeffffff");
      assertThat(bundle.raw().path("ociVersion").asText()).isNotEmpty();
    });
    assertThat(problems).isEmpty();
  }

  @Test
  void finds_a_kubernetes_container_in_any_containerd_namespace() throws IOException {
    Path root = temp.resolve("run/containerd/io.containerd.runtime.v2.task");
    place("containerd-k8s.io/app", root.resolve("k8s.io").resolve(ID));
    Files.createDirectories(root.resolve("default"));

    Optional<OciBundle> found = locator(List.of(new BundleLocator.Root(root, BundleLocator.Shape.NAMESPACED,
        "containerd")), List.of()).find(ID, 0, problems::add);

    assertThat(found).hasValueSatisfying(bundle -> assertThat(bundle.spec().annotations())
        .containsEntry("io.kubernetes.cri.container-type", "container"));
  }

  @Test
  void finds_podman_and_cri_o_bundles_in_containers_storage() throws IOException {
    Path root = temp.resolve("var/lib/containers/storage/overlay-containers");
    place("podman/default", root.resolve(ID).resolve("userdata"));

    Optional<OciBundle> found = locator(List.of(new BundleLocator.Root(root, BundleLocator.Shape.STORAGE,
        "containers/storage")), List.of()).find(ID, 0, problems::add);

    assertThat(found).hasValueSatisfying(bundle -> assertThat(bounding(bundle)).as("podman's 11 defaults")
        .isEqualTo("0x800405fb"));
  }

  @Test
  void a_runtime_root_given_by_the_user_is_tried_in_every_shape() throws IOException {
    Path userRoot = temp.resolve("mnt/host-run/containerd");
    place("docker/default", userRoot.resolve("io.containerd.runtime.v2.task/moby").resolve(ID));

    Optional<OciBundle> found = new BundleLocator(new HostProc(temp.resolve("proc")), List.of(userRoot))
        .find(ID, 0, problems::add);

    assertThat(found).hasValueSatisfying(bundle -> assertThat(bundle.layout()).isEqualTo("--runtime-root "
        + userRoot));
  }

  @Test
  void falls_back_to_the_bundle_runcs_state_records() throws IOException {
    Path bundle = place("docker/default", temp.resolve("elsewhere/bundles").resolve(ID));
    Path state = temp.resolve("run/runc");
    Files.createDirectories(state.resolve(ID));
    Files.writeString(state.resolve(ID).resolve("state.json"), "{\"id\":\"" + ID
        + "\",\"config\":{\"labels\":[\"bundle=" + bundle + "\"]}}");

    Optional<OciBundle> found = locator(List.of(), List.of(new BundleLocator.Root(state, BundleLocator.Shape.FLAT,
        "runc state"))).find(ID, 0, problems::add);

    assertThat(found).hasValueSatisfying(b -> assertThat(b.directory()).isEqualTo(bundle));
  }

  @Test
  void a_bundle_runc_recorded_as_a_host_path_is_found_under_the_host_root() throws IOException {
    Path hostRoot = temp.resolve("host");
    Path bundle = place("docker/default", hostRoot.resolve("srv/bundles").resolve(ID));
    Path state = hostRoot.resolve("run/runc");
    Files.createDirectories(state.resolve(ID));
    // runc wrote the host's own path; capaudit, in a pod, sees the host's files under /host.
    Files.writeString(state.resolve(ID).resolve("state.json"), "{\"id\":\"" + ID
        + "\",\"config\":{\"labels\":[\"bundle=/srv/bundles/" + ID + "\"]}}");

    Optional<OciBundle> found = new BundleLocator(new HostProc(temp.resolve("proc")), hostRoot, List.of())
        .find(ID, 0, problems::add);

    assertThat(found).hasValueSatisfying(b -> assertThat(b.directory()).isEqualTo(bundle));
  }

  @Test
  void a_pods_shim_works_in_the_sandbox_bundle_and_the_container_is_found_beside_it() throws IOException {
    Path tasks = temp.resolve("run/containerd/io.containerd.runtime.v2.task/k8s.io");
    place("containerd-k8s.io/sandbox", tasks.resolve(SANDBOX));
    place("containerd-k8s.io/app", tasks.resolve(ID));
    Path proc = temp.resolve("proc");
    Files.createDirectories(proc.resolve("500"));
    Files.writeString(proc.resolve("500/status"), "Name:\tsleep\nPid:\t500\nPPid:\t400\n");
    Files.createDirectories(proc.resolve("400"));
    Files.createSymbolicLink(proc.resolve("400/cwd"), tasks.resolve(SANDBOX));

    Optional<OciBundle> found = locator(List.of(), List.of()).find(ID, 500, problems::add);

    assertThat(found).hasValueSatisfying(bundle -> {
      assertThat(bundle.directory().getFileName().toString()).isEqualTo(ID);
      assertThat(bundle.layout()).startsWith("shim working directory");
    });
  }

  @Test
  void a_shim_in_an_unrelated_directory_is_not_taken_for_a_bundle() throws IOException {
    Path proc = temp.resolve("proc");
    Path elsewhere = place("docker/default", temp.resolve("tmp"));
    Files.createDirectories(proc.resolve("500"));
    Files.writeString(proc.resolve("500/status"), "Name:\tsleep\nPid:\t500\nPPid:\t400\n");
    Files.createDirectories(proc.resolve("400"));
    Files.createSymbolicLink(proc.resolve("400/cwd"), elsewhere);

    assertThat(locator(List.of(), List.of()).find(ID, 500, problems::add)).isEmpty();
  }

  @Test
  void a_spec_with_a_duplicated_key_is_reported_and_not_used() throws IOException {
    Path root = temp.resolve("flat");
    Files.createDirectories(root.resolve(ID));
    Files.writeString(root.resolve(ID).resolve("config.json"),
        "{\"process\":{\"capabilities\":{\"bounding\":[\"CAP_CHOWN\"],\"bounding\":[]}}}");

    Optional<OciBundle> found = locator(List.of(new BundleLocator.Root(root, BundleLocator.Shape.FLAT, "flat")),
        List.of()).find(ID, 0, problems::add);

    assertThat(found).isEmpty();
    assertThat(problems).singleElement().asString().contains("cannot be read").contains("Duplicate field");
  }

  @Test
  void an_unknown_capability_name_in_the_spec_makes_its_sets_unusable() throws IOException {
    Path root = temp.resolve("flat");
    Files.createDirectories(root.resolve(ID));
    Files.writeString(root.resolve(ID).resolve("config.json"),
        "{\"process\":{\"capabilities\":{\"bounding\":[\"CAP_CHOWN\",\"CAP_FROM_THE_FUTURE\"]}}}");
    OciBundle bundle = locator(List.of(new BundleLocator.Root(root, BundleLocator.Shape.FLAT, "flat")), List.of())
        .find(ID, 0, problems::add).orElseThrow();

    List<String> reasons = new ArrayList<>();
    assertThat(SpecCapabilities.of(bundle.spec(), reasons)).isEmpty();
    assertThat(reasons).containsExactly("the OCI spec names capabilities capaudit does not know: CAP_FROM_THE_FUTURE");
  }
}
