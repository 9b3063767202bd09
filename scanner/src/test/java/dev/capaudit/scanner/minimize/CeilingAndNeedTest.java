package dev.capaudit.scanner.minimize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capaudit.rules.capability.Capability;
import dev.capaudit.rules.capability.CapabilityMask;
import dev.capaudit.rules.capability.CapabilitySets;
import dev.capaudit.rules.model.ExecView;
import dev.capaudit.rules.model.ObservationSource;
import dev.capaudit.rules.model.ProcessSnapshot;
import dev.capaudit.rules.model.TargetKind;
import dev.capaudit.rules.model.TargetSnapshot;
import dev.capaudit.rules.policy.AuditContext;
import dev.capaudit.rules.proc.ProcStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The baseline ceiling a trial may not exceed, and who needs a kept capability, from audits alone. */
class CeilingAndNeedTest {
  private static final CapabilityMask NONE = CapabilityMask.EMPTY;
  private static final CapabilityMask NET_RAW = CapabilityMask.of(Capability.NET_RAW);
  private static final CapabilityMask SETPCAP = CapabilityMask.of(Capability.SETPCAP);

  private static ProcessSnapshot process(int pid, String name, int uid, CapabilityMask effective,
      CapabilityMask bounding) {
    ProcStatus status = new ProcStatus(4000 + pid, List.of(4000 + pid, pid), 0, name, uid, uid, uid, uid,
        CapabilitySets.of(NONE, effective, effective, bounding, NONE), Optional.of(false), Optional.empty());
    return new ProcessSnapshot(status, pid, 0, ObservationSource.HOST_PROC);
  }

  private static TargetSnapshot target(List<ProcessSnapshot> processes, List<ExecView> exec) {
    return new TargetSnapshot(TargetKind.CONTAINER, "id", "t", "img", Map.of(), Optional.empty(), processes, exec,
        List.of(), List.of());
  }

  private static TargetSnapshot target(ProcessSnapshot... processes) {
    return target(List.of(processes), List.of());
  }

  @Test
  void a_trial_within_what_the_baseline_held_passes() {
    Ceiling ceiling = Ceiling.of(target(process(1, "sleep", 1000, NONE, SETPCAP)));

    assertThat(ceiling.excess(target(process(1, "sleep", 1000, NONE, SETPCAP)))).isEmpty();
    assertThat(ceiling.excess(target(process(1, "sleep", 1000, NONE, NONE)))).isEmpty();
  }

  @Test
  void a_process_holding_more_than_in_the_baseline_is_named_with_the_set() {
    Ceiling ceiling = Ceiling.of(target(process(1, "sleep", 1000, NONE, SETPCAP)));

    assertThat(ceiling.excess(target(process(1, "sleep", 1000, NONE, SETPCAP.union(NET_RAW)))))
        .containsExactly("pid 1 (sleep, uid 1000) holds CAP_NET_RAW in its bounding set, which it does not hold"
            + " with the starting set: its own drop failed");
  }

  @Test
  void a_process_that_runs_as_another_user_than_in_the_baseline_fails() {
    Ceiling ceiling = Ceiling.of(target(process(1, "sleep", 1000, NONE, NONE)));

    assertThat(ceiling.excess(target(process(1, "sleep", 0, NONE, NONE))))
        .containsExactly("pid 1 (sleep, uid 0) runs as uid 0; with the starting set it ran as uid 1000");
  }

  @Test
  void a_process_the_baseline_did_not_have_is_held_to_what_any_of_its_processes_held() {
    Ceiling ceiling = Ceiling.of(target(process(1, "init", 0, SETPCAP, SETPCAP), process(7, "worker", 33, NONE,
        NONE)));

    assertThat(ceiling.excess(target(process(9, "helper", 33, SETPCAP, SETPCAP)))).isEmpty();
    assertThat(ceiling.excess(target(process(9, "helper", 33, NET_RAW, NONE)))).hasSize(2);
  }

  @Test
  void a_non_root_process_using_a_kept_capability_is_a_warning() {
    TargetSnapshot trial = target(List.of(process(1, "ping", 1000, NET_RAW, NET_RAW)), List.of(new ExecView("0",
        true, CapabilitySets.of(NONE, NET_RAW, NET_RAW, NET_RAW, NONE), Optional.of(false),
        ObservationSource.OCI_SPEC)));

    KeptCapability kept = NeedAnalysis.of(Capability.NET_RAW, List.of(trial), false, Optional.empty());

    assertThat(kept.need()).isEqualTo(Need.NON_ROOT);
    assertThat(kept.need().warning()).isTrue();
    assertThat(kept.holders()).containsExactly("pid 1 (ping, uid 1000): permitted, effective, bounding",
        "docker exec as 0: permitted, effective, bounding");
    assertThat(kept.contexts()).containsExactlyInAnyOrder(AuditContext.CONFIG, AuditContext.NONROOT_PROCESS,
        AuditContext.ROOT_EXEC);
  }

  @Test
  void a_root_process_using_it_needs_it_in_cap_add() {
    KeptCapability kept = NeedAnalysis.of(Capability.NET_RAW, List.of(target(process(1, "ping", 0, NET_RAW,
        NET_RAW))), true, Optional.empty());

    assertThat(kept.need()).isEqualTo(Need.ROOT_PROCESS);
    assertThat(kept.need().warning()).isFalse();
    assertThat(kept.contexts()).containsExactlyInAnyOrder(AuditContext.CONFIG, AuditContext.ROOT_PROCESS);
  }

  @Test
  void a_capability_nobody_holds_once_running_was_needed_at_start_up() {
    TargetSnapshot trial = target(process(1, "sleep", 1000, NONE, SETPCAP));

    KeptCapability root = NeedAnalysis.of(Capability.SETUID, List.of(trial), true, Optional.empty());
    KeptCapability nonRoot = NeedAnalysis.of(Capability.SETUID, List.of(trial), false, Optional.empty());
    KeptCapability bounding = NeedAnalysis.of(Capability.SETPCAP, List.of(trial), true, Optional.empty());

    assertThat(root.need()).isEqualTo(Need.ROOT_START_UP);
    assertThat(root.holders()).isEmpty();
    assertThat(root.contexts()).containsExactlyInAnyOrder(AuditContext.CONFIG, AuditContext.ROOT_PROCESS);
    assertThat(nonRoot.need()).isEqualTo(Need.NON_ROOT_START_UP);
    assertThat(nonRoot.need().warning()).isTrue();
    assertThat(bounding.need()).as("a bounding set is held, not used").isEqualTo(Need.ROOT_START_UP);
    assertThat(bounding.contexts()).contains(AuditContext.NONROOT_PROCESS);
  }
}
