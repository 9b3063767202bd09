package dev.capaudit.scanner.proc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.scanner.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Container ids in every runtime's cgroup naming, from real and constructed captures. */
class CgroupNamesTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "docker/default/init.cgroup, 6618d998c4ada951be47d70e66ba031d64cb88087993eaaf18ba3de331aedde0",
      "podman/default/init.cgroup, 569323e9786316dbd75c5e7dc5e761ca4772102417d941c131c161a2c25b3100",
      "containerd-k8s.io/app/init.cgroup, 7c6aa05f364ee06424c38d22a98338bfb02192d96ec99442de24d8bec3027fd7",
      "cri-o/app/init.cgroup.v1-systemd, 857e8a6a59274e165f4e4b4628cc366c37ad6ad4ed701cc8adbb32d3f4f358f8",
      "cri-o/app/init.cgroup.v2-systemd, 857e8a6a59274e165f4e4b4628cc366c37ad6ad4ed701cc8adbb32d3f4f358f8",
      "cri-o/app/init.cgroup.v2-cgroupfs, 857e8a6a59274e165f4e4b4628cc366c37ad6ad4ed701cc8adbb32d3f4f358f8"})
  void finds_the_container_in_each_runtimes_naming(String capture, String id) {
    assertThat(CgroupNames.containerIds(TestFiles.read("captured/runtime/" + capture))).containsExactly(id);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"podman/default/shim.cgroup", "cri-o/app/shim.cgroup.v2-systemd", "docker/default/shim.cgroup"})
  void the_runtimes_monitors_are_no_container(String capture) {
    assertThat(CgroupNames.containerIds(TestFiles.read("captured/runtime/" + capture))).isEmpty();
  }

  @Test
  void reads_systemd_scopes_and_the_slice_prefix_name_form() {
    String id = "c".repeat(64);

    assertThat(CgroupNames.containerIds("0::/system.slice/docker-" + id + ".scope\n")).containsExactly(id);
    assertThat(CgroupNames.containerIds("0::/machine.slice/libpod-" + id + ".scope/container\n")).containsExactly(id);
    assertThat(CgroupNames.containerIds("0::/kubepods.slice/kubepods-pod1.slice/cri-containerd-" + id + ".scope\n"))
        .containsExactly(id);
    assertThat(CgroupNames.containerIds("1:name=systemd:/kubepods-pod1.slice:cri-containerd:" + id + "\n"))
        .containsExactly(id);
    assertThat(CgroupNames.containerIds("0::/k8s.io/" + id + "\n")).as("ctr's namespace/id").containsExactly(id);
  }

  @Test
  void a_container_nested_in_another_names_both_outermost_first() {
    String outer = "d".repeat(64);
    String inner = "e".repeat(64);

    assertThat(CgroupNames.containerIds("0::/docker/" + outer + "/docker/" + inner + "\n"))
        .containsExactly(outer, inner);
  }

  @Test
  void short_or_foreign_hex_is_no_container() {
    assertThat(CgroupNames.containerIds("4:memory:/process_api/2edd9696ea0e29af1645abf71b8242f9\n0::/\n")).isEmpty();
    assertThat(CgroupNames.containerIds("garbage\n::\n")).isEmpty();
  }
}
