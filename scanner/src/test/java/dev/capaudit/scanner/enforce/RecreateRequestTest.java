package dev.capaudit.scanner.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.enforce.EnforcementPlan;
import dev.capaudit.scanner.TestFiles;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecreateRequestTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<Capability> SIX = List.of(Capability.CHOWN, Capability.FOWNER, Capability.KILL,
      Capability.SETGID, Capability.SETUID, Capability.SETPCAP);
  /** The HostConfig fields the request may change; everything else is the original's. */
  private static final Set<String> CHANGED = Set.of("CapAdd", "CapDrop", "Privileged", "SecurityOpt", "AutoRemove",
      "VolumesFrom");
  private static final Map<String, String> RUN_LABELS = Map.of("capaudit.enforce.run", "3f2a1c0d9e8b",
      "capaudit.enforce.role", "replacement");

  /** Element 0 of a captured {@code docker inspect} array. */
  private static ObjectNode inspect(String name) throws Exception {
    JsonNode array = JSON.readTree(TestFiles.read("captured/inspect/1.41/" + name + ".json"));
    assertThat(array.isArray()).isTrue();
    return (ObjectNode) array.get(0);
  }

  private static EnforcementPlan plan(List<Capability> add, boolean noNewPrivileges) {
    CapabilityMask current = CapabilityMask.parse("0xa82c25fb");
    return new EnforcementPlan("capaudit-capture-permissive", current, add, noNewPrivileges,
        current.minus(CapabilityMask.of(add)), List.of(), false);
  }

  private static ObjectNode create(ObjectNode inspect, EnforcementPlan plan) {
    return RecreateRequest.replacement(inspect, plan, RUN_LABELS, false);
  }

  private static List<String> texts(JsonNode array) {
    List<String> result = new ArrayList<>();
    array.forEach(node -> result.add(node.asText()));
    return result;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void drops_all_and_adds_exactly_the_plan() throws Exception {
    ObjectNode request = create(inspect("permissive"), plan(SIX, false));

    JsonNode host = request.get("HostConfig");
    assertThat(texts(host.get("CapDrop"))).containsExactly("ALL");
    assertThat(texts(host.get("CapAdd"))).containsExactly("CHOWN", "FOWNER", "KILL", "SETGID", "SETUID", "SETPCAP");
    assertThat(host.get("Privileged").asBoolean(true)).isFalse();
  }

  @Test
  void an_empty_plan_adds_nothing() throws Exception {
    ObjectNode request = create(inspect("drop-all-user1000"), plan(List.of(), false));

    assertThat(request.get("HostConfig").get("CapAdd").isArray()).isTrue();
    assertThat(request.get("HostConfig").get("CapAdd")).isEmpty();
    assertThat(texts(request.get("HostConfig").get("CapDrop"))).containsExactly("ALL");
  }

  @Test
  void keeps_the_rest_of_the_host_config_and_the_config() throws Exception {
    for (String name : List.of("permissive", "drop-all-user1000", "privileged", "no-new-privileges")) {
      ObjectNode inspect = inspect(name);

      ObjectNode request = create(inspect, plan(SIX, false));

      JsonNode oldHost = inspect.get("HostConfig");
      JsonNode newHost = request.get("HostConfig");
      assertThat(fieldNames(newHost)).as(name).containsExactlyInAnyOrderElementsOf(fieldNames(oldHost));
      for (Iterator<String> it = oldHost.fieldNames(); it.hasNext();) {
        String field = it.next();
        if (!CHANGED.contains(field)) {
          assertThat(newHost.get(field)).as("%s HostConfig.%s", name, field).isEqualTo(oldHost.get(field));
        }
      }
      JsonNode config = inspect.get("Config");
      List<String> topLevel = fieldNames(request);
      topLevel.removeAll(List.of("HostConfig", "NetworkingConfig"));
      assertThat(topLevel).as(name).containsExactlyInAnyOrderElementsOf(fieldNames(config));
      topLevel.remove("Labels");
      for (String field : topLevel) {
        assertThat(request.get(field)).as("%s Config.%s", name, field).isEqualTo(config.get(field));
      }
    }
  }

  @Test
  void keeps_the_image_labels_user_restart_policy_and_network_mode_by_value() throws Exception {
    ObjectNode inspect = inspect("drop-all-user1000");

    ObjectNode request = create(inspect, plan(List.of(), true));

    assertThat(request.get("Image").asText()).isEqualTo("capaudit-test:latest");
    assertThat(request.get("User").asText()).isEqualTo("1000");
    assertThat(texts(request.get("Entrypoint"))).containsExactly("sleep");
    assertThat(texts(request.get("Cmd"))).containsExactly("1000000");
    assertThat(request.get("Labels").get("capaudit.test.recipe").asText()).isEqualTo("aabfe9f73fae38c4");
    assertThat(request.get("HostConfig").get("RestartPolicy").get("Name").asText()).isEqualTo("no");
    assertThat(request.get("HostConfig").get("NetworkMode").asText()).isEqualTo("default");
    // The default network is built in: nothing to configure at create time.
    assertThat(request.has("NetworkingConfig")).isFalse();
  }

  @Test
  void does_not_modify_the_inspect_json_it_reads() throws Exception {
    ObjectNode inspect = inspect("privileged");
    ObjectNode before = inspect.deepCopy();

    create(inspect, plan(SIX, true));

    assertThat(inspect).isEqualTo(before);
  }

  @Test
  void a_privileged_container_is_recreated_unprivileged_with_its_other_security_options() throws Exception {
    ObjectNode request = create(inspect("privileged"), plan(SIX, false));

    JsonNode host = request.get("HostConfig");
    assertThat(host.get("Privileged").isBoolean()).isTrue();
    assertThat(host.get("Privileged").booleanValue()).isFalse();
    assertThat(texts(host.get("SecurityOpt"))).containsExactly("label=disable");
  }

  @Test
  void adds_no_new_privileges_once() throws Exception {
    ObjectNode request = create(inspect("permissive"), plan(SIX, true));

    assertThat(texts(request.get("HostConfig").get("SecurityOpt"))).containsExactly("no-new-privileges:true");
  }

  @Test
  void does_not_duplicate_an_existing_no_new_privileges() throws Exception {
    ObjectNode request = create(inspect("no-new-privileges"), plan(SIX, true));

    assertThat(texts(request.get("HostConfig").get("SecurityOpt")))
        .filteredOn(option -> option.startsWith("no-new-privileges")).hasSize(1);
  }

  @Test
  void keeps_other_security_options_next_to_no_new_privileges() throws Exception {
    ObjectNode inspect = inspect("permissive");
    ((ObjectNode) inspect.get("HostConfig")).putArray("SecurityOpt").add("seccomp=unconfined")
        .add("no-new-privileges:false").add("apparmor=docker-default");

    ObjectNode request = create(inspect, plan(SIX, true));

    assertThat(texts(request.get("HostConfig").get("SecurityOpt"))).containsExactly("seccomp=unconfined",
        "apparmor=docker-default", "no-new-privileges:true");
  }

  @Test
  void leaves_security_options_alone_without_no_new_privileges() throws Exception {
    ObjectNode request = create(inspect("no-new-privileges"), plan(SIX, false));

    assertThat(texts(request.get("HostConfig").get("SecurityOpt"))).containsExactly("no-new-privileges");
    assertThat(create(inspect("permissive"), plan(SIX, false)).get("HostConfig").get("SecurityOpt")
        .isNull()).isTrue();
  }

  /** permissive.json with an anonymous volume at /anon and a named one at /named, bound read-only. */
  private static ObjectNode withVolumes() throws Exception {
    ObjectNode inspect = inspect("permissive");
    ArrayNode mounts = inspect.putArray("Mounts");
    mounts.addObject().put("Type", "volume").put("Name", "abc123").put("Destination", "/anon").put("Mode", "")
        .put("RW", true);
    mounts.addObject().put("Type", "volume").put("Name", "named").put("Destination", "/named").put("Mode", "z")
        .put("RW", false);
    ((ObjectNode) inspect.get("HostConfig")).putArray("Binds").add("named:/named:ro");
    return inspect;
  }

  private static String id(ObjectNode inspect) {
    return inspect.get("Id").asText();
  }

  @Test
  void takes_an_anonymous_volume_over_with_volumes_from_and_leaves_the_named_bind_alone() throws Exception {
    ObjectNode inspect = withVolumes();

    ObjectNode request = create(inspect, plan(SIX, false));

    assertThat(texts(request.get("HostConfig").get("VolumesFrom"))).containsExactly(id(inspect));
    // Binding the anonymous volume by name would make it a named volume of the replacement, mode "z".
    assertThat(texts(request.get("HostConfig").get("Binds"))).containsExactly("named:/named:ro");
  }

  @Test
  void a_volume_that_host_config_mounts_already_covers_needs_no_volumes_from() throws Exception {
    ObjectNode inspect = withVolumes();
    ((ObjectNode) inspect.get("HostConfig")).putArray("Mounts").addObject().put("Type", "volume")
        .put("Source", "abc123").put("Target", "/anon");

    ObjectNode request = create(inspect, plan(SIX, false));

    assertThat(request.get("HostConfig").get("VolumesFrom").isNull()).isTrue();
    assertThat(texts(request.get("HostConfig").get("Binds"))).containsExactly("named:/named:ro");
  }

  @Test
  void a_host_bind_mount_needs_no_volumes_from() throws Exception {
    ObjectNode inspect = inspect("permissive");
    inspect.putArray("Mounts").addObject().put("Type", "bind").put("Source", "/srv/data")
        .put("Destination", "/data").put("RW", true);
    ((ObjectNode) inspect.get("HostConfig")).putArray("Binds").add("/srv/data:/data");

    ObjectNode request = create(inspect, plan(SIX, false));

    assertThat(texts(request.get("HostConfig").get("Binds"))).containsExactly("/srv/data:/data");
    assertThat(request.get("HostConfig").get("VolumesFrom").isNull()).isTrue();
  }

  @Test
  void volumes_from_another_container_come_through_the_original_itself() throws Exception {
    // The original's mount points already hold what it took from the other container, which may be gone by now
    // (an earlier enforce's backup).
    ObjectNode inspect = inspect("permissive");
    ((ObjectNode) inspect.get("HostConfig")).putArray("VolumesFrom").add("removed-backup-id");

    ObjectNode request = create(inspect, plan(SIX, false));

    assertThat(texts(request.get("HostConfig").get("VolumesFrom"))).containsExactly(id(inspect));
  }

  @Test
  void replaces_an_earlier_runs_labels_with_this_runs_and_keeps_the_rest() throws Exception {
    ObjectNode inspect = inspect("permissive");
    ((ObjectNode) inspect.get("Config")).putObject("Labels").put("app", "demo")
        .put("capaudit.enforce.run", "0000aaaa1111").put("capaudit.enforce.original", "old-original");

    JsonNode labels = create(inspect, plan(SIX, false)).get("Labels");

    assertThat(fieldNames(labels)).containsExactlyInAnyOrder("app", "capaudit.enforce.run", "capaudit.enforce.role");
    assertThat(labels.get("capaudit.enforce.run").asText()).isEqualTo("3f2a1c0d9e8b");
    assertThat(labels.get("app").asText()).isEqualTo("demo");
  }

  @Test
  void auto_remove_is_what_the_run_asks_for() throws Exception {
    ObjectNode inspect = inspect("permissive");
    ((ObjectNode) inspect.get("HostConfig")).put("AutoRemove", true);

    assertThat(create(inspect, plan(SIX, false)).at("/HostConfig/AutoRemove").booleanValue()).isFalse();
    assertThat(RecreateRequest.replacement(inspect, plan(SIX, false), RUN_LABELS, true).at("/HostConfig/AutoRemove")
        .booleanValue()).isTrue();
  }

  @Test
  void the_restored_original_has_its_own_settings_and_the_volumes_of_the_holder() throws Exception {
    ObjectNode inspect = withVolumes();
    ((ObjectNode) inspect.get("HostConfig")).put("AutoRemove", true);

    ObjectNode restored = RecreateRequest.restore(inspect, Optional.of("replacement-id"));

    JsonNode host = restored.get("HostConfig");
    assertThat(texts(host.get("VolumesFrom"))).containsExactly("replacement-id");
    assertThat(host.get("AutoRemove").booleanValue()).isTrue();
    assertThat(host.get("CapDrop")).isEqualTo(inspect.at("/HostConfig/CapDrop"));
    assertThat(host.get("CapAdd")).isEqualTo(inspect.at("/HostConfig/CapAdd"));
    assertThat(restored.get("Labels")).isEqualTo(inspect.at("/Config/Labels"));
  }

  /** permissive.json connected to user networks frontend (primary) and backend, and to the built-in ones. */
  private static ObjectNode withNetworks(String primary) throws Exception {
    ObjectNode inspect = inspect("permissive");
    ((ObjectNode) inspect.get("HostConfig")).put("NetworkMode", primary);
    ObjectNode networks = ((ObjectNode) inspect.get("NetworkSettings")).putObject("Networks");
    for (String name : List.of("bridge", "default", "none", "host", "frontend", "backend")) {
      ObjectNode endpoint = networks.putObject(name);
      endpoint.putArray("Aliases").add(name + "-alias");
      endpoint.putNull("Links");
      endpoint.put("IPAddress", "172.18.0.5");
      endpoint.put("NetworkID", "5f1e" + name);
      endpoint.put("EndpointID", "9a2b" + name);
    }
    return inspect;
  }

  @Test
  void extra_networks_are_the_user_networks_other_than_the_primary_one() throws Exception {
    Map<String, JsonNode> extra = RecreateRequest.extraNetworks(withNetworks("frontend"));

    assertThat(extra).containsOnlyKeys("backend");
    JsonNode backend = extra.get("backend");
    assertThat(texts(backend.get("Aliases"))).containsExactly("backend-alias");
    // What the engine assigns is not copied: addresses and ids come fresh.
    assertThat(fieldNames(backend)).containsExactly("Aliases");
  }

  @Test
  void with_a_built_in_primary_every_user_network_is_extra() throws Exception {
    assertThat(RecreateRequest.extraNetworks(withNetworks("default"))).containsOnlyKeys("frontend", "backend");
    assertThat(RecreateRequest.extraNetworks(inspect("permissive"))).isEmpty();
  }

  @Test
  void a_user_primary_network_goes_into_the_create_request() throws Exception {
    ObjectNode request = create(withNetworks("frontend"), plan(SIX, false));

    JsonNode endpoints = request.get("NetworkingConfig").get("EndpointsConfig");
    assertThat(fieldNames(endpoints)).containsExactly("frontend");
    assertThat(texts(endpoints.get("frontend").get("Aliases"))).containsExactly("frontend-alias");
    assertThat(endpoints.get("frontend").has("IPAddress")).isFalse();
    assertThat(request.get("HostConfig").get("NetworkMode").asText()).isEqualTo("frontend");
  }
}
