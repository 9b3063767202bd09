package dev.capaudit.scanner.policy;

import static dev.capaudit.rules.capability.Capability.AUDIT_WRITE;
import static dev.capaudit.rules.capability.Capability.CHOWN;
import static dev.capaudit.rules.capability.Capability.DAC_OVERRIDE;
import static dev.capaudit.rules.capability.Capability.DAC_READ_SEARCH;
import static dev.capaudit.rules.capability.Capability.FOWNER;
import static dev.capaudit.rules.capability.Capability.FSETID;
import static dev.capaudit.rules.capability.Capability.KILL;
import static dev.capaudit.rules.capability.Capability.MKNOD;
import static dev.capaudit.rules.capability.Capability.NET_BIND_SERVICE;
import static dev.capaudit.rules.capability.Capability.NET_RAW;
import static dev.capaudit.rules.capability.Capability.SETFCAP;
import static dev.capaudit.rules.capability.Capability.SETGID;
import static dev.capaudit.rules.capability.Capability.SETPCAP;
import static dev.capaudit.rules.capability.Capability.SETUID;
import static dev.capaudit.rules.capability.Capability.SYS_ADMIN;
import static dev.capaudit.rules.capability.Capability.SYS_CHROOT;
import static dev.capaudit.rules.capability.Capability.SYS_MODULE;
import static dev.capaudit.rules.capability.Capability.SYS_PTRACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.capability.DockerCapabilities;
import dev.capaudit.rules.policy.AuditContext;
import dev.capaudit.rules.policy.Judgement;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.rules.policy.UnlistedAction;
import dev.capaudit.scanner.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyFilesTest {
  private static final String HEADER = "apiVersion: capaudit/v1\nkind: CapabilityPolicy\nname: test\n";
  private static final List<Capability> ROOT_ONLY = List.of(CHOWN, FOWNER, SETUID, SETGID, KILL);

  private static Policy sample(String name) throws PolicyFileException {
    return PolicyFiles.load(TestFiles.sample("policies/" + name + ".yaml"));
  }

  private static String errorOf(String yaml) {
    Throwable thrown = catchThrowable(() -> PolicyFiles.parse(yaml, "policy.yaml"));
    assertThat(thrown).isInstanceOf(PolicyFileException.class);
    return thrown.getMessage();
  }

  @Test
  void nemoclaw_sandbox_must_drop_the_ten_capabilities_of_the_capsh_list() throws Exception {
    Policy policy = sample("nemoclaw-sandbox");

    assertThat(policy.name()).isEqualTo("nemoclaw-sandbox");
    assertThat(policy.mustDrop()).containsExactlyInAnyOrder(SYS_ADMIN, SYS_PTRACE, NET_RAW, NET_BIND_SERVICE,
        DAC_OVERRIDE, SYS_CHROOT, FSETID, SETFCAP, MKNOD, AUDIT_WRITE);
  }

  @Test
  void nemoclaw_sandbox_allows_the_step_down_capabilities_in_root_contexts_and_config_only() throws Exception {
    Policy policy = sample("nemoclaw-sandbox");

    assertThat(ROOT_ONLY).allSatisfy(c -> {
      assertThat(policy.judge(c, AuditContext.ROOT_PROCESS)).as(c + " root-process").isEqualTo(Judgement.ALLOWED);
      assertThat(policy.judge(c, AuditContext.ROOT_EXEC)).as(c + " root-exec").isEqualTo(Judgement.ALLOWED);
      assertThat(policy.judge(c, AuditContext.CONFIG)).as(c + " config").isEqualTo(Judgement.ALLOWED);
      assertThat(policy.judge(c, AuditContext.NONROOT_PROCESS)).as(c + " nonroot-process")
          .isEqualTo(Judgement.OUTSIDE_ALLOWED_CONTEXTS);
      assertThat(policy.judge(c, AuditContext.NONROOT_EXEC)).as(c + " nonroot-exec")
          .isEqualTo(Judgement.OUTSIDE_ALLOWED_CONTEXTS);
    });
    assertThat(policy.loadBearing(SETUID)).get().satisfies(lb -> assertThat(lb.reason()).contains("setpriv"));
  }

  @ParameterizedTest
  @EnumSource(AuditContext.class)
  void nemoclaw_sandbox_allows_setpcap_everywhere(AuditContext context) throws Exception {
    assertThat(sample("nemoclaw-sandbox").judge(SETPCAP, context)).isEqualTo(Judgement.ALLOWED);
  }

  @Test
  void nemoclaw_sandbox_fails_unlisted_capabilities_in_all_five_sets() throws Exception {
    Policy policy = sample("nemoclaw-sandbox");

    assertThat(policy.unlisted()).isEqualTo(UnlistedAction.FAIL);
    assertThat(policy.judge(Capability.SYS_RESOURCE, AuditContext.ROOT_PROCESS)).isEqualTo(Judgement.UNLISTED_FAIL);
    assertThat(policy.checkedSets()).containsExactlyInAnyOrder(CapabilitySetKind.values());
  }

  @Test
  void nemoclaw_sandbox_leaves_the_agent_0x100_and_the_root_entrypoint_0x1e9() throws Exception {
    Policy policy = sample("nemoclaw-sandbox");

    assertThat(policy.allowedIn(AuditContext.NONROOT_PROCESS)).hasToString("0x100");
    assertThat(policy.allowedIn(AuditContext.NONROOT_EXEC)).hasToString("0x100");
    assertThat(policy.allowedIn(AuditContext.ROOT_PROCESS)).hasToString("0x1e9");
    assertThat(policy.allowedIn(AuditContext.ROOT_EXEC)).hasToString("0x1e9");
    assertThat(policy.allowedIn(AuditContext.CONFIG)).hasToString("0x1e9");
  }

  @Test
  void k8s_restricted_makes_everything_but_net_bind_service_must_drop() throws Exception {
    Policy policy = sample("k8s-restricted");

    assertThat(policy.mustDrop()).hasSize(40).doesNotContain(NET_BIND_SERVICE);
    assertThat(policy.mustDropMask()).isEqualTo(CapabilityMask.ALL_KNOWN.minus(CapabilityMask.of(NET_BIND_SERVICE)));
    assertThat(policy.loadBearing(NET_BIND_SERVICE)).get()
        .satisfies(lb -> assertThat(lb.contexts()).containsExactlyInAnyOrder(AuditContext.values()));
    for (AuditContext context : AuditContext.values()) {
      assertThat(policy.allowedIn(context)).as(context.id()).hasToString("0x400");
    }
    assertThat(policy.checkedSets()).containsExactlyInAnyOrder(CapabilitySetKind.values());
  }

  @Test
  void cis_docker_accepts_docker_defaults_but_net_raw_and_flags_the_escapes() throws Exception {
    Policy policy = sample("cis-docker");

    assertThat(policy.mustDrop()).containsExactlyInAnyOrder(NET_RAW, SYS_ADMIN, SYS_PTRACE, SYS_MODULE,
        DAC_READ_SEARCH);
    assertThat(policy.loadBearing()).hasSize(13);
    assertThat(policy.allowedIn(AuditContext.ROOT_PROCESS))
        .isEqualTo(DockerCapabilities.DEFAULT_SET.minus(CapabilityMask.of(NET_RAW)))
        .hasToString("0xa80405fb");
    assertThat(policy.judge(Capability.NET_ADMIN, AuditContext.CONFIG)).isEqualTo(Judgement.UNLISTED_FAIL);
  }

  @Test
  void reads_unlisted_sets_and_a_single_value_as_a_list() throws Exception {
    Policy policy = PolicyFiles.parse(HEADER + "unlisted: Warn\nsets: bounding\nmustDrop: cap_sys_admin\n",
        "policy.yaml");

    assertThat(policy.unlisted()).isEqualTo(UnlistedAction.WARN);
    assertThat(policy.checkedSets()).containsExactly(CapabilitySetKind.BOUNDING);
    assertThat(policy.mustDrop()).containsExactly(SYS_ADMIN);
    assertThat(policy.description()).isEmpty();
  }

  @Test
  void names_the_line_and_column_of_an_unknown_capability_and_suggests_the_closest() {
    String yaml = HEADER
        + "mustDrop:\n"
        + "  - SYS_ADMIN\n"
        + "  - NET_ADMIN\n"
        + "  - CAP_NET_RAWW\n";

    assertThat(errorOf(yaml))
        .isEqualTo("unknown capability 'CAP_NET_RAWW' at policy.yaml:7:5; did you mean CAP_NET_RAW?");
  }

  @Test
  void names_the_line_of_an_unknown_capability_in_a_load_bearing_item() {
    String yaml = HEADER
        + "loadBearing:\n"
        + "  - capability: SETUIDD\n"
        + "    reason: step down\n";

    assertThat(errorOf(yaml)).isEqualTo("unknown capability 'SETUIDD' at policy.yaml:5:17; did you mean CAP_SETUID?");
  }

  @Test
  void names_the_line_of_an_unknown_top_level_key() {
    String yaml = HEADER + "mustdrop: [SYS_ADMIN]\n";

    assertThat(errorOf(yaml)).startsWith("unknown key 'mustdrop' at policy.yaml:4:1; expected one of ")
        .contains("mustDrop").contains("loadBearing");
  }

  @Test
  void names_the_line_of_an_unknown_key_in_a_load_bearing_item() {
    String yaml = HEADER
        + "loadBearing:\n"
        + "  - capability: SETUID\n"
        + "    reason: step down\n"
        + "    context: [root-process]\n";

    assertThat(errorOf(yaml)).startsWith("unknown key 'context' at policy.yaml:7:5");
  }

  @Test
  void reports_a_missing_name() {
    String yaml = "apiVersion: capaudit/v1\nkind: CapabilityPolicy\nmustDrop: [SYS_ADMIN]\n";

    assertThat(errorOf(yaml)).isEqualTo("missing key 'name' at the top level of policy.yaml");
  }

  @Test
  void reports_a_missing_reason_with_the_line_of_its_item() {
    String yaml = HEADER
        + "loadBearing:\n"
        + "  - capability: SETUID\n"
        + "    contexts: [root-process]\n";

    assertThat(errorOf(yaml)).isEqualTo("missing key 'reason' in loadBearing item 1 at policy.yaml:5:5");
  }

  @Test
  void names_the_line_of_a_wrong_api_version() {
    String yaml = "apiVersion: capaudit/v2\nkind: CapabilityPolicy\nname: test\n";

    assertThat(errorOf(yaml)).isEqualTo("apiVersion must be 'capaudit/v1' but is 'capaudit/v2' at policy.yaml:1:13");
  }

  @Test
  void names_the_line_of_a_wrong_kind() {
    String yaml = "apiVersion: capaudit/v1\n\nkind: Snapshot\nname: test\n";

    assertThat(errorOf(yaml)).isEqualTo("kind must be 'CapabilityPolicy' but is 'Snapshot' at policy.yaml:3:7");
  }

  @Test
  void reports_a_missing_api_version() {
    assertThat(errorOf("kind: CapabilityPolicy\nname: test\n"))
        .isEqualTo("missing key 'apiVersion' (apiVersion: capaudit/v1) in policy.yaml");
  }

  @Test
  void names_the_line_of_an_unknown_context_and_lists_the_known_ones() {
    String yaml = HEADER
        + "loadBearing:\n"
        + "  - capability: SETUID\n"
        + "    reason: step down\n"
        + "    contexts: [root-process, nonroot-proces]\n";

    assertThat(errorOf(yaml)).isEqualTo("unknown context 'nonroot-proces' at policy.yaml:7:30; expected one of "
        + "root-process, nonroot-process, root-exec, nonroot-exec, config");
  }

  @Test
  void names_the_line_of_an_unknown_unlisted_action() {
    assertThat(errorOf(HEADER + "unlisted: deny\n"))
        .isEqualTo("unknown unlisted action 'deny' at policy.yaml:4:11; expected one of fail, warn, allow");
  }

  @Test
  void names_the_line_of_a_duplicate_key() {
    String yaml = HEADER + "mustDrop: [SYS_ADMIN]\nname: again\n";

    assertThat(errorOf(yaml)).startsWith("invalid policy at policy.yaml:5:").contains("'name'");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "loadBearing:\n  -\n",
      "mustDrop:\n  - SYS_ADMIN\n  -\n",
      "loadBearing:\n  - capability: SETUID\n    reason: step down\n    contexts: [config, ~]\n",
      "sets: [bounding, ~]\n"})
  void refuses_an_empty_list_item_naming_where_it_is(String body) {
    assertThat(errorOf(HEADER + body)).contains("policy.yaml:");
  }

  @Test
  void refuses_an_empty_file() {
    assertThat(errorOf("")).isEqualTo(
        "policy policy.yaml is empty; it needs apiVersion: capaudit/v1 and kind: CapabilityPolicy");
    assertThat(errorOf(" \n\n")).startsWith("policy policy.yaml is empty");
  }

  @Test
  void refuses_a_file_with_only_comments() {
    assertThat(errorOf("# nothing here\n")).contains("apiVersion").contains("policy.yaml");
  }

  @Test
  void refuses_a_capability_both_must_drop_and_load_bearing_naming_where() {
    String yaml = HEADER
        + "mustDrop: [SYS_ADMIN, SETUID]\n"
        + "loadBearing:\n"
        + "  - capability: SETUID\n"
        + "    reason: step down\n";

    assertThat(errorOf(yaml)).startsWith("CAP_SETUID is both must-drop and load-bearing at policy.yaml:6:")
        .matches(".*policy\\.yaml:\\d+:\\d+$");
  }

  @Test
  void lets_mustdrop_all_leave_the_load_bearing_capabilities_alone() throws Exception {
    Policy policy = PolicyFiles.parse(HEADER + "mustDrop: [all]\nloadBearing:\n  - {capability: SETPCAP, reason: x,"
        + " contexts: config}\n", "policy.yaml");

    assertThat(policy.mustDrop()).hasSize(40).doesNotContain(SETPCAP);
    assertThat(policy.loadBearing(SETPCAP)).get()
        .satisfies(lb -> assertThat(lb.contexts()).containsExactly(AuditContext.CONFIG));
    assertThat(policy.allowedIn(AuditContext.CONFIG)).hasToString("0x100");
    assertThat(policy.allowedIn(AuditContext.ROOT_PROCESS)).isEqualTo(CapabilityMask.EMPTY);
  }

  @Test
  void reports_a_file_that_cannot_be_read(@TempDir Path dir) {
    Path missing = dir.resolve("absent.yaml");

    assertThatThrownBy(() -> PolicyFiles.load(missing))
        .isInstanceOf(PolicyFileException.class)
        .hasMessageStartingWith("cannot read policy " + missing);
  }

  @Test
  void names_the_file_it_loaded_in_errors(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, HEADER + "unlisted: deny\n");

    assertThatThrownBy(() -> PolicyFiles.load(file))
        .isInstanceOf(PolicyFileException.class)
        .hasMessageContaining("at " + file + ":4:11");
  }

  @Test
  void keeps_load_bearing_capabilities_in_every_context_when_none_are_given() throws Exception {
    Policy policy = PolicyFiles.parse(HEADER + "loadBearing:\n  - capability: KILL\n    reason: signals\n",
        "policy.yaml");

    assertThat(policy.loadBearing(KILL)).get()
        .satisfies(lb -> assertThat(lb.contexts()).isEqualTo(EnumSet.allOf(AuditContext.class)));
  }

  @Test
  void refuses_a_load_bearing_capability_listed_twice() {
    String yaml = HEADER + "loadBearing:\n  - {capability: KILL, reason: a}\n  - {capability: cap_kill, reason: b}\n";

    assertThat(errorOf(yaml)).isEqualTo("CAP_KILL is listed twice in loadBearing, again at policy.yaml:6:5;"
        + " merge the entries");
  }

  @Test
  void refuses_empty_contexts_rather_than_reading_them_as_everywhere() {
    String yaml = HEADER + "loadBearing:\n  - capability: KILL\n    reason: a\n    contexts: []\n";

    assertThat(errorOf(yaml)).startsWith("empty contexts in loadBearing item 1 at policy.yaml:5:5");
  }
}
