package dev.capaudit.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.rules.TestFiles;
import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySetKind;
import dev.capaudit.rules.capability.CapabilitySets;
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
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuditorTest {
  private static final CapabilityMask NONE = CapabilityMask.EMPTY;
  private static final CapabilityMask SETPCAP = CapabilityMask.of(Capability.SETPCAP);
  private static final Optional<Boolean> NNP_OFF = Optional.of(false);

  /** SYS_ADMIN and NET_RAW must go; SETUID is for root only; SETPCAP anywhere; the rest as {@code unlisted} says. */
  private static Policy policy(UnlistedAction unlisted, Set<CapabilitySetKind> sets) {
    return new Policy("small", "", Set.of(Capability.SYS_ADMIN, Capability.NET_RAW), Map.of(
        Capability.SETUID, new LoadBearing(Capability.SETUID, "step down",
            EnumSet.of(AuditContext.ROOT_PROCESS, AuditContext.ROOT_EXEC, AuditContext.CONFIG)),
        Capability.SETPCAP, new LoadBearing(Capability.SETPCAP, "shrink", EnumSet.allOf(AuditContext.class))),
        unlisted, sets);
  }

  private static Policy policy(UnlistedAction unlisted) {
    return policy(unlisted, Set.of());
  }

  private static CapabilitySets sets(CapabilityMask effective, CapabilityMask bounding, CapabilityMask ambient) {
    return CapabilitySets.of(NONE, effective, effective, bounding, ambient);
  }

  private static ProcessSnapshot process(int uid, CapabilitySets sets, Optional<Boolean> noNewPrivs) {
    ProcStatus status = new ProcStatus(4242, List.of(4242, 1), 0, "agent", uid, uid, uid, uid, sets, noNewPrivs,
        Optional.empty());
    return ProcessSnapshot.of(status, ObservationSource.HOST_PROC);
  }

  private static TargetSnapshot target(List<ProcessSnapshot> processes, List<ExecView> exec, List<String> errors) {
    return target(Optional.empty(), processes, exec, errors);
  }

  private static TargetSnapshot target(Optional<ContainerConfig> config, List<ProcessSnapshot> processes,
      List<ExecView> exec, List<String> errors) {
    return new TargetSnapshot(TargetKind.CONTAINER, "id", "sandbox", "image", Map.of(), config, processes, exec,
        errors, List.of());
  }

  private static TargetResult audit(Policy policy, ProcessSnapshot process) {
    return new Auditor(policy).audit(target(List.of(process), List.of(), List.of()));
  }

  @Test
  void reports_a_must_drop_capability_once_with_every_set_that_holds_it() {
    CapabilityMask sysAdmin = CapabilityMask.of(Capability.SYS_ADMIN);
    ProcessSnapshot root = process(0, CapabilitySets.of(sysAdmin, sysAdmin, sysAdmin, sysAdmin, sysAdmin), NNP_OFF);

    TargetResult result = audit(policy(UnlistedAction.ALLOW), root);

    assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(result.findings()).singleElement().satisfies(f -> {
      assertThat(f.rule()).isEqualTo(Rules.MUST_DROP_PRESENT);
      assertThat(f.severity()).isEqualTo(Severity.HIGH);
      assertThat(f.capability().name()).isEqualTo("CAP_SYS_ADMIN");
      assertThat(f.occurrences()).singleElement().satisfies(o -> {
        assertThat(o.holder().members()).containsExactly(Holder.Member.process(1));
        assertThat(o.context()).isEqualTo(AuditContext.ROOT_PROCESS);
        assertThat(o.sets()).containsOnlyKeys(CapabilitySetKind.values()).containsValue(sysAdmin);
      });
      assertThat(f.message()).isEqualTo("CAP_SYS_ADMIN in CapInh, CapPrm, CapEff, CapBnd, CapAmb of pid 1 (agent,"
          + " uid 0) (CapInh=0x200000, CapPrm=0x200000, CapEff=0x200000, CapBnd=0x200000, CapAmb=0x200000);"
          + " policy 'small' says it must be dropped everywhere");
    });
  }

  @Test
  void identical_processes_are_one_occurrence_with_every_pid() {
    CapabilityMask sysAdmin = CapabilityMask.of(Capability.SYS_ADMIN);
    List<ProcessSnapshot> sleeps = new java.util.ArrayList<>();
    for (int pid = 1; pid <= 301; pid++) {
      ProcStatus status = new ProcStatus(5000 + pid, List.of(5000 + pid, pid), 5001, "sleep", 0, 0, 0, 0,
          sets(NONE, sysAdmin, NONE), NNP_OFF, Optional.empty());
      sleeps.add(ProcessSnapshot.of(status, ObservationSource.HOST_PROC));
    }
    ProcStatus other = new ProcStatus(9000, List.of(9000, 400), 5001, "agent", 1000, 1000, 1000, 1000,
        sets(NONE, sysAdmin, NONE), Optional.of(true), Optional.empty());
    sleeps.add(ProcessSnapshot.of(other, ObservationSource.HOST_PROC));

    TargetResult result = new Auditor(policy(UnlistedAction.ALLOW)).audit(target(sleeps, List.of(), List.of()));

    assertThat(result.findings()).singleElement().satisfies(f -> {
      assertThat(f.occurrences()).hasSize(2);
      assertThat(f.first().holder().members()).hasSize(301).startsWith(Holder.Member.process(1));
      assertThat(f.occurrences().get(1).holder().describe()).isEqualTo("pid 400 (agent, uid 1000)");
      assertThat(f.holderCount()).isEqualTo(302);
      assertThat(f.message()).startsWith("CAP_SYS_ADMIN in CapBnd of 301 processes (sleep, uid 0: pids 1, 2, 3, 4,"
          + " 5 and 296 more) (CapBnd=0x200000) and 1 more holder; ");
    });
  }

  @Test
  void reports_a_root_only_capability_in_a_non_root_process_as_outside_its_contexts() {
    ProcessSnapshot agent = process(1000, sets(NONE, CapabilityMask.parse("0x180"), NONE), NNP_OFF);

    TargetResult result = audit(policy(UnlistedAction.FAIL), agent);

    assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(result.findings()).singleElement().satisfies(f -> {
      assertThat(f.rule()).isEqualTo(Rules.OUTSIDE_ALLOWED_CONTEXT);
      assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
      assertThat(f.capability().name()).isEqualTo("CAP_SETUID");
      assertThat(f.first().sets()).containsExactly(Map.entry(CapabilitySetKind.BOUNDING, CapabilityMask.parse("0x180")));
      assertThat(f.first().context()).isEqualTo(AuditContext.NONROOT_PROCESS);
      assertThat(f.first().where()).isEqualTo(FindingContext.PROCESS);
      assertThat(f.first().holder().describe()).isEqualTo("pid 1 (agent, uid 1000)");
      assertThat(f.message()).contains("[root-process, root-exec, config]").contains("not in nonroot-process");
    });
  }

  @Test
  void allows_the_same_root_only_capability_in_a_root_process() {
    CapabilityMask setuid = CapabilityMask.parse("0x180");
    ProcessSnapshot entrypoint = process(0, sets(setuid, setuid, NONE), NNP_OFF);

    TargetResult result = audit(policy(UnlistedAction.FAIL), entrypoint);

    assertThat(result.findings()).isEmpty();
    assertThat(result.verdict()).isEqualTo(Verdict.PASS);
  }

  @Test
  void warns_with_low_severity_of_an_unlisted_capability_and_still_passes() {
    CapabilityMask kill = CapabilityMask.of(Capability.KILL);
    ProcessSnapshot root = process(0, sets(NONE, kill, NONE), NNP_OFF);

    TargetResult result = audit(policy(UnlistedAction.WARN), root);

    assertThat(result.findings()).singleElement().satisfies(f -> {
      assertThat(f.rule()).isEqualTo(Rules.UNLISTED_CAPABILITY);
      assertThat(f.severity()).isEqualTo(Severity.LOW);
      assertThat(f.downgraded()).as("the policy, not the call site, made it a warning").isTrue();
      assertThat(f.rule().severity()).isEqualTo(Severity.MEDIUM);
      assertThat(f.capability().name()).isEqualTo("CAP_KILL");
      assertThat(f.failsTarget()).isFalse();
    });
    assertThat(result.verdict()).isEqualTo(Verdict.PASS);
  }

  @Test
  void fails_an_unlisted_capability_with_medium_severity_under_unlisted_fail() {
    ProcessSnapshot root = process(0, sets(NONE, CapabilityMask.of(Capability.KILL), NONE), NNP_OFF);

    TargetResult result = audit(policy(UnlistedAction.FAIL), root);

    assertThat(result.findings()).singleElement().satisfies(f -> {
      assertThat(f.rule()).isEqualTo(Rules.UNLISTED_CAPABILITY);
      assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
    });
    assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void reports_nothing_for_an_unlisted_capability_under_unlisted_allow() {
    CapabilityMask defaults = CapabilityMask.parse("0xa80405fb").minus(CapabilityMask.of(Capability.SETUID));
    ProcessSnapshot root = process(0, sets(defaults, defaults, NONE), NNP_OFF);

    TargetResult result = audit(policy(UnlistedAction.ALLOW), root);

    assertThat(result.findings()).isEmpty();
    assertThat(result.verdict()).isEqualTo(Verdict.PASS);
  }

  @Test
  void judges_an_unknown_bit_from_a_newer_kernel_as_unlisted() {
    ProcessSnapshot root = process(0, sets(NONE, CapabilityMask.parse("0000020000000100"), NONE), NNP_OFF);

    TargetResult result = audit(policy(UnlistedAction.FAIL), root);

    assertThat(result.findings()).singleElement().satisfies(f -> {
      assertThat(f.rule()).isEqualTo(Rules.UNLISTED_CAPABILITY);
      assertThat(f.capability().name()).isEqualTo("CAP_41");
      assertThat(f.capability().kind()).isEqualTo(CapabilityRef.Kind.UNKNOWN_BIT);
      assertThat(f.first().sets()).containsValue(CapabilityMask.parse("0x20000000100"));
    });
  }

  @Test
  void reports_a_regain_path_for_a_non_root_process_with_an_empty_effective_set() throws Exception {
    ProcStatus regression = ProcStatusParser.parse(
        TestFiles.read("captured/proc/agent-sysadmin-regression/pid1.status"));

    TargetResult result = audit(policy(UnlistedAction.FAIL), ProcessSnapshot.of(regression,
        ObservationSource.HOST_PROC));

    assertThat(result.findings()).filteredOn(f -> f.rule() == Rules.REGAIN_PATH).singleElement().satisfies(f -> {
      assertThat(f.severity()).isEqualTo(Severity.HIGH);
      assertThat(f.capability().name()).isEqualTo("CAP_SYS_ADMIN");
      assertThat(f.first().sets()).containsExactly(Map.entry(CapabilitySetKind.BOUNDING,
          CapabilityMask.parse("0x200100")));
      assertThat(f.message()).contains("NoNewPrivs=0");
    });
    assertThat(result.findings()).extracting(Finding::rule)
        .containsExactlyInAnyOrder(Rules.MUST_DROP_PRESENT, Rules.REGAIN_PATH);
  }

  @Test
  void reports_a_regain_path_when_the_kernel_does_not_say_no_new_privs() {
    ProcessSnapshot agent = process(1000, sets(NONE, CapabilityMask.parse("0x200100"), NONE), Optional.empty());

    TargetResult result = audit(policy(UnlistedAction.FAIL), agent);

    assertThat(result.findings()).filteredOn(f -> f.rule() == Rules.REGAIN_PATH).singleElement()
        .satisfies(f -> assertThat(f.message()).contains("NoNewPrivs not reported by this kernel"));
  }

  @Test
  void reports_no_regain_path_with_no_new_privs_on() {
    ProcessSnapshot agent = process(1000, sets(NONE, CapabilityMask.parse("0x200100"), NONE), Optional.of(true));

    assertThat(audit(policy(UnlistedAction.FAIL), agent).findings()).extracting(Finding::rule)
        .containsExactly(Rules.MUST_DROP_PRESENT);
  }

  @Test
  void reports_no_regain_path_for_root() {
    ProcessSnapshot root = process(0, sets(NONE, CapabilityMask.parse("0x200100"), NONE), NNP_OFF);

    assertThat(audit(policy(UnlistedAction.FAIL), root).findings()).extracting(Finding::rule)
        .containsExactly(Rules.MUST_DROP_PRESENT);
  }

  @Test
  void reports_no_regain_path_when_the_effective_set_is_not_empty() {
    ProcessSnapshot agent = process(1000, sets(SETPCAP, CapabilityMask.parse("0x200100"), NONE), NNP_OFF);

    assertThat(audit(policy(UnlistedAction.FAIL), agent).findings()).extracting(Finding::rule)
        .containsExactly(Rules.MUST_DROP_PRESENT);
  }

  @Test
  void reports_no_regain_path_for_a_bounding_capability_that_is_not_must_drop() {
    ProcessSnapshot agent = process(1000, sets(NONE, CapabilityMask.parse("0x180"), NONE), NNP_OFF);

    assertThat(audit(policy(UnlistedAction.FAIL), agent).findings()).extracting(Finding::rule)
        .containsExactly(Rules.OUTSIDE_ALLOWED_CONTEXT);
  }

  @Test
  void reports_ambient_capabilities_of_a_non_root_process() throws Exception {
    ProcStatus ambient = ProcStatusParser.parse(TestFiles.read("captured/proc/ambient-nonroot/pid1.status"));

    TargetResult result = audit(policy(UnlistedAction.ALLOW), ProcessSnapshot.of(ambient,
        ObservationSource.HOST_PROC));

    assertThat(result.findings()).filteredOn(f -> f.rule() == Rules.AMBIENT_ON_NON_ROOT).singleElement()
        .satisfies(f -> {
          assertThat(f.capability().name()).isEqualTo("CAP_NET_RAW");
          assertThat(f.first().sets()).containsExactly(Map.entry(CapabilitySetKind.AMBIENT,
              CapabilityMask.parse("0x2000")));
          assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
        });
  }

  @Test
  void reports_no_ambient_finding_for_root() {
    CapabilityMask kill = CapabilityMask.of(Capability.KILL);
    ProcessSnapshot root = process(0, sets(kill, kill, kill), NNP_OFF);

    assertThat(audit(policy(UnlistedAction.ALLOW), root).findings()).isEmpty();
  }

  @Test
  void gives_error_for_a_target_with_read_errors_and_no_violation() {
    ProcessSnapshot clean = process(1000, sets(NONE, SETPCAP, NONE), Optional.of(true));

    TargetResult result = new Auditor(policy(UnlistedAction.FAIL))
        .audit(target(List.of(clean), List.of(), List.of("status pid7: cannot read")));

    assertThat(result.findings()).isEmpty();
    assertThat(result.verdict()).isEqualTo(Verdict.ERROR);
  }

  @Test
  void gives_error_never_pass_for_a_target_with_no_process_and_no_exec_view() {
    Auditor auditor = new Auditor(policy(UnlistedAction.FAIL));
    ContainerConfig clean = new ContainerConfig(false, List.of(), List.of("ALL"), SETPCAP, "1000", true,
        Optional.empty(), List.of());
    TargetSnapshot configOnly = target(Optional.of(clean), List.of(), List.of(), List.of());

    assertThat(auditor.audit(target(List.of(), List.of(), List.of())).verdict()).isEqualTo(Verdict.ERROR);
    assertThat(auditor.audit(configOnly).findings()).isEmpty();
    assertThat(auditor.audit(configOnly).verdict()).isEqualTo(Verdict.ERROR);
  }

  @Test
  void fails_a_target_with_violations_even_when_parts_could_not_be_read() {
    ProcessSnapshot leaky = process(1000, sets(NONE, CapabilityMask.parse("0x200100"), NONE), Optional.of(true));

    TargetResult result = new Auditor(policy(UnlistedAction.FAIL))
        .audit(target(List.of(leaky), List.of(), List.of("status pid7: cannot read")));

    assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void judges_exec_views_in_the_root_exec_and_nonroot_exec_contexts() {
    CapabilityMask setuid = CapabilityMask.parse("0x180");
    ExecView rootShell = new ExecView("0", true, sets(setuid, setuid, NONE), NNP_OFF, ObservationSource.EXEC_PROBE);
    ExecView userShell = new ExecView("1000", false, sets(NONE, setuid, NONE), NNP_OFF,
        ObservationSource.EXEC_PROBE);

    TargetResult result = new Auditor(policy(UnlistedAction.FAIL))
        .audit(target(List.of(), List.of(rootShell, userShell), List.of()));

    assertThat(result.findings()).singleElement().satisfies(f -> {
      assertThat(f.rule()).isEqualTo(Rules.OUTSIDE_ALLOWED_CONTEXT);
      assertThat(f.first().where()).isEqualTo(FindingContext.EXEC);
      assertThat(f.first().context()).isEqualTo(AuditContext.NONROOT_EXEC);
      assertThat(f.first().holder()).isEqualTo(Holder.exec("1000"));
      assertThat(f.capability().name()).isEqualTo("CAP_SETUID");
      assertThat(f.first().holder().describe()).isEqualTo("an exec shell as 1000");
    });
    assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void judges_only_the_sets_the_policy_checks() {
    CapabilityMask sysAdmin = CapabilityMask.of(Capability.SYS_ADMIN);
    ProcessSnapshot root = process(0, CapabilitySets.of(sysAdmin, sysAdmin, sysAdmin, sysAdmin, sysAdmin), NNP_OFF);

    TargetResult result = audit(policy(UnlistedAction.FAIL, Set.of(CapabilitySetKind.BOUNDING)), root);

    assertThat(result.findings()).singleElement().satisfies(f -> {
      assertThat(f.rule()).isEqualTo(Rules.MUST_DROP_PRESENT);
      assertThat(f.first().sets()).containsOnlyKeys(CapabilitySetKind.BOUNDING);
    });
  }

  @Test
  void judges_the_configuration_privileged_cap_add_and_bounding_set() {
    ContainerConfig permissive = new ContainerConfig(true, List.of("SYS_ADMIN", "all", "CAP_FOO"), List.of(),
        CapabilityMask.of(Capability.SYS_ADMIN, Capability.SETUID), "", false, Optional.empty(), List.of());
    TargetSnapshot target = target(Optional.of(permissive), List.of(), List.of(), List.of());

    TargetResult result = new Auditor(policy(UnlistedAction.FAIL)).audit(target);

    assertThat(result.findings()).allSatisfy(f -> {
      assertThat(f.first().where()).isEqualTo(FindingContext.CONFIG);
      assertThat(f.first().context()).isEqualTo(AuditContext.CONFIG);
    });
    // Worst first: the high findings (ALL before SYS_ADMIN), then the medium ones by rank.
    assertThat(result.findings()).extracting(f -> f.severity().id() + " " + f.rule().id() + " " + f.capability())
        .containsExactly(
            "high privileged-container ALL",
            "high cap-add-all ALL",
            "high must-drop-present CAP_SYS_ADMIN",
            "medium cap-add-not-allowed CAP_SYS_ADMIN",
            "medium cap-add-not-allowed CAP_FOO");
    assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(result.worstFinding()).get().extracting(Finding::rule).isEqualTo(Rules.PRIVILEGED_CONTAINER);
  }

  @Test
  void audits_several_targets_under_one_policy() {
    Auditor auditor = new Auditor(policy(UnlistedAction.FAIL));
    TargetSnapshot clean = target(List.of(process(1000, sets(NONE, SETPCAP, NONE), Optional.of(true))), List.of(),
        List.of());
    TargetSnapshot unreadable = TargetSnapshot.unreadable(TargetKind.CONTAINER, "id", "gone", "image", "no such pid");

    AuditResult result = auditor.audit(List.of(clean, unreadable));

    assertThat(result.policyName()).isEqualTo("small");
    // Kept worst first: the unreadable target before the clean one, whatever order they were scanned in.
    assertThat(result.targets()).extracting(TargetResult::verdict).containsExactly(Verdict.ERROR, Verdict.PASS);
    assertThat(result.targets().get(0).incomplete()).contains("no such pid");
    assertThat(result.targets().get(0).headline()).isEqualTo("error: no such pid");
    assertThat(result.count(Verdict.PASS)).isEqualTo(1);
  }

  @Test
  void leads_with_the_most_dangerous_capability_not_the_lowest_bit() {
    CapabilityMask added = CapabilityMask.parse("0xa82c25fb");
    ProcessSnapshot root = process(0, sets(added, added, NONE), NNP_OFF);
    Policy everythingMustGo = new Policy("strict", "", Set.copyOf(added.capabilities()), Map.of(),
        UnlistedAction.FAIL, Set.of());

    TargetResult result = audit(everythingMustGo, root);

    assertThat(result.findings()).extracting(f -> f.capability().name()).startsWith("CAP_SYS_ADMIN", "CAP_SYS_PTRACE",
        "CAP_NET_RAW", "CAP_DAC_OVERRIDE");
    assertThat(result.headline()).startsWith("high must-drop-present: CAP_SYS_ADMIN in CapPrm, CapEff, CapBnd of pid 1");
  }

  @Test
  void orders_targets_by_their_worst_finding() {
    Auditor auditor = new Auditor(policy(UnlistedAction.WARN));
    TargetSnapshot warned = target(List.of(process(0, sets(NONE, CapabilityMask.of(Capability.KILL), NONE),
        NNP_OFF)), List.of(), List.of());
    TargetSnapshot setuid = target(List.of(process(1000, sets(NONE, CapabilityMask.parse("0x180"), NONE),
        Optional.of(true))), List.of(), List.of());
    TargetSnapshot sysAdmin = target(List.of(process(0, sets(NONE, CapabilityMask.parse("0x200100"), NONE),
        NNP_OFF)), List.of(), List.of());

    AuditResult result = auditor.audit(List.of(warned, setuid, sysAdmin));

    assertThat(result.targets()).extracting(t -> t.worstFinding().orElseThrow().capability().name())
        .containsExactly("CAP_SYS_ADMIN", "CAP_SETUID", "CAP_KILL");
  }
}
