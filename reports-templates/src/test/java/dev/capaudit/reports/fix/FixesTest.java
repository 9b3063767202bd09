package dev.capaudit.reports.fix;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.capaudit.reports.Golden;
import dev.capaudit.reports.SampleReports;
import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.enforce.EnforcementPlan;
import dev.capaudit.rules.policy.Policy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FixesTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final List<Capability> SIX = List.of(Capability.CHOWN, Capability.FOWNER, Capability.KILL,
      Capability.SETGID, Capability.SETUID, Capability.SETPCAP);
  private static final List<String> SIX_NAMES = List.of("CHOWN", "FOWNER", "KILL", "SETGID", "SETUID", "SETPCAP");
  private static final String SCRIPT_START = "#!/bin/sh\n";
  private static final String SCRIPT_END = "# ---- Dockerfile lines";

  private static EnforcementPlan plan(boolean noNewPrivileges) {
    CapabilityMask current = CapabilityMask.parse("0xa82c25fb");
    return new EnforcementPlan("sandbox-7", current, SIX, noNewPrivileges, current.minus(CapabilityMask.of(SIX)),
        List.of(), false);
  }

  private static List<String> texts(JsonNode array) {
    assertThat(array.isArray()).as("%s is an array", array).isTrue();
    List<String> result = new ArrayList<>();
    array.forEach(node -> result.add(node.asText()));
    return result;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String render(FixFormat format, EnforcementPlan plan, String policy, Map<String, String> labels)
      throws Exception {
    return Fixes.render(format, plan, SampleReports.policy(policy), labels);
  }

  @Test
  void run_prints_the_docker_run_flags() throws Exception {
    String run = render(FixFormat.RUN, plan(true), "nemoclaw-sandbox", Map.of());

    assertThat(run).isEqualTo("# docker run flags for sandbox-7\n"
        + "--cap-drop ALL --cap-add CHOWN --cap-add FOWNER --cap-add KILL --cap-add SETGID --cap-add SETUID"
        + " --cap-add SETPCAP --security-opt no-new-privileges\n");
  }

  @Test
  void run_without_no_new_privileges_or_adds() throws Exception {
    EnforcementPlan empty = new EnforcementPlan("agent-2", CapabilityMask.EMPTY, List.of(), false,
        CapabilityMask.EMPTY, List.of(), true);

    assertThat(Fixes.run(plan(false))).isEqualTo("# docker run flags for sandbox-7\n"
        + "--cap-drop ALL --cap-add CHOWN --cap-add FOWNER --cap-add KILL --cap-add SETGID --cap-add SETUID"
        + " --cap-add SETPCAP\n");
    assertThat(Fixes.run(empty)).isEqualTo("# docker run flags for agent-2\n--cap-drop ALL\n");
  }

  @Test
  void compose_names_the_service_by_its_compose_label() throws Exception {
    String compose = render(FixFormat.COMPOSE, plan(true), "nemoclaw-sandbox",
        Map.of("com.docker.compose.service", "agent", "com.docker.compose.project", "nemoclaw"));

    assertThat(compose).startsWith("# compose override for service agent (docker compose -f compose.yaml -f "
        + "capaudit.override.yaml up -d)\n");
    JsonNode root = YAML.readTree(compose);
    assertThat(fieldNames(root)).containsExactly("services");
    assertThat(fieldNames(root.get("services"))).containsExactly("agent");
    JsonNode service = root.get("services").get("agent");
    assertThat(texts(service.get("cap_drop"))).containsExactly("ALL");
    assertThat(texts(service.get("cap_add"))).containsExactlyElementsOf(SIX_NAMES);
    assertThat(texts(service.get("security_opt"))).containsExactly("no-new-privileges:true");
    assertThat(fieldNames(service)).containsExactly("cap_drop", "cap_add", "security_opt");
  }

  @Test
  void compose_falls_back_to_the_container_name() throws Exception {
    String compose = render(FixFormat.COMPOSE, plan(false), "nemoclaw-sandbox", Map.of("other", "label"));

    JsonNode root = YAML.readTree(compose);
    assertThat(fieldNames(root.get("services"))).containsExactly("sandbox-7");
    JsonNode service = root.get("services").get("sandbox-7");
    assertThat(texts(service.get("cap_add"))).containsExactlyElementsOf(SIX_NAMES);
    assertThat(service.has("security_opt")).isFalse();
  }

  @Test
  void a_hostile_service_label_stays_one_key() throws Exception {
    String hostile = "evil: x\n  injected: true";

    String compose = render(FixFormat.COMPOSE, plan(true), "nemoclaw-sandbox",
        Map.of("com.docker.compose.service", hostile));

    JsonNode root = YAML.readTree(compose);
    assertThat(fieldNames(root)).containsExactly("services");
    assertThat(fieldNames(root.get("services"))).containsExactly(hostile);
    assertThat(texts(root.get("services").get(hostile).get("cap_drop"))).containsExactly("ALL");
    assertThat(compose.lines().findFirst()).contains("# compose override for service evil: x?  injected: true"
        + " (docker compose -f compose.yaml -f capaudit.override.yaml up -d)");
  }

  @Test
  void a_service_label_with_yaml_syntax_and_a_carriage_return_stays_one_key() throws Exception {
    for (String hostile : List.of("a\r\nservices:\r\n  b: {privileged: true}", "*alias", "&anchor x", "- item",
        "'quoted'", "\"double\"", "# comment", "key: {privileged: true}", "\t tab", "null", "~")) {
      String compose = render(FixFormat.COMPOSE, plan(false), "nemoclaw-sandbox",
          Map.of("com.docker.compose.service", hostile));

      JsonNode root = YAML.readTree(compose);
      assertThat(fieldNames(root)).as("%s", hostile).containsExactly("services");
      assertThat(fieldNames(root.get("services"))).as("%s", hostile).containsExactly(hostile);
    }
  }

  @Test
  void a_service_label_with_a_unicode_line_break_stays_one_key() throws Exception {
    // YAML (1.1, and libyaml, which Compose's parser follows) also breaks lines at NEL, LS and PS.
    for (String hostile : List.of("svc\u2028x-injected: true #", "svc\u0085x-injected: true #",
        "svc\u2029x-injected: true #")) {
      String compose = render(FixFormat.COMPOSE, plan(false), "nemoclaw-sandbox",
          Map.of("com.docker.compose.service", hostile));

      JsonNode root = YAML.readTree(compose);
      assertThat(fieldNames(root)).as("%s", compose).containsExactly("services");
      // One service key: (a break inside a quoted key may fold to a space; Compose rejects such names anyway).
      assertThat(fieldNames(root.get("services"))).as("%s", compose).singleElement().asString().startsWith("svc");
    }
  }

  @Test
  void k8s_patch_drops_all_and_adds_the_plan_without_privilege_escalation() throws Exception {
    String k8s = render(FixFormat.K8S, plan(true), "nemoclaw-sandbox", Map.of());

    JsonNode root = YAML.readTree(k8s);
    assertThat(fieldNames(root)).containsExactly("securityContext");
    JsonNode context = root.get("securityContext");
    assertThat(context.get("allowPrivilegeEscalation").isBoolean()).isTrue();
    assertThat(context.get("allowPrivilegeEscalation").booleanValue()).isFalse();
    assertThat(texts(context.get("capabilities").get("drop"))).containsExactly("ALL");
    assertThat(texts(context.get("capabilities").get("add"))).containsExactlyElementsOf(SIX_NAMES);
  }

  @Test
  void entrypoint_for_nemoclaw_matches_its_golden_file() throws Exception {
    String entrypoint = render(FixFormat.ENTRYPOINT, plan(true), "nemoclaw-sandbox", Map.of());

    Golden.assertMatches("fix/golden-entrypoint-nemoclaw.txt", entrypoint);
  }

  /**
   * The capabilities the shim drops: DROP_BITS holds "bit:name" pairs, which the shim filters by the kernel's
   * cap_last_cap before passing them to capsh --drop.
   */
  private static List<String> dropList(String entrypoint) {
    int at = entrypoint.indexOf("DROP_BITS=\"");
    assertThat(at).as("DROP_BITS in the shim").isNotNegative();
    int start = at + "DROP_BITS=\"".length();
    int end = entrypoint.indexOf('"', start);
    return Arrays.stream(entrypoint.substring(start, end).split(" ")).map(e -> e.substring(e.indexOf(':') + 1))
        .toList();
  }


  @Test
  void entrypoint_for_nemoclaw_drops_sys_admin_and_keeps_the_root_six() throws Exception {
    String entrypoint = render(FixFormat.ENTRYPOINT, plan(true), "nemoclaw-sandbox", Map.of());

    List<String> drop = dropList(entrypoint);
    assertThat(drop).contains("cap_sys_admin", "cap_sys_ptrace", "cap_net_raw", "cap_dac_override",
        "cap_net_bind_service", "cap_sys_module", "cap_bpf", "cap_checkpoint_restore");
    assertThat(drop).doesNotContain("cap_setuid", "cap_setpcap", "cap_chown", "cap_fowner", "cap_kill",
        "cap_setgid");
    assertThat(drop).hasSize(Capability.values().length - 6).doesNotHaveDuplicates();
    assertThat(entrypoint).contains("--bounding-set=-chown,-fowner,-kill,-setgid,-setuid -- \"$@\"");
    assertThat(entrypoint).contains("policy \"nemoclaw-sandbox\"");
  }

  @Test
  void entrypoint_for_k8s_restricted_drops_everything_but_net_bind_service_and_setpcap() throws Exception {
    EnforcementPlan plan = new EnforcementPlan("web", CapabilityMask.parse("0xa80425fb"),
        List.of(Capability.NET_BIND_SERVICE), true, CapabilityMask.parse("0xa80421fb"), List.of(), false);

    String entrypoint = render(FixFormat.ENTRYPOINT, plan, "k8s-restricted", Map.of());

    List<String> expected = Arrays.stream(Capability.values())
        .filter(c -> c != Capability.NET_BIND_SERVICE && c != Capability.SETPCAP)
        .map(Capability::lowerCaseName).toList();
    assertThat(dropList(entrypoint)).containsExactlyElementsOf(expected);
    // The non-root step-down gives up SETPCAP, which only the shim itself needed.
    assertThat(entrypoint).contains("--bounding-set=-setpcap -- \"$@\"");
  }

  private static String script(String entrypoint) {
    int start = entrypoint.indexOf(SCRIPT_START);
    int end = entrypoint.indexOf(SCRIPT_END);
    assertThat(start).as("#!/bin/sh in the output").isNotNegative();
    assertThat(end).as("the Dockerfile marker after the script").isGreaterThan(start);
    return entrypoint.substring(start, end);
  }

  private static int shellSyntaxCheck(Path script) throws Exception {
    Process sh = new ProcessBuilder("/bin/sh", "-n", script.toString()).redirectErrorStream(true).start();
    String output = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(sh.waitFor(30, TimeUnit.SECONDS)).as("sh -n finished").isTrue();
    assertThat(output).as("sh -n output").isEmpty();
    return sh.exitValue();
  }

  @Test
  void entrypoint_script_is_valid_shell(@TempDir Path dir) throws Exception {
    for (String policy : List.of("nemoclaw-sandbox", "k8s-restricted", "cis-docker")) {
      String script = script(render(FixFormat.ENTRYPOINT, plan(true), policy, Map.of()));
      Path file = dir.resolve(policy + ".sh");
      Files.writeString(file, script, StandardCharsets.UTF_8);

      assertThat(shellSyntaxCheck(file)).as(policy).isZero();
      assertThat(script).as(policy).contains("exec \"$CAPSH\" --drop=").contains("CAPAUDIT_CAPS_DROPPED=1");
    }
  }

  @Test
  void the_syntax_check_catches_a_broken_script(@TempDir Path dir) throws Exception {
    Path broken = dir.resolve("broken.sh");
    Files.writeString(broken, "#!/bin/sh\nif [ -n \"$X\" ]; then\n  echo x\n", StandardCharsets.UTF_8);

    Process sh = new ProcessBuilder("/bin/sh", "-n", broken.toString()).redirectErrorStream(true).start();
    sh.getInputStream().readAllBytes();

    assertThat(sh.waitFor()).isNotZero();
  }

  @Test
  void entrypoint_for_cis_docker_keeps_the_defaults_but_net_raw() throws Exception {
    String entrypoint = render(FixFormat.ENTRYPOINT, plan(false), "cis-docker", Map.of());

    List<String> drop = dropList(entrypoint);
    assertThat(drop).contains("cap_net_raw", "cap_sys_admin").doesNotContain("cap_chown", "cap_dac_override",
        "cap_setuid", "cap_setpcap", "cap_audit_write", "cap_net_bind_service");
    // Every load-bearing capability is allowed everywhere: the step-down drops nothing.
    assertThat(entrypoint).doesNotContain("--bounding-set=");
  }
}
