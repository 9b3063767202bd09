package dev.capaudit.scanner.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.model.ContainerConfig;
import dev.capaudit.scanner.TestFiles;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InspectParserTest {
  /** The capture host's kernel mask (samples/captured/README.md): every capability but SYS_RESOURCE. */
  private static final CapabilityMask CAPTURE_HOST = CapabilityMask.parse("000001fffeffffff");

  private static InspectedContainer captured(String name) throws IOException {
    return captured(name, CapabilityMask.ALL_KNOWN);
  }

  private static InspectedContainer captured(String name, CapabilityMask kernel) throws IOException {
    List<InspectedContainer> containers = InspectParser.parse(
        TestFiles.read("captured/inspect/1.41/" + name + ".json"), kernel);
    assertThat(containers).hasSize(1);
    return containers.get(0);
  }

  @Test
  void reads_a_default_container() throws IOException {
    InspectedContainer container = captured("default");
    ContainerConfig config = container.config();

    assertThat(config.boundingSet()).hasToString("0xa80425fb");
    assertThat(config.user()).isEmpty();
    assertThat(config.privileged()).isFalse();
    assertThat(config.capAdd()).isEmpty();
    assertThat(config.capDrop()).isEmpty();
    assertThat(config.noNewPrivileges()).isFalse();
    assertThat(config.seccompProfile()).isEmpty();
    assertThat(config.securityOptions()).isEmpty();
  }

  @Test
  void reads_the_identity_and_state_of_a_running_container() throws IOException {
    InspectedContainer container = captured("default");

    assertThat(container.name()).isEqualTo("capaudit-capture-default");
    assertThat(container.id()).startsWith("e3aeaec8b96c").hasSize(64);
    assertThat(container.image()).isEqualTo("capaudit-test:latest");
    assertThat(container.labels()).containsExactly(Map.entry("capaudit.test.recipe", "aabfe9f73fae38c4"));
    assertThat(container.hostPid()).isEqualTo(21853);
    assertThat(container.state()).isEqualTo("running");
    assertThat(container.running()).isTrue();
    assertThat(container.paused()).isFalse();
  }

  @Test
  void reads_cap_add_as_written_and_the_permissive_bounding_set() throws IOException {
    ContainerConfig config = captured("permissive").config();

    assertThat(config.capAdd()).containsExactly("CAP_SYS_ADMIN", "CAP_SYS_PTRACE");
    assertThat(config.boundingSet()).hasToString("0xa82c25fb");
  }

  @Test
  void gives_a_privileged_container_the_kernel_mask() throws IOException {
    InspectedContainer container = captured("privileged", CAPTURE_HOST);

    assertThat(container.config().privileged()).isTrue();
    assertThat(container.config().boundingSet()).isEqualTo(CAPTURE_HOST);
    assertThat(container.config().securityOptions()).containsExactly("label=disable");
    assertThat(container.hostPid()).isZero();
    assertThat(container.state()).isEqualTo("created");
    assertThat(container.running()).isFalse();
  }

  @Test
  void reads_drop_all_and_the_user() throws IOException {
    ContainerConfig config = captured("drop-all-user1000").config();

    assertThat(config.capDrop()).containsExactly("ALL");
    assertThat(config.boundingSet()).isEqualTo(CapabilityMask.EMPTY).hasToString("0x0");
    assertThat(config.user()).isEqualTo("1000");
  }

  @Test
  void keeps_lower_case_names_from_a_raw_client_and_still_resolves_them() throws IOException {
    ContainerConfig config = captured("lowercase-and-all-rawcli").config();

    assertThat(config.capAdd()).containsExactly("net_admin", "cap_syslog");
    assertThat(config.capDrop()).containsExactly("all");
    assertThat(config.boundingSet()).hasToString("0x400001000");
  }

  @Test
  void resolves_the_names_a_new_client_normalised_to_the_same_set() throws IOException {
    ContainerConfig config = captured("lowercase-and-all").config();

    assertThat(config.capAdd()).containsExactly("CAP_NET_ADMIN", "CAP_SYSLOG");
    assertThat(config.boundingSet()).hasToString("0x400001000");
  }

  @Test
  void removes_a_dropped_capability_from_cap_add_all() throws IOException {
    assertThat(captured("all-minus-resource").config().boundingSet()).hasToString("0x1fffeffffff");
    assertThat(captured("all-minus-resource", CAPTURE_HOST).config().boundingSet()).isEqualTo(CAPTURE_HOST);
  }

  @Test
  void reads_no_new_privileges_and_the_entrypoint_set() throws IOException {
    ContainerConfig config = captured("no-new-privileges").config();

    assertThat(config.noNewPrivileges()).isTrue();
    assertThat(config.boundingSet()).hasToString("0x1e9");
  }

  @Test
  void reads_a_paused_container() throws IOException {
    InspectedContainer container = captured("paused");

    assertThat(container.paused()).isTrue();
    assertThat(container.running()).isTrue();
    assertThat(container.state()).isEqualTo("paused");
    assertThat(container.hostPid()).isEqualTo(22490);
  }

  @Test
  void takes_the_host_pid_of_pid_1_from_the_state() throws IOException {
    InspectedContainer container = InspectParser.parse(TestFiles.read("captured/proc/agent-fixed/inspect.json"),
        CapabilityMask.ALL_KNOWN).get(0);

    assertThat(container.hostPid()).isEqualTo(22640);
    assertThat(TestFiles.read("captured/proc/agent-fixed/pid1.status")).contains("\nPid:\t22640\n");
    assertThat(container.name()).isEqualTo("capaudit-capture-agent-fixed");
  }

  @Test
  void reads_one_container_object_without_the_array() throws IOException {
    String json = "{\"Name\": \"/sandbox\", \"Config\": {\"User\": \"sandbox\"}, \"HostConfig\": {\"CapAdd\": "
        + "[\"SYS_ADMIN\"]}, \"State\": {\"Pid\": 77}}";

    InspectedContainer container = InspectParser.parse(json, CapabilityMask.ALL_KNOWN).get(0);

    assertThat(container.name()).isEqualTo("sandbox");
    assertThat(container.config().user()).isEqualTo("sandbox");
    assertThat(container.config().boundingSet()).hasToString("0xa82425fb");
    assertThat(container.hostPid()).isEqualTo(77);
  }

  @Test
  void keeps_a_name_without_a_leading_slash_as_is() throws IOException {
    assertThat(InspectParser.parse("{\"Name\": \"plain\"}", CapabilityMask.ALL_KNOWN).get(0).name())
        .isEqualTo("plain");
  }

  @Test
  void reads_an_empty_array_as_no_container() throws IOException {
    assertThat(InspectParser.parse("[]", CapabilityMask.ALL_KNOWN)).isEmpty();
  }

  @Test
  void refuses_json_that_is_not_inspect_output() {
    assertThatThrownBy(() -> InspectParser.parse("42", CapabilityMask.ALL_KNOWN))
        .isInstanceOf(IOException.class)
        .hasMessage("not docker inspect output: expected a JSON array or object");
  }

  @ParameterizedTest
  @ValueSource(strings = {"no-new-privileges", "no-new-privileges:true", "no-new-privileges=true",
      " No-New-Privileges "})
  void recognises_every_spelling_of_no_new_privileges(String option) {
    assertThat(InspectParser.isNoNewPrivileges(option)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"no-new-privileges:false", "no-new-privileges=false", "label=disable"})
  void does_not_mistake_other_options_for_no_new_privileges(String option) {
    assertThat(InspectParser.isNoNewPrivileges(option)).isFalse();
  }

  @Test
  void names_the_seccomp_profile_and_shortens_a_custom_one() throws IOException {
    String json = "{\"HostConfig\": {\"SecurityOpt\": [\"%s\"]}}";

    assertThat(InspectParser.parse(json.formatted("seccomp=unconfined"), CapabilityMask.ALL_KNOWN).get(0).config()
        .seccompProfile()).contains("unconfined");
    assertThat(InspectParser.parse(json.formatted("seccomp:unconfined"), CapabilityMask.ALL_KNOWN).get(0).config()
        .seccompProfile()).contains("unconfined");
    assertThat(InspectParser.parse(json.formatted("seccomp={\\\"defaultAction\\\":\\\"SCMP_ACT_ERRNO\\\"}"),
        CapabilityMask.ALL_KNOWN).get(0).config().seccompProfile()).contains("custom");
  }
}
