package dev.capaudit.scanner.minimize;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.DockerCapabilities;
import dev.capaudit.scanner.TestFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerTrialsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CapabilityMask SET = CapabilityMask.of(Capability.SETPCAP, Capability.SETUID);
  private static final Map<String, String> LABELS = Map.of(Minimizer.LABEL, "run1", "capaudit.minimize.trial", "3");

  /** The captured default container, given a volume, a bind, ports, another container's pid namespace. */
  private static ObjectNode original() throws Exception {
    JsonNode captured = JSON.readTree(TestFiles.read("captured/inspect/1.41/default.json"));
    ObjectNode inspect = (ObjectNode) (captured.isArray() ? captured.get(0) : captured);
    ObjectNode host = (ObjectNode) inspect.get("HostConfig");
    host.putArray("Binds").add("/srv/data:/data:rw").add("appvol:/var/lib/app");
    host.putObject("PortBindings").putArray("80/tcp").addObject().put("HostPort", "8080");
    host.put("PidMode", "container:0123456789ab");
    host.put("IpcMode", "shareable");
    host.putObject("RestartPolicy").put("Name", "always");
    ((ObjectNode) inspect.get("Config")).putObject("Labels").put("com.docker.compose.project", "shop")
        .put("com.docker.compose.service", "agent");
    inspect.putArray("Mounts").add(mount("bind", "/data")).add(mount("volume", "/var/lib/app"))
        .add(mount("volume", "/cache"));
    return inspect;
  }

  private static ObjectNode mount(String type, String destination) {
    return JSON.createObjectNode().put("Type", type).put("Destination", destination).put("RW", true);
  }

  private static JsonNode request(VolumeMode mode) throws Exception {
    ContainerTrials trials = new ContainerTrials("agent-7", original().toString(), mode);
    return JSON.readTree(trials.createJson(SET, LABELS));
  }

  private static List<String> texts(JsonNode array) {
    List<String> result = new ArrayList<>();
    array.forEach(node -> result.add(node.asText()));
    return result;
  }

  @Test
  void a_trial_has_exactly_its_set_and_never_privileged() throws Exception {
    JsonNode host = request(VolumeMode.EMPTY).get("HostConfig");

    assertThat(texts(host.get("CapDrop"))).containsExactly("ALL");
    assertThat(texts(host.get("CapAdd"))).containsExactly("SETUID", "SETPCAP");
    assertThat(host.get("Privileged").asBoolean()).isFalse();
  }

  @Test
  void a_trial_has_no_network_no_ports_no_restart_and_its_own_pid_namespace() throws Exception {
    JsonNode request = request(VolumeMode.EMPTY);
    JsonNode host = request.get("HostConfig");

    assertThat(request.get("NetworkDisabled").asBoolean()).isTrue();
    assertThat(host.get("NetworkMode").asText()).isEqualTo("none");
    assertThat(host.has("PortBindings")).isFalse();
    assertThat(host.get("PublishAllPorts").asBoolean()).isFalse();
    assertThat(host.has("PidMode")).isFalse();
    assertThat(host.get("IpcMode").asText()).isEqualTo("shareable");
    assertThat(host.get("RestartPolicy").get("Name").asText()).isEqualTo("no");
    assertThat(host.get("AutoRemove").asBoolean()).isFalse();
    assertThat(host.get("LogConfig").get("Type").asText()).isEqualTo("json-file");
  }

  @Test
  void a_trial_runs_the_original_image_by_id_with_its_own_labels_only() throws Exception {
    JsonNode request = request(VolumeMode.EMPTY);

    assertThat(request.get("Image").asText()).isEqualTo(original().get("Image").asText()).startsWith("sha256:");
    assertThat(request.get("Labels").size()).isEqualTo(2);
    assertThat(request.get("Labels").get(Minimizer.LABEL).asText()).isEqualTo("run1");
    assertThat(request.get("Entrypoint")).isEqualTo(original().get("Config").get("Entrypoint"));
    assertThat(request.get("Env")).isEqualTo(original().get("Config").get("Env"));
  }

  @Test
  void empty_volumes_put_a_fresh_anonymous_volume_at_every_path() throws Exception {
    JsonNode request = request(VolumeMode.EMPTY);
    JsonNode host = request.get("HostConfig");

    assertThat(host.has("Binds")).isFalse();
    assertThat(host.has("VolumesFrom")).isFalse();
    assertThat(host.get("Mounts")).isEmpty();
    assertThat(request.get("Volumes").fieldNames()).toIterable().contains("/data", "/var/lib/app", "/cache");
  }

  @Test
  void read_only_volumes_come_from_the_original_read_only() throws Exception {
    JsonNode host = request(VolumeMode.READ_ONLY).get("HostConfig");

    assertThat(host.has("Binds")).isFalse();
    assertThat(texts(host.get("VolumesFrom"))).containsExactly(original().get("Id").asText() + ":ro");
  }

  @Test
  void a_trial_is_named_after_the_container_and_starts_from_what_it_has() throws Exception {
    ContainerTrials trials = new ContainerTrials("agent-7", original().toString(), VolumeMode.EMPTY);

    assertThat(trials.trialName("run1", 3)).isEqualTo(original().get("Name").asText().substring(1)
        + ".capaudit-trial-run1-3");
    assertThat(trials.defaultStart(CapabilityMask.ALL_KNOWN)).isEqualTo(DockerCapabilities.DEFAULT_SET);
    assertThat(trials.labels()).containsEntry("com.docker.compose.service", "agent");
    assertThat(trials.notes()).anySatisfy(note -> assertThat(note).contains("/data, /var/lib/app, /cache")
        .contains("neither read nor written"));
    assertThat(trials.notes()).anySatisfy(note -> assertThat(note).contains("{PidMode=container:0123456789ab}"));
  }
}
