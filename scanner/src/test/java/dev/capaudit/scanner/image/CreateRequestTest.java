package dev.capaudit.scanner.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.capaudit.rules.capability.CapabilityMask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CreateRequestTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RUN_ID = "7f3a9c2e";
  private static final List<String> SIX = List.of("CHOWN", "FOWNER", "KILL", "SETGID", "SETUID", "SETPCAP");

  private static GateSettings settings(GateProfile profile, List<String> capAdd, Optional<String> user,
      List<String> env, List<String> command) {
    return new GateSettings("my/agent:ci", profile, capAdd, user, env, command, Optional.empty(),
        Duration.ofSeconds(60));
  }

  private static GateSettings settings(GateProfile profile, List<String> capAdd) {
    return settings(profile, capAdd, Optional.empty(), List.of(), List.of());
  }

  private static JsonNode request(GateSettings settings) throws Exception {
    return JSON.readTree(CreateRequest.json(settings, RUN_ID));
  }

  private static List<String> texts(JsonNode array) {
    assertThat(array.isArray()).as("%s is an array", array).isTrue();
    List<String> result = new ArrayList<>();
    array.forEach(node -> result.add(node.asText()));
    return result;
  }

  @Test
  void docker_default_adds_and_drops_nothing() throws Exception {
    JsonNode host = request(settings(GateProfile.DOCKER_DEFAULT, List.of())).get("HostConfig");

    assertThat(texts(host.get("CapAdd"))).isEmpty();
    assertThat(texts(host.get("CapDrop"))).isEmpty();
  }

  @Test
  void permissive_adds_sys_admin_and_sys_ptrace() throws Exception {
    JsonNode host = request(settings(GateProfile.PERMISSIVE, List.of())).get("HostConfig");

    assertThat(texts(host.get("CapAdd"))).containsExactly("SYS_ADMIN", "SYS_PTRACE");
    assertThat(texts(host.get("CapDrop"))).isEmpty();
  }

  @Test
  void openshell_adds_what_the_openshell_driver_adds() throws Exception {
    JsonNode host = request(settings(GateProfile.OPENSHELL, List.of())).get("HostConfig");

    assertThat(texts(host.get("CapAdd"))).containsExactly("NET_ADMIN", "SYS_ADMIN", "SYS_PTRACE", "SYSLOG");
    assertThat(texts(host.get("CapDrop"))).isEmpty();
  }

  @Test
  void none_drops_all() throws Exception {
    JsonNode host = request(settings(GateProfile.NONE, List.of())).get("HostConfig");

    assertThat(texts(host.get("CapAdd"))).isEmpty();
    assertThat(texts(host.get("CapDrop"))).containsExactly("ALL");
  }

  @Test
  void extra_cap_add_values_are_appended_to_the_profile_as_written() throws Exception {
    JsonNode permissive = request(settings(GateProfile.PERMISSIVE, List.of("net_raw", "CAP_KILL"))).get("HostConfig");
    JsonNode none = request(settings(GateProfile.NONE, SIX)).get("HostConfig");

    assertThat(texts(permissive.get("CapAdd"))).containsExactly("SYS_ADMIN", "SYS_PTRACE", "net_raw", "CAP_KILL");
    assertThat(texts(none.get("CapAdd"))).containsExactlyElementsOf(SIX);
    assertThat(texts(none.get("CapDrop"))).containsExactly("ALL");
  }

  @Test
  void runs_the_image_with_no_network_and_the_gate_label() throws Exception {
    for (GateProfile profile : GateProfile.values()) {
      JsonNode request = request(settings(profile, List.of()));

      assertThat(request.get("Image").asText()).isEqualTo("my/agent:ci");
      assertThat(request.get("HostConfig").get("NetworkMode").asText()).as(profile.id()).isEqualTo("none");
      assertThat(request.get("NetworkDisabled").isBoolean()).isTrue();
      assertThat(request.get("NetworkDisabled").booleanValue()).isTrue();
      assertThat(request.get("Labels").size()).isEqualTo(1);
      assertThat(request.get("Labels").get("capaudit.gate").asText()).isEqualTo(RUN_ID);
      assertThat(request.get("HostConfig").has("Privileged")).isFalse();
    }
  }

  @Test
  void user_env_and_cmd_are_left_to_the_image_when_not_given() throws Exception {
    JsonNode request = request(settings(GateProfile.PERMISSIVE, List.of()));

    assertThat(request.has("User")).isFalse();
    assertThat(request.has("Cmd")).isFalse();
    // An empty Env is what the engine treats as "the image's env"; no entry may be invented.
    assertThat(request.path("Env")).isEmpty();
  }

  @Test
  void user_env_and_cmd_are_passed_as_given() throws Exception {
    JsonNode request = request(settings(GateProfile.NONE, List.of("SETPCAP"), Optional.of("1000:1000"),
        List.of("CAPAUDIT_RUN_AS=sandbox", "A=b c"), List.of("/usr/bin/agent", "--serve", "a b")));

    assertThat(request.get("User").asText()).isEqualTo("1000:1000");
    assertThat(texts(request.get("Env"))).containsExactly("CAPAUDIT_RUN_AS=sandbox", "A=b c");
    assertThat(texts(request.get("Cmd"))).containsExactly("/usr/bin/agent", "--serve", "a b");
    assertThat(request.has("Entrypoint")).isFalse();
  }

  @Test
  void hostile_values_stay_json_strings() throws Exception {
    String evil = "x\", \"Privileged\": true, \"y\": \"";
    JsonNode request = request(settings(GateProfile.NONE, List.of(evil), Optional.of(evil), List.of(evil),
        List.of(evil)));

    assertThat(request.get("HostConfig").has("Privileged")).isFalse();
    assertThat(request.has("Privileged")).isFalse();
    assertThat(texts(request.get("HostConfig").get("CapAdd"))).containsExactly(evil);
    assertThat(request.get("User").asText()).isEqualTo(evil);
  }

  @Test
  void starting_sets_of_the_profiles() {
    CapabilityMask kernel = CapabilityMask.ALL_KNOWN;

    assertThat(GateProfile.DOCKER_DEFAULT.startingSet(List.of(), kernel)).hasToString("0xa80425fb");
    assertThat(GateProfile.PERMISSIVE.startingSet(List.of(), kernel)).hasToString("0xa82c25fb");
    assertThat(GateProfile.OPENSHELL.startingSet(List.of(), kernel)).hasToString("0x4a82c35fb");
    assertThat(GateProfile.NONE.startingSet(List.of(), kernel)).hasToString("0x0");
    assertThat(GateProfile.NONE.startingSet(SIX, kernel)).hasToString("0x1e9");
  }

  @Test
  void starting_set_follows_extra_adds_in_any_spelling_and_the_kernel() {
    assertThat(GateProfile.DOCKER_DEFAULT.startingSet(List.of("cap_sys_admin"), CapabilityMask.ALL_KNOWN))
        .hasToString("0xa82425fb");
    // The capture host's kernel lacks SYS_RESOURCE (samples/captured/README.md).
    CapabilityMask captureHost = CapabilityMask.parse("000001fffeffffff");
    // moby: ALL in CapAdd wins over ALL in CapDrop; only explicit drops are removed.
    assertThat(GateProfile.NONE.startingSet(List.of("ALL"), captureHost)).isEqualTo(captureHost);
    assertThat(GateProfile.DOCKER_DEFAULT.startingSet(List.of("ALL"), captureHost)).isEqualTo(captureHost);
  }

  @Test
  void profile_ids_round_trip() {
    assertThat(GateProfile.fromId("docker-default")).contains(GateProfile.DOCKER_DEFAULT);
    assertThat(GateProfile.DOCKER_DEFAULT.id()).isEqualTo("docker-default");
    for (GateProfile profile : GateProfile.values()) {
      assertThat(GateProfile.fromId(profile.id())).contains(profile);
    }
    assertThat(GateProfile.fromId(" Permissive ")).contains(GateProfile.PERMISSIVE);
    assertThat(GateProfile.fromId("docker_default")).isEmpty();
    assertThat(GateProfile.fromId("privileged")).isEmpty();
  }
}
