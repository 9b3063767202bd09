package dev.capaudit.rules.enforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capaudit.rules.TestFiles;
import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySets;
import dev.capaudit.rules.capability.DockerCapabilities;
import dev.capaudit.rules.engine.Auditor;
import dev.capaudit.rules.engine.TargetResult;
import dev.capaudit.rules.engine.Verdict;
import dev.capaudit.rules.model.ContainerConfig;
import dev.capaudit.rules.model.ExecView;
import dev.capaudit.rules.model.ObservationSource;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.policy.AuditContext;
import dev.capaudit.rules.policy.LoadBearing;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.rules.policy.UnlistedAction;
import dev.capaudit.rules.proc.ProcStatus;
import dev.capaudit.rules.proc.ProcStatusParser;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlannerTest {
  /** CHOWN, FOWNER, KILL, SETGID, SETUID, SETPCAP: what nemoclaw-sandbox lets the root entrypoint keep. */
  private static final CapabilityMask ROOT_SIX = CapabilityMask.parse("0x1e9");
  private static final CapabilityMask DOCKER_DEFAULTS = CapabilityMask.parse("0xa80425fb");
  private static final CapabilityMask PERMISSIVE = CapabilityMask.parse("0xa82c25fb");
  private static final List<String> SIX_NAMES = List.of("CHOWN", "FOWNER", "KILL", "SETGID", "SETUID", "SETPCAP");

  /** samples/policies/nemoclaw-sandbox.yaml, built without YAML (rules cannot read it). */
  private static Policy nemoclaw() {
    Set<AuditContext> rootOnly = EnumSet.of(AuditContext.ROOT_PROCESS, AuditContext.ROOT_EXEC, AuditContext.CONFIG);
    Map<Capability, LoadBearing> lb = new EnumMap<>(Capability.class);
    for (Capability c : List.of(Capability.CHOWN, Capability.FOWNER, Capability.SETUID, Capability.SETGID,
        Capability.KILL)) {
      lb.put(c, new LoadBearing(c, "root entrypoint", rootOnly));
    }
    lb.put(Capability.SETPCAP, new LoadBearing(Capability.SETPCAP, "capsh and setpriv",
        EnumSet.allOf(AuditContext.class)));
    return new Policy("nemoclaw-sandbox", "", EnumSet.of(Capability.SYS_ADMIN, Capability.SYS_PTRACE,
        Capability.NET_RAW, Capability.NET_BIND_SERVICE, Capability.DAC_OVERRIDE, Capability.SYS_CHROOT,
        Capability.FSETID, Capability.SETFCAP, Capability.MKNOD, Capability.AUDIT_WRITE), lb, UnlistedAction.FAIL,
        Set.of());
  }

  private static ProcessSnapshot captured(String relative) throws Exception {
    ProcStatus status = ProcStatusParser.parse(TestFiles.read("captured/proc/" + relative));
    return ProcessSnapshot.of(status, ObservationSource.HOST_PROC);
  }

  private static ExecView capturedExec(String relative, String user, boolean root) throws Exception {
    ProcStatus status = ProcStatusParser.parse(TestFiles.read("captured/proc/" + relative));
    return new ExecView(user, root, status.capabilities(), status.noNewPrivs(), ObservationSource.EXEC_PROBE);
  }

  /** A configuration as the engine stores it, with the bounding set computed as moby does. */
  private static ContainerConfig config(List<String> capAdd, List<String> capDrop, String user, boolean nnp) {
    CapabilityMask bounding = DockerCapabilities.boundingSet(false, capAdd, capDrop, CapabilityMask.ALL_KNOWN)
        .mask();
    return new ContainerConfig(false, capAdd, capDrop, bounding, user, nnp, Optional.empty(),
        nnp ? List.of("no-new-privileges") : List.of());
  }

  private static TargetSnapshot container(String name, ContainerConfig config, List<ProcessSnapshot> processes,
      List<ExecView> exec) {
    return new TargetSnapshot(TargetKind.CONTAINER, "4301d74f", name, "capaudit-test:latest", Map.of(),
        Optional.of(config), processes, exec, List.of(), List.of());
  }

  private static TargetResult audit(Policy policy, TargetSnapshot target) {
    return new Auditor(policy).audit(target);
  }

  /** What the no-new-privileges capture ran with: --cap-drop ALL, the six, --security-opt no-new-privileges. */
  private static ContainerConfig enforcedConfig(boolean nnp) {
    return config(List.of("CAP_CHOWN", "CAP_FOWNER", "CAP_KILL", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID"),
        List.of("ALL"), "", nnp);
  }

  @Test
  void a_root_start_container_gets_exactly_the_six_root_capabilities_back() throws Exception {
    TargetSnapshot target = container("docker-default-root", config(List.of(), List.of(), "", false),
        List.of(captured("docker-default-root/pid1.status")), List.of());

    EnforcementPlan plan = Planner.plan(nemoclaw(), audit(nemoclaw(), target), false);

    assertThat(plan.target()).isEqualTo("docker-default-root");
    assertThat(plan.capAdd()).containsExactly(Capability.CHOWN, Capability.FOWNER, Capability.KILL,
        Capability.SETGID, Capability.SETUID, Capability.SETPCAP);
    assertThat(plan.capAddNames()).containsExactlyElementsOf(SIX_NAMES);
    assertThat(plan.newBoundingSet()).isEqualTo(ROOT_SIX);
    assertThat(plan.currentBoundingSet()).isEqualTo(DOCKER_DEFAULTS);
    assertThat(plan.removed()).hasToString("0xa8042412").isEqualTo(DOCKER_DEFAULTS.minus(ROOT_SIX));
    assertThat(plan.removed().names()).containsExactly("CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_NET_BIND_SERVICE",
        "CAP_NET_RAW", "CAP_SYS_CHROOT", "CAP_MKNOD", "CAP_AUDIT_WRITE", "CAP_SETFCAP");
    assertThat(plan.noNewPrivileges()).isFalse();
    assertThat(plan.alreadyComplies()).isFalse();
  }

  @Test
  void removed_is_the_permissive_bounding_set_minus_the_six() throws Exception {
    TargetSnapshot target = container("agent-fixed", config(List.of("CAP_SYS_ADMIN", "CAP_SYS_PTRACE"), List.of(),
        "", false), List.of(captured("agent-fixed/pid1.status")), List.of());

    EnforcementPlan plan = Planner.plan(nemoclaw(), audit(nemoclaw(), target), true);

    assertThat(plan.currentBoundingSet()).isEqualTo(PERMISSIVE);
    assertThat(plan.removed()).hasToString("0xa82c2412");
    assertThat(plan.removed().names()).contains("CAP_SYS_ADMIN", "CAP_SYS_PTRACE").doesNotContain("CAP_SETPCAP",
        "CAP_SETUID", "CAP_CHOWN");
    assertThat(plan.newBoundingSet()).isEqualTo(ROOT_SIX);
    // The agent (uid 1000) holds nothing in its effective set: nothing it uses today goes away.
    assertThat(plan.warnings()).isEmpty();
    assertThat(plan.noNewPrivileges()).isTrue();
  }

  @Test
  void warns_once_for_each_effective_capability_a_process_loses() throws Exception {
    // Both processes run as root with CapEff 0xa80425fb; the six stay, eight go.
    TargetSnapshot target = container("process-tree-no-drop", config(List.of(), List.of(), "", false),
        List.of(captured("process-tree-no-drop/pid1.status"), captured("process-tree-no-drop/pid7.status")),
        List.of());

    EnforcementPlan plan = Planner.plan(nemoclaw(), audit(nemoclaw(), target), false);

    assertThat(plan.warnings()).hasSize(16);
    assertThat(plan.warnings()).filteredOn(w -> w.startsWith("pid 1 (sleep) ")).hasSize(8);
    assertThat(plan.warnings()).filteredOn(w -> w.startsWith("pid 7 (sleep) ")).hasSize(8);
    assertThat(plan.warnings()).contains(
        "pid 1 (sleep) holds CAP_NET_RAW in its effective set now; the new settings remove it",
        "pid 7 (sleep) holds CAP_SETFCAP in its effective set now; the new settings remove it");
    assertThat(plan.warnings()).noneMatch(w -> w.contains("CAP_SETUID") || w.contains("CAP_CHOWN")
        || w.contains("CAP_SETPCAP") || w.contains("CAP_KILL") || w.contains("CAP_FOWNER")
        || w.contains("CAP_SETGID"));
  }

  @Test
  void no_warning_for_a_capability_only_in_the_bounding_set() throws Exception {
    // stage1-sysadmin-regression: root holds 0x2001e9 effective; of the removed ones only SYS_ADMIN is effective.
    TargetSnapshot target = container("stage1", config(List.of("CAP_SYS_ADMIN", "CAP_SYS_PTRACE"), List.of(), "",
        false), List.of(captured("stage1-sysadmin-regression/pid1.status")), List.of());

    EnforcementPlan plan = Planner.plan(nemoclaw(), audit(nemoclaw(), target), false);

    assertThat(plan.warnings()).containsExactly(
        "pid 1 (sleep) holds CAP_SYS_ADMIN in its effective set now; the new settings remove it");
  }

  @Test
  void user_zero_and_root_with_a_group_also_start_as_root() throws Exception {
    for (String user : List.of("0", "root", "0:0", "root:1000")) {
      TargetSnapshot target = container("r", config(List.of(), List.of(), user, false),
          List.of(captured("docker-default-root/pid1.status")), List.of());

      EnforcementPlan plan = Planner.plan(nemoclaw(), audit(nemoclaw(), target), false);

      assertThat(plan.capAddNames()).as("user %s", user).containsExactlyElementsOf(SIX_NAMES);
    }
  }

  @Test
  void a_clean_non_root_agent_gets_nothing_back() throws Exception {
    TargetSnapshot target = container("drop-all-user1000", config(List.of(), List.of("ALL"), "1000", false),
        List.of(captured("drop-all-user1000/pid1.status")), List.of());

    EnforcementPlan plan = Planner.plan(nemoclaw(), audit(nemoclaw(), target), false);

    assertThat(plan.capAdd()).isEmpty();
    assertThat(plan.newBoundingSet()).isEqualTo(CapabilityMask.EMPTY);
    assertThat(plan.currentBoundingSet()).isEqualTo(CapabilityMask.EMPTY);
    assertThat(plan.removed()).isEqualTo(CapabilityMask.EMPTY);
    assertThat(plan.warnings()).isEmpty();
  }

  @Test
  void a_non_root_agent_keeps_only_allowed_capabilities_it_holds_in_its_effective_set() {
    // uid 1000 with CapEff SETPCAP + NET_RAW (file capabilities, say), default bounding set.
    CapabilityMask effective = CapabilityMask.of(Capability.SETPCAP, Capability.NET_RAW);
    ProcStatus status = new ProcStatus(5001, List.of(5001, 1), 0, "agent", 1000, 1000, 1000, 1000,
        CapabilitySets.of(CapabilityMask.EMPTY, effective, effective, DOCKER_DEFAULTS, CapabilityMask.EMPTY),
        Optional.of(false), Optional.empty());
    TargetSnapshot target = container("agent", config(List.of(), List.of(), "1000:1000", false),
        List.of(ProcessSnapshot.of(status, ObservationSource.HOST_PROC)), List.of());

    EnforcementPlan plan = Planner.plan(nemoclaw(), audit(nemoclaw(), target), false);

    // CHOWN and the other root-only ones are not allowed for non-root; NET_RAW is must-drop.
    assertThat(plan.capAddNames()).containsExactly("SETPCAP");
    assertThat(plan.newBoundingSet()).hasToString("0x100");
    assertThat(plan.removed()).hasToString("0xa80424fb");
    assertThat(plan.warnings()).containsExactly(
        "pid 1 (agent) holds CAP_NET_RAW in its effective set now; the new settings remove it");
  }

  @Test
  void a_non_root_agent_under_a_root_only_policy_does_not_get_the_root_capabilities() throws Exception {
    // ambient-nonroot: uid 1000 with NET_RAW in every set but bounding; a named user is not root either.
    TargetSnapshot target = container("ambient", config(List.of(), List.of(), "sandbox", false),
        List.of(captured("ambient-nonroot/pid1.status")), List.of());

    EnforcementPlan plan = Planner.plan(nemoclaw(), audit(nemoclaw(), target), false);

    assertThat(plan.capAdd()).isEmpty();
    assertThat(plan.removed()).isEqualTo(DOCKER_DEFAULTS);
    assertThat(plan.warnings()).containsExactly(
        "pid 1 (sleep) holds CAP_NET_RAW in its effective set now; the new settings remove it");
  }

  @Test
  void root_keeps_only_capabilities_load_bearing_in_both_root_process_and_config() throws Exception {
    Map<Capability, LoadBearing> lb = new EnumMap<>(Capability.class);
    lb.put(Capability.SETUID, new LoadBearing(Capability.SETUID, "both",
        EnumSet.of(AuditContext.ROOT_PROCESS, AuditContext.CONFIG)));
    lb.put(Capability.KILL, new LoadBearing(Capability.KILL, "process only", EnumSet.of(AuditContext.ROOT_PROCESS)));
    lb.put(Capability.CHOWN, new LoadBearing(Capability.CHOWN, "config only", EnumSet.of(AuditContext.CONFIG)));
    // Unlisted capabilities are allowed, but only explicitly load-bearing ones come back.
    Policy policy = new Policy("narrow", "", Set.of(Capability.SYS_ADMIN), lb, UnlistedAction.ALLOW, Set.of());
    TargetSnapshot target = container("r", config(List.of(), List.of(), "", false),
        List.of(captured("docker-default-root/pid1.status")), List.of());

    EnforcementPlan plan = Planner.plan(policy, audit(policy, target), false);

    assertThat(plan.capAddNames()).containsExactly("SETUID");
    assertThat(plan.newBoundingSet()).hasToString("0x80");
  }

  @Test
  void a_passing_container_with_drop_all_and_the_desired_set_already_complies() throws Exception {
    TargetSnapshot target = container("no-new-privileges", enforcedConfig(true),
        List.of(captured("no-new-privileges/pid1.status")), List.of());
    TargetResult audited = audit(nemoclaw(), target);
    assertThat(audited.verdict()).isEqualTo(Verdict.PASS);

    EnforcementPlan withNnp = Planner.plan(nemoclaw(), audited, true);
    EnforcementPlan withoutNnp = Planner.plan(nemoclaw(), audited, false);

    assertThat(withNnp.alreadyComplies()).isTrue();
    assertThat(withNnp.currentBoundingSet()).isEqualTo(ROOT_SIX);
    assertThat(withNnp.removed()).isEqualTo(CapabilityMask.EMPTY);
    assertThat(withNnp.warnings()).isEmpty();
    assertThat(withoutNnp.alreadyComplies()).isTrue();
  }

  @Test
  void does_not_comply_when_no_new_privileges_is_asked_for_and_missing() throws Exception {
    TargetSnapshot target = container("no-nnp", enforcedConfig(false),
        List.of(captured("no-new-privileges/pid1.status")), List.of());
    TargetResult audited = audit(nemoclaw(), target);
    assertThat(audited.verdict()).isEqualTo(Verdict.PASS);

    assertThat(Planner.plan(nemoclaw(), audited, true).alreadyComplies()).isFalse();
    assertThat(Planner.plan(nemoclaw(), audited, false).alreadyComplies()).isTrue();
  }

  @Test
  void does_not_comply_when_the_verdict_is_not_pass_even_with_the_right_settings() throws Exception {
    // The non-root exec shell keeps the configured 0x1e9: CHOWN & co. outside their contexts, so it fails.
    TargetSnapshot target = container("no-new-privileges", enforcedConfig(true),
        List.of(captured("no-new-privileges/pid1.status")),
        List.of(capturedExec("no-new-privileges/exec-1000.status", "1000", false)));
    TargetResult audited = audit(nemoclaw(), target);
    assertThat(audited.verdict()).isEqualTo(Verdict.FAIL);

    EnforcementPlan plan = Planner.plan(nemoclaw(), audited, true);

    assertThat(plan.alreadyComplies()).isFalse();
    assertThat(plan.capAddNames()).containsExactlyElementsOf(SIX_NAMES);
  }

  @Test
  void does_not_comply_with_the_same_bounding_set_reached_without_drop_all() throws Exception {
    // The eight other defaults dropped one by one: bounding set 0x1e9 too, but no CapDrop ALL.
    List<String> drops = List.of("DAC_OVERRIDE", "FSETID", "NET_BIND_SERVICE", "NET_RAW", "SYS_CHROOT", "MKNOD",
        "AUDIT_WRITE", "SETFCAP");
    ContainerConfig config = config(List.of(), drops, "", true);
    assertThat(config.boundingSet()).isEqualTo(ROOT_SIX);
    TargetResult audited = audit(nemoclaw(), container("explicit-drops", config,
        List.of(captured("no-new-privileges/pid1.status")), List.of()));
    assertThat(audited.verdict()).isEqualTo(Verdict.PASS);

    assertThat(Planner.plan(nemoclaw(), audited, false).alreadyComplies()).isFalse();
  }

  @Test
  void never_adds_a_load_bearing_capability_the_container_does_not_have() throws Exception {
    // Drop ALL and add back five: KILL is missing, so the bounding set is 0x1c9, not 0x1e9. Enforcing only takes
    // away: KILL stays out, and the container, already at least privilege, complies.
    ContainerConfig config = config(List.of("CHOWN", "FOWNER", "SETGID", "SETUID", "SETPCAP"), List.of("ALL"), "",
        true);
    assertThat(config.boundingSet()).hasToString("0x1c9");
    TargetResult audited = audit(nemoclaw(), container("five", config,
        List.of(captured("no-new-privileges/pid1.status")), List.of()));
    assertThat(audited.verdict()).isEqualTo(Verdict.PASS);

    EnforcementPlan plan = Planner.plan(nemoclaw(), audited, false);

    assertThat(plan.capAddNames()).containsExactly("CHOWN", "FOWNER", "SETGID", "SETUID", "SETPCAP");
    assertThat(plan.newBoundingSet()).hasToString("0x1c9");
    assertThat(plan.removed()).isEqualTo(CapabilityMask.EMPTY);
    assertThat(plan.alreadyComplies()).isTrue();
  }

  @Test
  void a_target_without_configuration_cannot_be_enforced() throws Exception {
    TargetSnapshot snapshot = new TargetSnapshot(TargetKind.SNAPSHOT, "", "from-file", "", Map.of(),
        Optional.empty(), List.of(captured("agent-fixed/pid1.status")), List.of(), List.of(), List.of());
    TargetResult audited = audit(nemoclaw(), snapshot);

    assertThatThrownBy(() -> Planner.plan(nemoclaw(), audited, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("from-file");
  }
}
