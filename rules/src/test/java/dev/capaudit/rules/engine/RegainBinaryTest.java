package dev.capaudit.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.capability.CapabilitySets;
import dev.capaudit.rules.model.ImageFacts;
import dev.capaudit.rules.model.ObservationSource;
import dev.capaudit.rules.model.PrivilegedFile;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.policy.AuditContext;
import dev.capaudit.rules.policy.LoadBearing;
import dev.capaudit.rules.policy.Policy;
import dev.capaudit.rules.policy.UnlistedAction;
import dev.capaudit.rules.proc.ProcStatus;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegainBinaryTest {
  private static final CapabilityMask DOCKER_DEFAULTS = CapabilityMask.parse("0xa80425fb");
  private static final CapabilityMask NET_RAW = CapabilityMask.parse("0x2000");
  private static final PrivilegedFile NETRAW_TOOL = new PrivilegedFile("/bin/netraw-tool", false, false, 0, NET_RAW);
  private static final PrivilegedFile SU = new PrivilegedFile("/usr/bin/su", true, false, 0, CapabilityMask.EMPTY);

  private static Policy mustDrop(Capability... capabilities) {
    return new Policy("gate", "", Set.of(capabilities), Map.of(), UnlistedAction.ALLOW, Set.of());
  }

  /** The nemoclaw-sandbox must-drop list; the root-only ones are load-bearing, the rest unlisted-fail. */
  private static Policy nemoclawLike() {
    return new Policy("nemoclaw-sandbox", "", EnumSet.of(Capability.SYS_ADMIN, Capability.SYS_PTRACE,
        Capability.NET_RAW, Capability.NET_BIND_SERVICE, Capability.DAC_OVERRIDE, Capability.SYS_CHROOT,
        Capability.FSETID, Capability.SETFCAP, Capability.MKNOD, Capability.AUDIT_WRITE),
        Map.of(Capability.SETPCAP, new LoadBearing(Capability.SETPCAP, "shrink", EnumSet.allOf(AuditContext.class))),
        UnlistedAction.FAIL, Set.of());
  }

  private static ProcessSnapshot process(int uid, CapabilityMask bounding, Optional<Boolean> noNewPrivs) {
    return process(uid, CapabilityMask.EMPTY, bounding, noNewPrivs);
  }

  private static ProcessSnapshot process(int uid, CapabilityMask effective, CapabilityMask bounding,
      Optional<Boolean> noNewPrivs) {
    CapabilitySets sets = CapabilitySets.of(CapabilityMask.EMPTY, effective, effective, bounding,
        CapabilityMask.EMPTY);
    ProcStatus status = new ProcStatus(31337, List.of(31337, 1), 0, "agent", uid, uid, uid, uid, sets, noNewPrivs,
        Optional.empty());
    return ProcessSnapshot.of(status, ObservationSource.HOST_PROC);
  }

  private static ImageFacts facts(Optional<Long> exitCode, PrivilegedFile... files) {
    return new ImageFacts("docker-default", DOCKER_DEFAULTS, "stage1 CapBnd=0xa80425fb\n", false, exitCode,
        List.of(files));
  }

  private static TargetSnapshot image(ProcessSnapshot process, Optional<ImageFacts> gate) {
    return new TargetSnapshot(TargetKind.IMAGE, "c0ffee", "my/agent:ci", "my/agent:ci", Map.of(), Optional.empty(),
        List.of(process), List.of(), List.of(), List.of(), gate);
  }

  private static List<Finding> regainBinary(Policy policy, TargetSnapshot target) {
    return new Auditor(policy).audit(target).findings().stream().filter(f -> f.rule() == Rules.REGAIN_BINARY)
        .toList();
  }

  private static List<Finding> regainBinary(Policy policy, ProcessSnapshot process, PrivilegedFile... files) {
    return regainBinary(policy, image(process, Optional.of(facts(Optional.empty(), files))));
  }

  @Test
  void a_file_capability_binary_lets_a_non_root_process_regain_net_raw() {
    ProcessSnapshot agent = process(1000, DOCKER_DEFAULTS, Optional.of(false));

    List<Finding> findings = regainBinary(mustDrop(Capability.NET_RAW, Capability.SYS_ADMIN), agent, NETRAW_TOOL);

    assertThat(findings).singleElement().satisfies(f -> {
      assertThat(f.severity()).isEqualTo(Severity.HIGH);
      assertThat(f.capability().name()).isEqualTo("CAP_NET_RAW");
      assertThat(f.first().where()).isEqualTo(FindingContext.PROCESS);
      assertThat(f.first().context()).isEqualTo(AuditContext.NONROOT_PROCESS);
      assertThat(f.first().holder().members()).extracting(m -> m.pid()).containsExactly(1);
      assertThat(f.first().sets()).containsOnlyKeys(CapabilitySetKind.BOUNDING)
          .containsValue(dev.capaudit.rules.capability.CapabilityMask.parse("0xa80425fb"));
      assertThat(f.first().holder().describe()).isEqualTo("pid 1 (agent, uid 1000)");
      assertThat(f.message()).isEqualTo("CAP_NET_RAW in CapBnd of pid 1 (agent, uid 1000) (CapBnd=0xa80425fb); a"
          + " non-root process can regain it through a file in the image (by executing /bin/netraw-tool"
          + " ([CAP_NET_RAW]), NoNewPrivs=0)");
    });
  }

  @Test
  void the_finding_fails_the_image() {
    // A non-empty effective set keeps regain-path quiet: regain-binary is judged on its own.
    ProcessSnapshot agent = process(1000, CapabilityMask.parse("0x100"), DOCKER_DEFAULTS, Optional.of(false));
    Policy onlyNetRawMustDropButInvisible = new Policy("gate", "", Set.of(Capability.NET_RAW), Map.of(),
        UnlistedAction.ALLOW, Set.of(CapabilitySetKind.AMBIENT));

    TargetResult result = new Auditor(onlyNetRawMustDropButInvisible).audit(
        image(agent, Optional.of(facts(Optional.empty(), NETRAW_TOOL))));

    // Only the ambient set is checked, so regain-binary is the one finding, and it alone fails the target.
    assertThat(result.findings()).extracting(Finding::rule).containsExactly(Rules.REGAIN_BINARY);
    assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void no_finding_with_no_new_privs_on() {
    ProcessSnapshot agent = process(1000, DOCKER_DEFAULTS, Optional.of(true));

    assertThat(regainBinary(mustDrop(Capability.NET_RAW), agent, NETRAW_TOOL, SU)).isEmpty();
  }

  @Test
  void a_finding_when_the_kernel_does_not_report_no_new_privs() {
    ProcessSnapshot agent = process(1000, DOCKER_DEFAULTS, Optional.empty());

    assertThat(regainBinary(mustDrop(Capability.NET_RAW), agent, NETRAW_TOOL)).extracting(f -> f.capability().name())
        .containsExactly("CAP_NET_RAW");
  }

  @Test
  void no_finding_for_a_root_process() {
    ProcessSnapshot root = process(0, DOCKER_DEFAULTS, Optional.of(false));

    assertThat(regainBinary(mustDrop(Capability.NET_RAW), root, NETRAW_TOOL, SU)).isEmpty();
  }

  @Test
  void no_finding_when_the_capability_is_not_must_drop() {
    ProcessSnapshot agent = process(1000, DOCKER_DEFAULTS, Optional.of(false));

    assertThat(regainBinary(mustDrop(Capability.SYS_ADMIN), agent, NETRAW_TOOL)).isEmpty();
  }

  @Test
  void no_finding_without_image_facts_or_without_privileged_files() {
    ProcessSnapshot agent = process(1000, DOCKER_DEFAULTS, Optional.of(false));
    Policy policy = mustDrop(Capability.NET_RAW);

    assertThat(regainBinary(policy, image(agent, Optional.empty()))).isEmpty();
    assertThat(regainBinary(policy, agent)).isEmpty();
  }

  @Test
  void no_finding_when_the_bounding_set_no_longer_holds_the_capability() {
    ProcessSnapshot agent = process(1000, CapabilityMask.parse("0x100"), Optional.of(false));

    assertThat(regainBinary(mustDrop(Capability.NET_RAW), agent, NETRAW_TOOL, SU)).isEmpty();
  }

  @Test
  void a_setuid_root_file_raises_every_must_drop_capability_in_the_bounding_set() {
    ProcessSnapshot agent = process(1000, DOCKER_DEFAULTS, Optional.of(false));

    List<Finding> findings = regainBinary(nemoclawLike(), agent, SU);

    // SYS_ADMIN and SYS_PTRACE are must-drop too, but not in 0xa80425fb.
    // Worst first, by the capabilities' risk rank.
    assertThat(findings).extracting(f -> f.capability().name()).containsExactly("CAP_NET_RAW", "CAP_DAC_OVERRIDE",
        "CAP_SETFCAP", "CAP_SYS_CHROOT", "CAP_MKNOD", "CAP_FSETID", "CAP_NET_BIND_SERVICE", "CAP_AUDIT_WRITE");
    assertThat(findings).allSatisfy(f -> assertThat(f.message())
        .contains("(CapBnd=0xa80425fb)").endsWith("(by executing /usr/bin/su (setuid root), NoNewPrivs=0)"));
  }

  @Test
  void one_finding_per_capability_naming_every_file_that_raises_it() {
    ProcessSnapshot agent = process(1000, DOCKER_DEFAULTS, Optional.of(false));

    List<Finding> findings = regainBinary(mustDrop(Capability.NET_RAW), agent, NETRAW_TOOL, SU);

    assertThat(findings).singleElement().extracting(Finding::message).asString()
        .contains("by executing /bin/netraw-tool ([CAP_NET_RAW]), /usr/bin/su (setuid root)");
  }

  @Test
  void a_setuid_file_owned_by_another_user_or_a_setgid_file_raises_nothing() {
    ProcessSnapshot agent = process(1000, DOCKER_DEFAULTS, Optional.of(false));
    PrivilegedFile setuidUser = new PrivilegedFile("/usr/bin/as-games", true, false, 5, CapabilityMask.EMPTY);
    PrivilegedFile setgidRoot = new PrivilegedFile("/usr/bin/wall", false, true, 0, CapabilityMask.EMPTY);

    assertThat(regainBinary(nemoclawLike(), agent, setuidUser, setgidRoot)).isEmpty();
    assertThat(setuidUser.raises(DOCKER_DEFAULTS)).isEqualTo(CapabilityMask.EMPTY);
    assertThat(setgidRoot.raises(DOCKER_DEFAULTS)).isEqualTo(CapabilityMask.EMPTY);
  }

  @Test
  void raises_is_bounded_by_the_bounding_set() {
    PrivilegedFile adminTool = new PrivilegedFile("/bin/admin", false, false, 0,
        CapabilityMask.of(Capability.SYS_ADMIN, Capability.NET_RAW));

    assertThat(adminTool.raises(DOCKER_DEFAULTS)).isEqualTo(NET_RAW);
    assertThat(adminTool.raises(CapabilityMask.parse("0xa82c25fb"))).hasToString("0x202000");
    assertThat(adminTool.raises(CapabilityMask.parse("0x100"))).isEqualTo(CapabilityMask.EMPTY);
    assertThat(SU.raises(CapabilityMask.parse("0x200100"))).hasToString("0x200100");
    assertThat(SU.raises(CapabilityMask.EMPTY)).isEqualTo(CapabilityMask.EMPTY);
  }

  @Test
  void a_setuid_root_file_with_file_capabilities_raises_the_whole_bounding_set() {
    PrivilegedFile both = new PrivilegedFile("/bin/both", true, false, 0, NET_RAW);

    assertThat(both.raises(DOCKER_DEFAULTS)).isEqualTo(DOCKER_DEFAULTS);
  }

  @Test
  void an_entrypoint_that_exited_is_an_error_even_with_violations() {
    // SYS_ADMIN left in the bounding set of a non-root process: a must-drop violation, and a regain path.
    ProcessSnapshot agent = process(1000, CapabilityMask.parse("0x200100"), Optional.of(false));
    TargetSnapshot exited = image(agent, Optional.of(facts(Optional.of(1L), SU)));

    TargetResult result = new Auditor(mustDrop(Capability.SYS_ADMIN)).audit(exited);

    assertThat(result.findings()).extracting(Finding::rule).contains(Rules.MUST_DROP_PRESENT, Rules.REGAIN_BINARY);
    assertThat(result.findings()).anyMatch(Finding::failsTarget);
    assertThat(result.verdict()).isEqualTo(Verdict.ERROR);
    assertThat(Auditor.verdict(exited, result.findings())).isEqualTo(Verdict.ERROR);
  }

  @Test
  void an_entrypoint_still_running_with_violations_fails() {
    ProcessSnapshot agent = process(1000, CapabilityMask.parse("0x200100"), Optional.of(false));

    TargetResult result = new Auditor(mustDrop(Capability.SYS_ADMIN)).audit(
        image(agent, Optional.of(facts(Optional.empty(), SU))));

    assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void an_entrypoint_that_exited_with_zero_is_still_an_error() {
    ProcessSnapshot clean = process(1000, CapabilityMask.EMPTY, Optional.of(true));

    TargetResult result = new Auditor(mustDrop(Capability.SYS_ADMIN)).audit(
        image(clean, Optional.of(facts(Optional.of(0L)))));

    assertThat(result.findings()).isEmpty();
    assertThat(result.verdict()).isEqualTo(Verdict.ERROR);
  }
}
