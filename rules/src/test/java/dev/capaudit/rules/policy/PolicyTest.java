package dev.capaudit.rules.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilitySetKind;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PolicyTest {
  private static final LoadBearing SETUID_FOR_ROOT = new LoadBearing(Capability.SETUID, "step down",
      EnumSet.of(AuditContext.ROOT_PROCESS, AuditContext.ROOT_EXEC, AuditContext.CONFIG));
  private static final LoadBearing SETPCAP_EVERYWHERE = new LoadBearing(Capability.SETPCAP, "shrink bounding",
      EnumSet.allOf(AuditContext.class));

  private static Policy policy(UnlistedAction unlisted) {
    return new Policy("test", "", Set.of(Capability.SYS_ADMIN, Capability.NET_RAW),
        Map.of(Capability.SETUID, SETUID_FOR_ROOT, Capability.SETPCAP, SETPCAP_EVERYWHERE), unlisted, Set.of());
  }

  @ParameterizedTest
  @EnumSource(AuditContext.class)
  void judges_a_must_drop_capability_must_drop_in_every_context(AuditContext context) {
    assertThat(policy(UnlistedAction.ALLOW).judge(Capability.SYS_ADMIN, context)).isEqualTo(Judgement.MUST_DROP);
  }

  @Test
  void allows_a_load_bearing_capability_only_in_its_contexts() {
    Policy policy = policy(UnlistedAction.FAIL);

    assertThat(policy.judge(Capability.SETUID, AuditContext.ROOT_PROCESS)).isEqualTo(Judgement.ALLOWED);
    assertThat(policy.judge(Capability.SETUID, AuditContext.ROOT_EXEC)).isEqualTo(Judgement.ALLOWED);
    assertThat(policy.judge(Capability.SETUID, AuditContext.CONFIG)).isEqualTo(Judgement.ALLOWED);
    assertThat(policy.judge(Capability.SETUID, AuditContext.NONROOT_PROCESS))
        .isEqualTo(Judgement.OUTSIDE_ALLOWED_CONTEXTS);
    assertThat(policy.judge(Capability.SETUID, AuditContext.NONROOT_EXEC))
        .isEqualTo(Judgement.OUTSIDE_ALLOWED_CONTEXTS);
  }

  @Test
  void judges_an_unlisted_capability_by_the_unlisted_action() {
    assertThat(policy(UnlistedAction.FAIL).judge(Capability.KILL, AuditContext.ROOT_PROCESS))
        .isEqualTo(Judgement.UNLISTED_FAIL);
    assertThat(policy(UnlistedAction.WARN).judge(Capability.KILL, AuditContext.ROOT_PROCESS))
        .isEqualTo(Judgement.UNLISTED_WARN);
    assertThat(policy(UnlistedAction.ALLOW).judge(Capability.KILL, AuditContext.ROOT_PROCESS))
        .isEqualTo(Judgement.UNLISTED_ALLOWED);
  }

  @Test
  void tells_findings_and_violations_apart() {
    assertThat(EnumSet.allOf(Judgement.class)).filteredOn(Judgement::isFinding).containsExactlyInAnyOrder(
        Judgement.MUST_DROP, Judgement.OUTSIDE_ALLOWED_CONTEXTS, Judgement.UNLISTED_FAIL, Judgement.UNLISTED_WARN);
    assertThat(EnumSet.allOf(Judgement.class)).filteredOn(Judgement::isViolation).containsExactlyInAnyOrder(
        Judgement.MUST_DROP, Judgement.OUTSIDE_ALLOWED_CONTEXTS, Judgement.UNLISTED_FAIL);
  }

  @Test
  void computes_the_mask_each_context_may_hold() {
    Policy policy = policy(UnlistedAction.FAIL);

    assertThat(policy.allowedIn(AuditContext.ROOT_PROCESS)).hasToString("0x180");
    assertThat(policy.allowedIn(AuditContext.NONROOT_PROCESS)).hasToString("0x100");
    assertThat(policy.mustDropMask()).hasToString("0x202000");
  }

  @Test
  void leaves_warned_capabilities_out_of_the_allowed_mask_but_not_silently_allowed_ones() {
    Policy policy = policy(UnlistedAction.WARN);

    assertThat(policy.allowedIn(AuditContext.NONROOT_PROCESS)).hasToString("0x100");
    assertThat(policy(UnlistedAction.ALLOW).allowedIn(AuditContext.NONROOT_PROCESS)).hasToString("0x1ffffdfdf7f");
  }

  @Test
  void checks_all_five_sets_unless_told_otherwise() {
    assertThat(policy(UnlistedAction.FAIL).checkedSets()).containsExactlyInAnyOrder(CapabilitySetKind.values());
    Policy boundingOnly = new Policy("b", "", Set.of(), Map.of(), UnlistedAction.FAIL,
        Set.of(CapabilitySetKind.BOUNDING));
    assertThat(boundingOnly.checkedSets()).containsExactly(CapabilitySetKind.BOUNDING);
  }

  @Test
  void refuses_a_capability_both_must_drop_and_load_bearing() {
    assertThatThrownBy(() -> new Policy("x", "", Set.of(Capability.SETUID), Map.of(Capability.SETUID,
        SETUID_FOR_ROOT), UnlistedAction.FAIL, Set.of()))
        .isInstanceOf(PolicyViolationException.class)
        .hasMessage("CAP_SETUID is both must-drop and load-bearing");
  }

  @Test
  void finds_the_load_bearing_entry_of_a_capability() {
    assertThat(policy(UnlistedAction.FAIL).loadBearing(Capability.SETUID)).contains(SETUID_FOR_ROOT);
    assertThat(policy(UnlistedAction.FAIL).loadBearing(Capability.KILL)).isEmpty();
  }

  @Test
  void looks_up_contexts_by_id() {
    assertThat(AuditContext.fromId(" Nonroot-Exec ")).contains(AuditContext.NONROOT_EXEC);
    assertThat(AuditContext.fromId("nonroot")).isEmpty();
    assertThat(AuditContext.forProcess(true)).isEqualTo(AuditContext.ROOT_PROCESS);
    assertThat(AuditContext.forExec(false)).isEqualTo(AuditContext.NONROOT_EXEC);
  }
}
